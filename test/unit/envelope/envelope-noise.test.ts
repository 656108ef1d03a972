/**
 * Console noise in lines (src/core/envelope/noise.ts): NUL runs, control bytes and bytes that
 * are not UTF-8 do not keep a line from being read, and the columns of what is read are those
 * of the line as it is.
 */
import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { hasNoise, isNoiseByte, noisyColumn, withoutNoise } from '../../../src/core/envelope/noise';
import { parseEnvelopeWithoutNoise } from '../../../src/core/envelope/parse';
import type { HotplugEvent } from '../../../src/core/events';
import { ingestAll, type InputSummary } from '../../../src/core/ingest';
import { chunkSizesArb, logLineArb, memorySource, utf8 } from '../../helpers/bytes';

const isAlphanumeric = (c: string | undefined): boolean => c !== undefined && /^[0-9A-Za-z]$/.test(c);

async function read(bytes: Uint8Array, sizes: readonly number[] = [1 << 16]): Promise<{ events: HotplugEvent[]; summary: InputSummary }> {
  const events: HotplugEvent[] = [];
  const summary = await ingestAll(memorySource('noise.log', bytes, sizes), 0, (e) => events.push(e));
  return { events, summary };
}

/** What an event says, its strings heard without noise, its position by line only. */
function said(e: HotplugEvent): unknown {
  const { source, ...rest } = e;
  const fields = JSON.parse(JSON.stringify(rest, (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : typeof v === 'string' ? withoutNoise(v) : v)));
  return { ...fields, line: source.line, span: source.span };
}

/** `text` as UTF-8, with each U+FFFD written as the invalid byte 0xff the reader decodes to it. */
function withInvalidBytes(text: string): Uint8Array {
  const parts = text.split('\ufffd').map(utf8);
  const out: Uint8Array[] = [];
  parts.forEach((p, i) => out.push(...(i > 0 ? [new Uint8Array([0xff]), p] : [p])));
  return new Uint8Array(Buffer.concat(out));
}

const FAILED = '[ 5714.676296] tdx: Failed to accept memory [0x108000000, 0x110000000)';

describe('console noise', () => {
  it('is NUL and the other C0 controls but TAB, LF and CR, DEL, and U+FFFD', () => {
    for (let c = 0; c < 0x80; c++) assert.equal(isNoiseByte(c), (c < 0x20 && ![0x09, 0x0a, 0x0d].includes(c)) || c === 0x7f, `byte 0x${c.toString(16)}`);
    // LF and CR end lines before any line gets here.
    for (let c = 0; c < 0x80; c++) if (c !== 0x0a && c !== 0x0d) assert.equal(hasNoise(`a${String.fromCharCode(c)}b`), isNoiseByte(c), `char 0x${c.toString(16)}`);
    assert.equal(hasNoise('a\ufffdb'), true);
    assert.equal(hasNoise('a\tb é € 😀'), false);
  });

  it('is taken out of a line, as one space between two letters or digits', () => {
    const cases: Array<[string, string]> = [
      ['\x00\x00\x00\x00[ 5714.676296] tdx: x', '[ 5714.676296] tdx: x'],
      ['[ \x005714.676296]\x00 tdx: x\x00', '[ 5714.676296] tdx: x'],
      ['[ 5714.676296] \ufffd\ufffdtdx: Failed', '[ 5714.676296] tdx: Failed'],
      ['virtio\x00_mem', 'virtio_mem'],
      ['addr=0x108\x00000000', 'addr=0x108 000000'],
      ['a\x07\x1b\x7f\ufffdb', 'a b'],
      ['a\tb', 'a\tb'],
    ];
    for (const [noisy, clean] of cases) assert.equal(withoutNoise(noisy), clean, JSON.stringify(noisy));
  });

  it('maps every column of the line without noise back to the same character in the line', () => {
    const piece = fc.constantFrom('a', '7', ' ', ':', '[', '\t', 'é', '\x00', '\x00\x00\x00', '\x07', '\x7f', '\ufffd');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const text = pieces.join('');
        const clean = withoutNoise(text);
        let before = -1;
        for (let c = 0; c < clean.length; c++) {
          const at = noisyColumn(text, c);
          assert.ok(at > before, 'columns keep their order');
          before = at;
          // The character itself, or noise where the clean text has the one space standing for it.
          assert.ok(text[at] === clean[c] || (clean[c] === ' ' && hasNoise(text[at])), `column ${c} of ${JSON.stringify(clean)} is ${at} in ${JSON.stringify(text)}`);
        }
        assert.equal(noisyColumn(text, clean.length), text.length, 'the end of the clean text is the end of the line');
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the column of the message in the line as it is', () => {
    const env = parseEnvelopeWithoutNoise(`\x00\x00\x00${FAILED.replace('] ', ']\x00 \ufffd')}`);
    assert.equal(env.message, 'tdx: Failed to accept memory [0x108000000, 0x110000000)');
    assert.equal(env.column, 3 + 15 + 2);
    assert.deepEqual(env.time, { clock: 'boot', micros: 5_714_676_296 });
  });

  it('does not keep a line from being read: NUL runs, NULs in the prefix and after the message, bytes that are not UTF-8', async () => {
    const clean = (await read(utf8(`${FAILED}\n`))).events;
    assert.equal(clean.length, 1);
    const variants: Array<[string, Uint8Array, number]> = [
      ['NUL run at the start', utf8(`\x00\x00\x00\x00\x00\x00${FAILED}\n`), 6 + 15],
      ['NUL in the timestamp', utf8(`${FAILED.replace('[ ', '[ \x00')}\n`), 16],
      ['NUL after the timestamp', utf8(`${FAILED.replace('] ', ']\x00 ')}\n`), 16],
      ['NUL after the message', utf8(`${FAILED}\x00\x00\n`), 15],
      ['0xff before the message', withInvalidBytes(`${FAILED.replace('] ', '] \ufffd\ufffd')}\n`), 17],
      ['DEL and BEL in the message', utf8(`${FAILED.replace('tdx: ', 'tdx: \x7f\x07')}\n`), 15],
    ];
    for (const [name, bytes, column] of variants) {
      const { events, summary } = await read(bytes);
      assert.deepEqual(
        events.map((e) => said(e)),
        clean.map((e) => said(e)),
        name,
      );
      assert.deepEqual([summary.recognized, summary.unparsed], [1, 0], name);
      assert.equal(events[0].source.column, column, `${name}: column of the message`);
      assert.equal(events[0].source.endColumn, Buffer.from(bytes).toString('utf8').replace(/\n$/, '').length, `${name}: end column`);
    }
  });

  it('between two digits is not read as nothing: the line is unparsed, not read with another number', async () => {
    const { events, summary } = await read(utf8(`${FAILED.replace('0x108', '0x108\x00')}\n`));
    assert.deepEqual(events, []);
    assert.equal(summary.unparsed, 1);
    assert.equal(summary.unparsedLines[0].text, FAILED.replace('0x108', '0x108\x00'), 'shown as it is');
  });

  it('anywhere but between two letters or digits, changes nothing a log says', async () => {
    const noise = fc.constantFrom('\x00', '\x00\x00\x00\x00', '\x07', '\x7f', '\x1b', '\ufffd', '\ufffd\ufffd');
    const insertion = fc.tuple(fc.nat(), fc.nat(), noise);
    await fc.assert(
      fc.asyncProperty(
        fc.array(logLineArb, { maxLength: 20 }),
        fc.array(insertion, { maxLength: 12 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        chunkSizesArb,
        async (records, insertions, eol, sizes) => {
          const lines = records.flat();
          const noisy = [...lines];
          for (const [which, where, n] of insertions) {
            if (noisy.length === 0) break;
            const i = which % noisy.length;
            const line = noisy[i];
            // The first place from `where` on that is not between two letters or digits.
            for (let k = 0; k <= line.length; k++) {
              const at = (where + k) % (line.length + 1);
              if (isAlphanumeric(line[at - 1]) && isAlphanumeric(line[at])) continue;
              noisy[i] = line.slice(0, at) + n + line.slice(at);
              break;
            }
          }
          const a = await read(utf8(`${lines.join('\n')}\n`));
          const b = await read(withInvalidBytes(`${noisy.join(eol)}${eol}`), sizes);
          assert.deepEqual(
            b.events.map((e) => said(e)),
            a.events.map((e) => said(e)),
          );
          const counts = (s: InputSummary) => [s.lines, s.recognized, s.ignored, s.unparsed, s.unparsedLines.map((u) => u.line), s.rejoined];
          assert.deepEqual(counts(b.summary), counts(a.summary));
        },
      ),
      { numRuns: 300 },
    );
  });
});
