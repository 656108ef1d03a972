/**
 * Big plain logs are scanned for look words on a worker thread while this one parses: the
 * events, the accounting and the errors must be exactly those of reading on one thread.
 */
import * as assert from 'node:assert/strict';
import { truncateSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import * as fc from 'fast-check';
import { type InputSource, ingestAll } from '../../src/core/ingest';
import { FoundLines, KeywordScanner } from '../../src/core/keyword-scanner';
import { LOOK_WORDS } from '../../src/core/sources/index';
import { fileSource, InputError, SCAN_ON_WORKER_BYTES } from '../../src/node/inputs';
import { scannedChunks } from '../../src/node/scanned-file';
import { logTextArb, memorySource } from '../helpers/bytes';
import { makeTempDir } from '../helpers/tmp';

async function read(source: InputSource): Promise<unknown> {
  const events: unknown[] = [];
  const summary = await ingestAll(source, 0, (e) => events.push(e));
  return { events, summary };
}

describe('the scan worker', () => {
  const tmp = makeTempDir();
  after(() => tmp.cleanup());

  it('reads every log as one thread does, whatever the chunk size', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(logTextArb, fc.integer({ min: 8, max: 600 }), async (bytes, chunkBytes) => {
        const path = tmp.file(`log-${run++}.log`);
        writeFileSync(path, bytes);
        const scanned: InputSource = {
          path,
          open: () => memorySource(path, bytes).open(),
          openScanned: (words) => scannedChunks(path, words, chunkBytes, (e) => new Error(e.message)),
        };
        assert.deepEqual(await read(scanned), await read(memorySource(path, bytes)));
      }),
      { numRuns: 40 },
    );
  });

  it('hands over the file in order, with the lines that hold a word', async () => {
    const path = tmp.file('words.log');
    const text = 'noise\n[ 1.0] virtio_mem virtio5: plugged size: 0x0\nmore noise\ntdx: x\nlast without break tdx';
    writeFileSync(path, text);
    const chunks: Array<{ text: string; hits: number[] }> = [];
    for await (const { chunk, hits } of scannedChunks(path, LOOK_WORDS, 16, (e) => new Error(e.message))) {
      chunks.push({ text: Buffer.from(chunk).toString('latin1'), hits: [...hits] });
    }
    assert.equal(chunks.map((c) => c.text).join(''), text);
    // Only lines wholly inside a chunk are named; a line cut by a chunk end is read in full anyway.
    const named = chunks.flatMap((c) => c.hits.map((h) => c.text.slice(h, c.text.indexOf('\n', h))));
    for (const line of named) assert.ok(/virtio_mem|tdx/.test(line), line);
  });

  it('throws the read error as a one-line InputError message', async () => {
    const missing = tmp.file('missing.log');
    await assert.rejects(
      (async () => {
        for await (const _ of scannedChunks(missing, LOOK_WORDS, 1024, (e) => new InputError(`${missing}: ${e.code}`))) void _;
      })(),
      (error: Error) => error instanceof InputError && error.message === `${missing}: ENOENT`,
    );
  });

  it('stops the worker when the reader stops early', async () => {
    const path = tmp.file('early.log');
    writeFileSync(path, 'x\n'.repeat(10_000));
    for await (const _ of scannedChunks(path, LOOK_WORDS, 64, (e) => new Error(e.message))) break;
    // Nothing to assert beyond returning: a worker left running would keep mocha from exiting.
  });

  it('is used for big plain files only, not for small or gzip ones', async () => {
    const small = tmp.file('small.log');
    writeFileSync(small, 'tdx: x\n');
    const big = tmp.file('big.log');
    writeFileSync(big, '');
    truncateSync(big, SCAN_ON_WORKER_BYTES);
    const gz = tmp.file('big.log.gz');
    writeFileSync(gz, gzipSync(Buffer.alloc(SCAN_ON_WORKER_BYTES)));
    assert.equal((await fileSource(small)).openScanned, undefined);
    assert.equal(typeof (await fileSource(big)).openScanned, 'function');
    assert.equal((await fileSource(gz)).openScanned, undefined);
  });
});

describe('FoundLines', () => {
  const scanner = new KeywordScanner(['tdx', 'virtio_mem']);
  const chunk = Buffer.from('a\ntdx 1\nb\nvirtio_mem 2\nc\n');
  const hits = Int32Array.from([2, 10]);

  it('answers from the hits for any part of the chunk, as the scanner would', () => {
    const found = new FoundLines(scanner);
    found.use(chunk, hits);
    for (const from of [0, 2, 8, 10, 23]) {
      const part = chunk.subarray(from);
      assert.equal(found.findLine(part, 0, part.length), scanner.findLine(part, 0, part.length), `from ${from}`);
    }
  });

  it('scans bytes that are not from the chunk, and every chunk given without hits', () => {
    const found = new FoundLines(scanner);
    found.use(chunk, hits);
    const other = Buffer.from('x\ntdx\n');
    assert.equal(found.findLine(other, 0, other.length), 2);
    found.use(other, undefined);
    assert.equal(found.findLine(other, 0, other.length), 2);
  });
});
