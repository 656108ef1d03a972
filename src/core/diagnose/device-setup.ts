/**
 * A device that could not be set up (HPL019): the driver's notice of why its probe stops and
 * the driver core's `probe … failed with error N` are one finding, whichever comes first.
 */
import type { Ref } from '../model/model';
import { SETUP_NOTICES } from './codes/hpl019';
import { HPL019 } from './codes/index';
import type { Draft } from './draft';
import type { Run } from './run';

export class DeviceSetup {
  private readonly failed = new Map<string, Draft>();

  constructor(private readonly run: Run) {}

  /** A driver notice; only those that end a probe matter here. */
  notice(device: string, notice: string, at: Ref): void {
    const known = SETUP_NOTICES[notice];
    if (!known) return;
    const draft = this.failed.get(device);
    if (draft) {
      draft.related.push({ at, message: `the driver: ${known.reason}` });
      return;
    }
    this.note(device, { reason: known.reason }, at, known.cause, notice);
  }

  probeFailed(device: string, errno: number, at: Ref): void {
    const draft = this.failed.get(device);
    if (draft) {
      (draft.facts as { errno?: number }).errno = errno;
      draft.related.push({ at, message: `the driver core: probe failed with ${errno}` });
      return;
    }
    this.note(device, { errno }, at, 'config', 'probe');
  }

  private note(device: string, facts: { reason?: string; errno?: number }, at: Ref, cause: 'config' | 'guest-kernel', via: string): void {
    const draft = this.run.ledger.note(HPL019, facts, { at, device, cause, ...(cause === 'config' ? { otherCauses: ['vmm'] } : {}), via });
    if (draft) this.failed.set(device, draft);
  }
}
