/** docs/host-sources.md lists exactly the host rows the tables have. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostKvmTdx, seamcallRatelimit, seamcallRecord } from '../../../src/core/sources/host-kvm-tdx';
import { snpHostCore, snpHostKvm, snpHostPlatform, snpHostRmp } from '../../../src/core/sources/snp-host';
import { DUMP_LINES } from '../../../src/core/sources/splat';

describe('docs/host-sources.md', () => {
  it('has one row per host row id, and no other', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'host-sources.md'), 'utf8');
    const listed = [...doc.matchAll(/^\| `([\w-]+)`/gm)].map((m) => m[1]).sort();
    const shared = new Set(DUMP_LINES.map((row) => row.id));
    const ids = [hostKvmTdx, seamcallRatelimit, snpHostKvm, snpHostCore, snpHostPlatform, seamcallRecord, snpHostRmp]
      .flatMap((family) => family.rows.map((row) => row.id))
      .filter((id) => !shared.has(id))
      .sort();
    assert.deepEqual(listed, ids);
  });
});
