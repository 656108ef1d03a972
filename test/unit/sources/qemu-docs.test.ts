/** docs/qemu-sources.md lists exactly the QEMU error and crash rows the tables have. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { qemuCrash } from '../../../src/core/sources/qemu-crash';
import { qemuErrors } from '../../../src/core/sources/qemu-errors';

describe('docs/qemu-sources.md', () => {
  it('has one row per QEMU error and crash row id, and no other', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'qemu-sources.md'), 'utf8');
    const listed = [...doc.matchAll(/^\| `([\w-]+)`(?:, `([\w-]+)`)?/gm)].flatMap((m) => m.slice(1).filter((id) => id !== undefined)).sort();
    const ids = [qemuErrors, qemuCrash].flatMap((family) => family.rows.map((row) => row.id)).sort();
    assert.deepEqual(listed, ids);
  });
});
