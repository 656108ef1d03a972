/**
 * The dispatcher table: every event kind the sources can emit has a handler, or is listed as
 * deliberately ignored with its reason. The kinds are read from the event vocabulary
 * (src/core/events.ts) and from what the source tables build, so that a kind added in either
 * place without a decision here fails.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HANDLERS } from '../../../src/core/diagnose/handlers';
import { PLATFORM_SIGNS } from '../../../src/core/diagnose/platform-evidence';

const SRC = join(__dirname, '..', '..', '..', '..', 'src', 'core');

/** Every `kind: 'a' | 'b'` literal of the event vocabulary. */
function vocabularyKinds(): string[] {
  const text = readFileSync(join(SRC, 'events.ts'), 'utf8');
  const kinds = new Set<string>();
  for (const m of text.matchAll(/^\s*kind: ([^;]+);/gm)) for (const k of m[1].matchAll(/'([^']+)'/g)) kinds.add(k[1]);
  return [...kinds].sort();
}

/** Every `kind: '…'` the source tables build events with. */
function builtKinds(): string[] {
  const kinds = new Set<string>();
  const dir = join(SRC, 'sources');
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.ts')) continue;
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/kind: '([a-z][\w.]*)'/g)) kinds.add(m[1]);
  }
  return [...kinds].sort();
}

describe('the event handler table', () => {
  it('has an entry for every kind of the vocabulary, and no other', () => {
    const kinds = vocabularyKinds();
    assert.ok(kinds.length > 40, `only ${kinds.length} kinds read from events.ts`);
    assert.deepEqual(Object.keys(HANDLERS).sort(), kinds);
  });

  it('covers every kind the source tables build', () => {
    const built = builtKinds();
    assert.ok(built.length > 30, `only ${built.length} kinds read from sources/`);
    assert.deepEqual(built.filter((k) => !(k in HANDLERS)), []);
  });

  it('gives a reason for every kind it ignores; a platform-only kind is read by the platform table', () => {
    for (const [kind, entry] of Object.entries(HANDLERS)) {
      if (typeof entry === 'function') continue;
      assert.ok(entry.ignored.length > 10, `${kind}: a reason`);
      if (/platform/.test(entry.ignored)) assert.ok(kind in PLATFORM_SIGNS, `${kind} is said to show the platform`);
    }
  });

  it('handles the kinds that findings depend on', () => {
    const handled = Object.entries(HANDLERS).filter(([, e]) => typeof e === 'function').map(([k]) => k);
    for (const kind of ['vmem.range', 'vmem.size', 'qemu.vmem.response', 'qemu.discard', 'tdx.acceptFailed', 'snp.pvalidateFailed', 'kvm.seamcallFailed', 'kernel.panic']) {
      assert.ok(handled.includes(kind), kind);
    }
  });
});
