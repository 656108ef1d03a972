/** The hover's Markdown: the state table of a line's changes, log-given names kept as text. */
import '../../helpers/fake-vscode';
import { strict as assert } from 'node:assert';
import type { Change } from '../../../src/core/model/history';
import { TUPLES } from '../../../src/core/model/state';
import { hoverMarkdown } from '../../../src/extension/hover';

const stale = TUPLES.find((t) => t.dev === 'plugged' && t.use === 'none' && t.attr === 'private' && t.accept === 'stale' && t.backing === 'unknown');
const offline = TUPLES.find((t) => t.dev === 'plugged' && t.use === 'offline' && t.attr === 'private' && t.accept === 'stale' && t.backing === 'unknown');

function change(device: string, n: number): Change {
  return { index: n, input: 0, line: 22, device, action: 'acceptFailed', start: 0x108000000n + BigInt(n) * 0x200000n, end: 0x108200000n + BigInt(n) * 0x200000n, before: stale!, after: offline!, inferred: false };
}

describe('hover markdown', () => {
  it('has nothing to say about a line without changes or findings', () => {
    assert.equal(hoverMarkdown([], []), undefined);
  });

  it('tables each run: subblocks, before, after and what changed', () => {
    const md = hoverMarkdown([change('virtio5', 0)], []);
    assert.ok(md);
    assert.match(md.value, /\| virtio5 \| `\[0x108000000, 0x108200000\)` \| plugged none private stale \? \| plugged offline private stale \? \| use: none → offline \|/);
    assert.equal(md.isTrusted, false);
    assert.equal(md.supportHtml, false);
  });

  it('keeps a device name from the log as text: no cell break, no markup', () => {
    const md = hoverMarkdown([change('vm|<b>x</b>*', 0)], []);
    assert.ok(md);
    assert.ok(md.value.includes('| vm\\|\\<b\\>x\\</b\\>\\* |'), md.value);
  });

  it('shows at most 12 runs and says how many more there were', () => {
    const md = hoverMarkdown(Array.from({ length: 15 }, (_, i) => change('virtio5', i)), []);
    assert.ok(md);
    assert.equal(md.value.split('\n').filter((l) => l.startsWith('| virtio5')).length, 12);
    assert.match(md.value, /…and 3 more runs of subblocks/);
  });
});
