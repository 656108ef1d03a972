/** The byte scanner that lets the reader skip lines must find exactly the lines a plain search finds. */
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { isNoiseByte } from '../../../src/core/envelope/noise';
import { KeywordScanner } from '../../../src/core/ingest/keyword-scanner';
import { LOOK_WORDS } from '../../../src/core/sources/index';

/**
 * The start of the first line in `text[from…]` that contains a word once its noise is taken
 * out, or -1: the reference. Lines end at LF or CR.
 */
function firstLineWithWord(text: string, words: readonly string[], from: number): number {
  for (let start = from; start < text.length; ) {
    const end = text.slice(start).search(/[\r\n]/);
    const line = text.slice(start, end === -1 ? text.length : start + end);
    const heard = [...line].filter((c) => !isNoiseByte(c.charCodeAt(0))).join('');
    if (words.some((w) => heard.includes(w))) return start;
    if (end === -1) break;
    start += end + 1;
  }
  return -1;
}

describe('KeywordScanner', () => {
  const words = ['virtio_mem', 'tdx', 'TDX', 'BUG: ', 'kvm_convert_memory', 'kvm_intel', 'PSC '];
  const scanner = new KeywordScanner(words);
  // Lines made of pieces of the words, so that near-misses and overlaps are common.
  // Console noise (NUL, BEL, DEL, …) anywhere, also inside a word, where the parser takes it out.
  const noise = fc.constantFrom('\0', '\0\0\0', '\x07', '\x1b', '\x7f', '\t');
  const piece = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...words, ...words.map((w) => w.slice(0, -1)), ...words.map((w) => w.slice(1)), ' ', 'x', 'kvm_', 'td', 'B') },
    { weight: 1, arbitrary: noise },
    { weight: 1, arbitrary: fc.constantFrom(...words).chain((w) => fc.tuple(fc.integer({ min: 1, max: w.length - 1 }), noise).map(([at, n]) => w.slice(0, at) + n + w.slice(at))) },
  );
  const line = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
  const text = fc.tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r')).map(([lines, eol]) => lines.join(eol));

  it('finds the first line holding any word, noise taken out, from any line start', () => {
    fc.assert(
      fc.property(text, fc.nat(), (t, k) => {
        const starts = [0, ...[...t.matchAll(/\r\n|\r|\n/g)].map((m) => (m.index as number) + m[0].length)];
        const from = starts[k % starts.length];
        assert.equal(scanner.findLine(Buffer.from(t, 'latin1'), from, t.length), firstLineWithWord(t, words, from));
      }),
      { numRuns: 5000 },
    );
  });

  it('ends lines at a lone CR: a hit after one starts there', () => {
    assert.equal(scanner.findLine(Buffer.from('noise\rab tdx cd\r'), 0, 16), 6);
    assert.equal(scanner.findLine(Buffer.from('noise\r\nab tdx cd\r\n'), 0, 18), 7);
    // A word cut by a line break is two lines without it.
    assert.equal(scanner.findLine(Buffer.from('td\rx\n'), 0, 5), -1);
  });

  it('passes over noise inside a word, as the parser reads it', () => {
    assert.equal(scanner.findLine(Buffer.from('x\nvirtio\0_mem\n'), 0, 15), 2);
    assert.equal(scanner.findLine(Buffer.from('x\n\0\0\0t\x7fdx\n'), 0, 11), 2);
    // TAB is text, not noise.
    assert.equal(scanner.findLine(Buffer.from('x\nt\tdx\n'), 0, 7), -1);
  });

  it('knows every look word of the parser and nothing else', () => {
    const look = new KeywordScanner(LOOK_WORDS);
    for (const w of LOOK_WORDS) assert.equal(look.findLine(Buffer.from(`noise\nab ${w} cd\n`), 0, 12 + w.length), 6, w);
    assert.equal(look.findLine(Buffer.from('ata1.00: failed command: READ FPDMA QUEUED\nFallback order for Node 0\n'), 0, 70), -1);
  });
});
