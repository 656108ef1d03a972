/**
 * The scenario language and the analysis close the loop: each example scenario is simulated
 * and its logs analysed; the findings are the ones the scenario's policies must produce, and
 * healthy runs (fixed VMM, non-CoCo guest, BUSY during migration) produce no warning or error.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../src/core/analyze';
import { drain } from '../../../src/core/drain';
import type { InputSource } from '../../../src/core/ingest';
import type { LogName } from '../../../src/core/scenario/logs';
import { parseScenario } from '../../../src/core/scenario/parse';
import { simulate } from '../../../src/core/scenario/simulate';

const EXAMPLES = join(__dirname, '..', '..', '..', '..', 'examples', 'scenarios');
const LOGS: readonly LogName[] = ['guest', 'qemu', 'host'];

async function findingsOf(name: string, whatIf?: Record<string, string>): Promise<Record<string, number>> {
  const text: Record<LogName, string> = { guest: '', qemu: '', host: '' };
  await drain(simulate(parseScenario(readFileSync(join(EXAMPLES, name), 'utf8'))), (chunk) => {
    for (const log of LOGS) text[log] += chunk[log];
  });
  const sources: InputSource[] = LOGS.filter((log) => text[log] !== '').map((log) => ({
    path: `${log}.log`,
    async *open() {
      yield Buffer.from(text[log]);
    },
  }));
  const a = await analyze(sources, whatIf ? { whatIf } : {});
  const counts: Record<string, number> = {};
  for (const f of a.findings) counts[f.code] = (counts[f.code] ?? 0) + 1;
  return counts;
}

const EXPECTED: Record<string, Record<string, number>> = {
  'tdx-replug-no-discard.scn': { HPL001: 8, HPL005: 1 },
  'tdx-replug-fixed-vmm.scn': {},
  'plain-guest-cycles.scn': {},
  'coco-rfc-migration-busy.scn': {},
  'coco-rfc-no-discard.scn': { HPL001: 1, HPL005: 1 },
  'admin-offline-online.scn': { HPL002: 1 },
  'snp-replug-no-discard.scn': { HPL011: 1, HPL005: 1 },
  'mainline-driver-in-td.scn': { HPL004: 1, HPL014: 1 },
  'touch-after-unplug.scn': { HPL004: 1, HPL014: 1 },
  'release-rfc-no-discard.scn': { HPL005: 1 },
  'kexec-unplug-all.scn': { HPL001: 1, HPL005: 1, HPL015: 1 },
};

describe('simulated scenarios, analysed', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name} → ${Object.keys(expected).length === 0 ? 'no findings' : JSON.stringify(expected)}`, async () => {
      assert.deepEqual(await findingsOf(name), expected);
    });
  }

  it('the seed failure would not happen had the VMM discarded private memory', async () => {
    const counts = await findingsOf('tdx-replug-no-discard.scn', { 'vmm.discardPrivate': 'yes' });
    assert.equal(counts.HPL001, undefined);
  });
});
