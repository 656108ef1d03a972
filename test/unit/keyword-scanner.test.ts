/** The byte scanner that lets the reader skip lines must find exactly the lines a plain search finds. */
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { KeywordScanner } from '../../src/core/keyword-scanner';
import { LOOK_WORDS } from '../../src/core/sources/index';

/** The start of the first line in `text[from…]` that contains a word, or -1: the reference. */
function firstLineWithWord(text: string, words: readonly string[], from: number): number {
  for (let start = from; start < text.length; ) {
    const nl = text.indexOf('\n', start);
    const line = text.slice(start, nl === -1 ? text.length : nl);
    if (words.some((w) => line.includes(w))) return start;
    if (nl === -1) break;
    start = nl + 1;
  }
  return -1;
}

describe('KeywordScanner', () => {
  const words = ['virtio_mem', 'tdx', 'TDX', 'BUG: ', 'kvm_convert_memory', 'kvm_intel', 'PSC '];
  const scanner = new KeywordScanner(words);
  // Lines made of pieces of the words, so that near-misses and overlaps are common.
  const piece = fc.constantFrom(...words, ...words.map((w) => w.slice(0, -1)), ...words.map((w) => w.slice(1)), ' ', 'x', 'kvm_', 'td', 'B');
  const line = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
  const text = fc.array(line, { maxLength: 12 }).map((lines) => lines.join('\n'));

  it('finds the first line holding any word, from any line start', () => {
    fc.assert(
      fc.property(text, fc.nat(), (t, k) => {
        const starts = [0, ...[...t.matchAll(/\n/g)].map((m) => (m.index as number) + 1)];
        const from = starts[k % starts.length];
        assert.equal(scanner.findLine(Buffer.from(t, 'latin1'), from, t.length), firstLineWithWord(t, words, from));
      }),
      { numRuns: 5000 },
    );
  });

  it('knows every look word of the parser and nothing else', () => {
    const look = new KeywordScanner(LOOK_WORDS);
    for (const w of LOOK_WORDS) assert.equal(look.findLine(Buffer.from(`noise\nab ${w} cd\n`), 0, 12 + w.length), 6, w);
    assert.equal(look.findLine(Buffer.from('ata1.00: failed command: READ FPDMA QUEUED\nFallback order for Node 0\n'), 0, 70), -1);
  });
});
