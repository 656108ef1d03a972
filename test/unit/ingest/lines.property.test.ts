/** Properties of the line reader against an independent model of the documented semantics. */
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter, type PhysicalLine, readLines } from '../../../src/core/ingest/lines';
import { chunk, chunkSizesArb, collect, messyBytesArb, splitAll, utf8, yieldAll } from '../../helpers/bytes';

interface ModelLine {
  offset: number;
  byteLength: number;
  truncated: boolean;
}

const LF = 0x0a;
const CR = 0x0d;

/** Lines end at LF, CRLF or a lone CR (as VS Code counts them); a final line without a break counts when it is not empty. */
function model(bytes: Uint8Array, maxLineBytes: number): ModelLine[] {
  const out: ModelLine[] = [];
  const line = (start: number, end: number): ModelLine => ({ offset: start, byteLength: end - start, truncated: end - start > maxLineBytes });
  let start = 0;
  for (let i = 0; i < bytes.length; ) {
    if (bytes[i] !== LF && bytes[i] !== CR) {
      i++;
      continue;
    }
    out.push(line(start, i));
    i += bytes[i] === CR && bytes[i + 1] === LF ? 2 : 1;
    start = i;
  }
  if (start < bytes.length) out.push(line(start, bytes.length));
  return out;
}

/** LF, CR and CRLF, each one break. */
function countBreaks(bytes: Uint8Array): number {
  let n = 0;
  bytes.forEach((b, i) => {
    if (b === CR || (b === LF && bytes[i - 1] !== CR)) n++;
  });
  return n;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  return Buffer.from(Buffer.from(bytes).toString('utf8'), 'utf8').equals(Buffer.from(bytes));
}

/** Checks every documented property of `lines` as read from `bytes`. */
function checkLines(bytes: Uint8Array, lines: PhysicalLine[], maxLineBytes: number): void {
  const buf = Buffer.from(bytes);
  const tail = bytes.length - (Math.max(bytes.lastIndexOf(LF), bytes.lastIndexOf(CR)) + 1);
  assert.equal(lines.length, countBreaks(bytes) + (tail > 0 ? 1 : 0), 'line count is the count of LF, CR and CRLF breaks plus a final unterminated line');
  const expected = model(bytes, maxLineBytes);
  assert.equal(lines.length, expected.length);
  lines.forEach((line, i) => {
    const want = expected[i];
    assert.equal(line.lineNo, i + 1);
    assert.equal(line.offset, want.offset, `offset of line ${i + 1}`);
    assert.equal(line.byteLength, want.byteLength, `byteLength of line ${i + 1}`);
    assert.equal(line.truncated, want.truncated, `truncated flag of line ${i + 1}`);
    const raw = buf.subarray(line.offset, line.offset + line.byteLength);
    assert.ok(!raw.includes(LF) && !raw.includes(CR), 'no break inside a line');
    if (!line.truncated) {
      assert.equal(line.text, raw.toString('utf8'), `text of line ${i + 1}`);
    } else {
      // The head of the line, cut at most 3 bytes early so that no character is split.
      const heads = [0, 1, 2, 3].map((back) => raw.subarray(0, maxLineBytes - back).toString('utf8'));
      assert.ok(heads.includes(line.text), `text of truncated line ${i + 1} is its head`);
      if (isValidUtf8(raw.subarray(0, maxLineBytes))) assert.ok(Buffer.byteLength(line.text) <= maxLineBytes);
    }
    // What follows the line is its break: LF, CR, CRLF, or the end of the input.
    const after = buf.subarray(line.offset + line.byteLength, line.offset + line.byteLength + 2);
    const next = i + 1 < lines.length ? lines[i + 1].offset : bytes.length;
    const breakBytes = next - (line.offset + line.byteLength);
    if (breakBytes === 1) assert.ok(after[0] === LF || (after[0] === CR && after[1] !== LF), `break after line ${i + 1}`);
    else if (breakBytes === 2) assert.deepEqual([...after], [CR, LF]);
    else assert.equal(breakBytes, 0, 'only the last line may lack a break');
  });
  // Every byte is in a line or a break: the lines and their breaks tile the input.
  assert.equal(lines[0]?.offset ?? bytes.length, 0, 'the first line starts the input');
}

const maxLineBytesArb = fc.oneof(fc.integer({ min: 1, max: 80 }), fc.constant(DEFAULT_MAX_LINE_BYTES));

describe('line reader properties', () => {
  it('matches the model for any bytes in any chunking', () => {
    fc.assert(
      fc.property(messyBytesArb, chunkSizesArb, maxLineBytesArb, (bytes, sizes, maxLineBytes) => {
        const lines = splitAll(chunk(bytes, sizes), { maxLineBytes });
        checkLines(bytes, lines, maxLineBytes);
      }),
      { numRuns: 400 },
    );
  });

  it('matches the model for arbitrary bytes rich in CR and LF', () => {
    const crlfBytes = fc
      .array(fc.oneof(fc.constantFrom(0x0a, 0x0d, 0x00, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f), fc.integer({ min: 0, max: 255 })), { maxLength: 200 })
      .map((a) => new Uint8Array(a));
    fc.assert(
      fc.property(crlfBytes, chunkSizesArb, fc.integer({ min: 1, max: 12 }), (bytes, sizes, maxLineBytes) => {
        checkLines(bytes, splitAll(chunk(bytes, sizes), { maxLineBytes }), maxLineBytes);
      }),
      { numRuns: 400 },
    );
  });

  it('gives the same lines however the input is chunked', () => {
    fc.assert(
      fc.property(messyBytesArb, chunkSizesArb, chunkSizesArb, maxLineBytesArb, (bytes, a, b, maxLineBytes) => {
        const whole = splitAll([bytes], { maxLineBytes });
        assert.deepEqual(splitAll(chunk(bytes, a), { maxLineBytes }), whole);
        assert.deepEqual(splitAll(chunk(bytes, b), { maxLineBytes }), whole);
        assert.deepEqual(splitAll(chunk(bytes, [1]), { maxLineBytes }), whole);
      }),
      { numRuns: 200 },
    );
  });

  it('does not keep references to chunks the caller reuses', () => {
    fc.assert(
      fc.property(messyBytesArb, fc.integer({ min: 1, max: 16 }), maxLineBytesArb, (bytes, size, maxLineBytes) => {
        const scratch = Buffer.alloc(size);
        const splitter = new LineSplitter({ maxLineBytes });
        const lines: PhysicalLine[] = [];
        const emit = (l: PhysicalLine): void => {
          lines.push(l);
        };
        for (let pos = 0; pos < bytes.length; pos += size) {
          const n = Math.min(size, bytes.length - pos);
          scratch.set(bytes.subarray(pos, pos + n));
          splitter.push(scratch.subarray(0, n), emit);
          scratch.fill(0x41);
        }
        splitter.end(emit);
        assert.deepEqual(lines, splitAll([bytes], { maxLineBytes }));
      }),
      { numRuns: 200 },
    );
  });

  it('readLines (async) gives what the splitter gives', async () => {
    await fc.assert(
      fc.asyncProperty(messyBytesArb, chunkSizesArb, maxLineBytesArb, async (bytes, sizes, maxLineBytes) => {
        const lines = await collect(readLines(yieldAll(chunk(bytes, sizes)), { maxLineBytes }));
        assert.deepEqual(lines, splitAll([bytes], { maxLineBytes }));
        checkLines(bytes, lines, maxLineBytes);
      }),
      { numRuns: 150 },
    );
  });

  it('ignores empty chunks', () => {
    fc.assert(
      fc.property(messyBytesArb, chunkSizesArb, (bytes, sizes) => {
        const chunks = chunk(bytes, sizes).flatMap((c) => [new Uint8Array(0), c, new Uint8Array(0)]);
        assert.deepEqual(splitAll(chunks), splitAll([bytes]));
      }),
      { numRuns: 100 },
    );
  });

  it('keeps whole lines of any valid text exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, '')), { maxLength: 10 }), chunkSizesArb, (texts, sizes) => {
        const bytes = utf8(texts.map((t) => `${t}\n`).join(''));
        const lines = splitAll(chunk(bytes, sizes));
        assert.deepEqual(
          lines.map((l) => l.text),
          texts,
        );
      }),
      { numRuns: 100 },
    );
  });
});
