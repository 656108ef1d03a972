/** The model's emissions (transition rows that end in a finding) → findings. */
import type { Emission } from '../model/model';
import { HPL001, HPL002, HPL003, HPL004, HPL011 } from './codes/index';
import type { Draft } from './draft';
import { removesPrivatePage } from '../model/policy';
import type { Run } from './run';

export function noteEmissions(run: Run, emissions: readonly Emission[], extra: Draft['related'] = [], via?: string): void {
  const { ledger } = run;
  for (const e of emissions) {
    const fields = { at: e.at, device: e.device, range: { start: e.start, end: e.end }, via: via ?? e.row.id };
    const stale = e.staleAt.map((s) => ({
      at: { input: s.input, line: s.line },
      message: s.inferred
        ? 'plugged size shrank here: this memory was unplugged, and nothing shows its private pages were discarded'
        : 'the UNPLUG of this memory, acknowledged without a private discard',
    }));
    switch (e.code) {
      case 'HPL001':
        // That the pages were still accepted is inferred either way (the guest does not log the
        // status); an UNPLUG seen acknowledged makes it likely, a plugged size that shrank only possible.
        ledger.note(HPL001, {}, { ...fields, related: [...stale, ...extra], confidence: e.staleAt.some((s) => !s.inferred) ? 'likely' : 'possible' });
        run.vmEnd.fatal('HPL001', e.at);
        break;
      case 'HPL002':
        ledger.note(HPL002, {}, { ...fields, related: extra });
        break;
      case 'HPL003': {
        const before = e.before.accept === 'unknown' ? 'in an unknown state' : e.before.accept;
        ledger.note(HPL003, { from: 'model', before, privatePageRemoved: removesPrivatePage(run.model.policies) }, { ...fields, related: extra });
        break;
      }
      case 'HPL004':
        ledger.note(HPL004, { how: e.row.id === 'touch-unplugged' ? 'afterUnplug' : 'beforeAccept' }, { ...fields, related: extra });
        break;
      case 'HPL011':
        // With no unplug in the logs, nothing says whose the still validated entry is.
        ledger.note(HPL011, {}, {
          ...fields,
          related: [...stale, ...extra],
          ...(e.before.accept === 'stale' ? { confidence: e.staleAt.some((s) => !s.inferred) ? 'likely' : 'possible' } : { confidence: 'possible', cause: 'unknown' }),
        });
        break;
      default:
        break;
    }
  }
}
