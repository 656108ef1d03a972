/** Accounting of InputParser through ingestAll: every physical line is counted exactly once. */
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import type { HotplugEvent } from '../../../src/core/events';
import { type InputSummary, ingestAll } from '../../../src/core/ingest';
import { InputParser } from '../../../src/core/ingest/input-parser';
import { chunkSizesArb, logTextArb, memorySource, messyBytesArb, splitAll, utf8 } from '../../helpers/bytes';

async function parse(bytes: Uint8Array, sizes: readonly number[], maxLineBytes?: number): Promise<{ events: HotplugEvent[]; summary: InputSummary }> {
  const events: HotplugEvent[] = [];
  const summary = await ingestAll(memorySource('mem.log', bytes, sizes), 0, (e) => events.push(e), { maxLineBytes });
  return { events, summary };
}

async function checkAccounting(bytes: Uint8Array, sizes: readonly number[], otherSizes: readonly number[], maxLineBytes?: number): Promise<void> {
  const { events, summary } = await parse(bytes, sizes, maxLineBytes);
  const physical = splitAll([bytes], { maxLineBytes });
  assert.equal(summary.lines, physical.length, 'lines counted = lines read');
  assert.equal(summary.recognized + summary.ignored + summary.unparsed, summary.lines, 'recognized + ignored + unparsed = lines');
  assert.equal(summary.bytes, bytes.length);
  assert.equal(summary.truncatedLines, physical.filter((l) => l.truncated).length);
  let last = 0;
  for (const event of events) {
    const { line, span, offset } = event.source;
    assert.ok(line >= 1 && line <= summary.lines, `event line ${line} within 1..${summary.lines}`);
    assert.ok(span >= 1 && line + span - 1 <= summary.lines, `event span ${line}+${span} within the input`);
    assert.equal(offset, physical[line - 1].offset);
    assert.ok(line >= last, `events in line order (${line} after ${last})`);
    last = line;
    assert.equal(event.input, 0);
    assert.equal(event.source.path, 'mem.log');
  }
  assert.equal(summary.unparsedLines.length, summary.unparsed);
  for (const u of summary.unparsedLines) assert.equal(u.text, physical[u.line - 1].text);

  // The same as every physical line given to the parser one by one: whatever ingest passes
  // over without parsing could not have made a difference.
  const direct: HotplugEvent[] = [];
  const parser = new InputParser('mem.log', 0, (e) => direct.push(e));
  for (const line of physical) parser.line(line);
  parser.end();
  assert.deepEqual(events, direct);
  assert.deepEqual({ ...parser.counts }, { lines: summary.lines, recognized: summary.recognized, ignored: summary.ignored, unparsed: summary.unparsed });
  assert.deepEqual(summary.unparsedLines, parser.unparsedLines);

  // Deterministic, whatever the chunking: the same events and the same summary.
  const again = await parse(bytes, otherSizes, maxLineBytes);
  assert.deepEqual(again.events, events);
  assert.deepEqual(again.summary, summary);
}

describe('input accounting properties', () => {
  it('counts every line of generated logs once, events in line order, independent of chunking', async () => {
    await fc.assert(
      fc.asyncProperty(logTextArb, chunkSizesArb, chunkSizesArb, async (bytes, a, b) => checkAccounting(bytes, a, b)),
      { numRuns: 300 },
    );
  });

  it('holds for messy bytes and small line bounds too', async () => {
    await fc.assert(
      fc.asyncProperty(messyBytesArb, chunkSizesArb, chunkSizesArb, fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined }), async (bytes, a, b, max) =>
        checkAccounting(bytes, a, b, max),
      ),
      { numRuns: 300 },
    );
  });

  it('holds for logs with console noise anywhere, inside words too, and lone CR breaks', async () => {
    // What ingest passes over unparsed must be what the parser ignores also when it reads a
    // line without its noise: the keyword scanner passes over the same noise.
    const noisy = fc
      .tuple(logTextArb, fc.array(fc.tuple(fc.nat(), fc.constantFrom([0x00], [0x00, 0x00, 0x00], [0x07], [0x7f], [0x1b], [0xff], [0x0d])), { maxLength: 10 }))
      .map(([bytes, insertions]) => {
        let out = Buffer.from(bytes);
        for (const [at, noise] of insertions) {
          const k = at % (out.length + 1);
          out = Buffer.concat([out.subarray(0, k), Buffer.from(noise), out.subarray(k)]);
        }
        return new Uint8Array(out);
      });
    await fc.assert(
      fc.asyncProperty(noisy, chunkSizesArb, chunkSizesArb, async (bytes, a, b) => checkAccounting(bytes, a, b)),
      { numRuns: 300 },
    );
  });

  it('is the same for LF, CRLF and lone CR line breaks', async () => {
    await fc.assert(
      fc.asyncProperty(logTextArb, fc.constantFrom('\r\n', '\r'), chunkSizesArb, async (bytes, eol, sizes) => {
        const lf = Buffer.from(bytes).toString('utf8').replace(/\r\n/g, '\n');
        const other = lf.replace(/\n/g, eol);
        const x = await parse(utf8(lf), [1 << 16]);
        const y = await parse(utf8(other), sizes);
        const strip = (events: HotplugEvent[]) => events.map((e) => ({ ...e, source: { ...e.source, offset: 0 } }));
        assert.deepEqual(strip(y.events), strip(x.events));
        const { bytes: _b1, ...cx } = x.summary;
        const { bytes: _b2, ...cy } = y.summary;
        assert.deepEqual(cy, cx);
      }),
      { numRuns: 200 },
    );
  });

  it('accounts for a known mix exactly', async () => {
    const text = [
      '[ 5707.392231] virtio_mem virtio5: plugged size: 0x80000000',
      '[   10.000000] virtio_mem virtio5: plugging memory: 0x100000000 -',
      '0x107ffffff',
      '[ 5708.000001] tdx: Failed to accept memory [0x108000000, 0x110000000)',
      '[    1.0] virtio_mem virtio5: some future message',
      '[  100.1] ACPI: bus type PCI registered',
      '',
    ].join('\n');
    const { events, summary } = await parse(utf8(text), [3]);
    assert.deepEqual(
      { lines: summary.lines, recognized: summary.recognized, ignored: summary.ignored, unparsed: summary.unparsed },
      { lines: 6, recognized: 4, ignored: 1, unparsed: 1 },
    );
    assert.deepEqual(
      events.map((e) => [e.source.line, e.source.span, e.kind]),
      [
        [1, 1, 'vmem.size'],
        [2, 2, 'vmem.range'],
        [4, 1, 'tdx.acceptFailed'],
      ],
    );
    assert.deepEqual(summary.unparsedLines, [{ line: 5, text: '[    1.0] virtio_mem virtio5: some future message' }]);
  });

  // Regressions: an abandoned line's held continuation, replayed, may become pending itself.
  it('counts a replayed continuation line that is a subject line itself', async () => {
    const text = 'virtio_mem virtio5: foo\nvirtio_mem virtio5: bar\nvirtio_mem virtio5: baz\n';
    const { summary } = await parse(utf8(text), [1 << 16]);
    assert.equal(summary.recognized + summary.ignored + summary.unparsed, 3);
    assert.deepEqual(
      summary.unparsedLines.map((u) => u.line),
      [1, 2, 3],
    );
  });

  it('counts a replayed line left pending at the end of the input', async () => {
    const text = 'qemu-system-x86_64: warning: virtio-mem: something odd\n------------[ cut here ]------------\0';
    const { summary } = await parse(utf8(text), [1 << 16]);
    assert.equal(summary.recognized + summary.ignored + summary.unparsed, 2);
  });

  it('keeps events in line order when a replayed line completes later', async () => {
    const text = [
      'virtio_mem virtio5: foo',
      'virtio_mem virtio5: plugging memory: 0x100000000 -',
      '[ 2.0] virtio_mem virtio5: plugged size: 0x1',
      '0x107ffffff',
      '',
    ].join('\n');
    const { events } = await parse(utf8(text), [1 << 16]);
    const lines = events.map((e) => e.source.line);
    assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
  });
});
