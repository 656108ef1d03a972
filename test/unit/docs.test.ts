/** The docs are printed by the code they describe: they cannot drift from it. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogMarkdown, lookup } from '../../src/core/diagnose/lookup';
import { modelMarkdown } from '../../src/cli/commands/model';
import { TRANSITIONS } from '../../src/core/model/transitions';
import { sourcesMarkdown } from '../../src/core/sources/markdown';
import { FAMILIES, GROUP_FAMILIES } from '../../src/core/sources/index';

const DOCS = join(__dirname, '..', '..', '..', 'docs');

describe('docs', () => {
  it('docs/model.md is what `hotplug-lens model --markdown` prints', () => {
    assert.equal(readFileSync(join(DOCS, 'model.md'), 'utf8'), modelMarkdown());
  });

  it('docs/model.md has one row per transition', () => {
    const rows = modelMarkdown().split('\n').filter((l) => /^\| \d+ \|/.test(l));
    assert.equal(rows.length, TRANSITIONS.length);
  });

  it('docs/sources.md is what sourcesMarkdown() prints (regenerate: node -e "process.stdout.write(require(\'./out/src/core/sources/markdown\').sourcesMarkdown())" > docs/sources.md)', () => {
    assert.equal(readFileSync(join(DOCS, 'sources.md'), 'utf8'), sourcesMarkdown());
  });

  it('docs/sources.md has one table row per source row', () => {
    const rows = sourcesMarkdown().split('\n').filter((l) => /^\| [^ -][^|]* \| /.test(l) && !l.startsWith('| Row |'));
    const count = [...FAMILIES, ...GROUP_FAMILIES].reduce((n, f) => n + f.rows.length, 0);
    assert.equal(rows.length, count);
  });

  it('docs/findings.md is what `hotplug-lens explain --markdown` prints', () => {
    assert.equal(readFileSync(join(DOCS, 'findings.md'), 'utf8'), catalogMarkdown());
  });

  it('a search for TDX_EPT_ENTRY_STATE_INCORRECT lands on what it is and which finding covers the re-accept', () => {
    const found = lookup('TDX_EPT_ENTRY_STATE_INCORRECT');
    assert.ok(found);
    assert.match(found.text, /only to host SEAMCALLs/);
    assert.match(found.text, /TDX_PAGE_ALREADY_ACCEPTED/);
    assert.deepEqual(
      found.codes.map((c) => c.code),
      ['HPL012', 'HPL001'],
    );
    assert.equal(lookup('0xc0000b0d00000001')?.title, 'TDX_EPT_ENTRY_STATE_INCORRECT');
    assert.equal(lookup('hpl001')?.codes[0].code, 'HPL001');
    assert.equal(lookup('reaccept-after-unplug')?.codes[0].code, 'HPL001');
  });
});
