/**
 * Big logs are read on a worker thread while this one replays them: the events, the
 * accounting and the errors must be exactly those of reading here, and dense inputs, whose
 * events are not worth copying between threads, are read here after all.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { truncateSync, writeFileSync } from 'node:fs';
import * as fc from 'fast-check';
import { drain } from '../../../src/core/drain';
import type { HotplugEvent } from '../../../src/core/events';
import { type InputSource, type InputSummary, ingestAll } from '../../../src/core/ingest';
import { type Handover, ingestElsewhere } from '../../../src/node/ingest-elsewhere';
import { fileSource, INGEST_ON_WORKER_BYTES, InputError } from '../../../src/node/inputs';
import { logTextArb, memorySource } from '../../helpers/bytes';
import { makeTempDir } from '../../helpers/tmp';

async function read(source: InputSource): Promise<{ events: HotplugEvent[]; summary: InputSummary }> {
  const events: HotplugEvent[] = [];
  const summary = await ingestAll(source, 0, (e) => events.push(e));
  return { events, summary };
}

/** `bytes` in the file `path`, named `label`, read through a worker that hands over as `handover` says. */
function onWorker(path: string, label: string, bytes: Uint8Array, handover: Handover): InputSource {
  writeFileSync(path, bytes);
  return {
    ...memorySource(label, bytes),
    ingestElsewhere: (index, options) => ingestElsewhere(path, label, index, options, (m) => new InputError(m), handover),
  };
}

describe('the ingest worker', () => {
  const tmp = makeTempDir();
  after(() => tmp.cleanup());
  let n = 0;

  it('reads every log as this thread does, handed over at any point', async () => {
    await fc.assert(
      fc.asyncProperty(logTextArb, fc.integer({ min: 1, max: 400 }), async (bytes, probeBytes) => {
        const path = tmp.file(`log-${n++}.log`);
        const handover = { maxEventsPerMiB: Number.POSITIVE_INFINITY, probeBytes, ahead: 2 };
        // Events and the summary are named by the label, not by the file the worker read.
        assert.deepEqual(await read(onWorker(path, 'guest.log', bytes, handover)), await read(memorySource('guest.log', bytes)));
      }),
      { numRuns: 30 },
    );
  });

  it('gives a dense input back before any of its events, and it is read here', async () => {
    const text = Buffer.from('[ 1.0] virtio_mem virtio5: plugged size: 0x0\n'.repeat(50));
    const path = tmp.file(`dense-${n++}.log`);
    const dense = { maxEventsPerMiB: 1, probeBytes: 64, ahead: 2 };
    writeFileSync(path, text);
    const it = ingestElsewhere(path, path, 0, {}, (m) => new InputError(m), dense);
    const first = await it.next();
    assert.deepEqual(first, { done: true, value: undefined });
    const { events, summary } = await read(onWorker(path, path, text, dense));
    assert.equal(events.length, 50);
    assert.equal(summary.recognized, 50);
  });

  it('reports progress as it reads, also through a stretch without any event, and every byte once', async () => {
    const path = tmp.file(`quiet-${n++}.log`);
    const noise = Buffer.from('[    3.000000] systemd[1]: Started session 1 of user root.\n'.repeat(60_000));
    writeFileSync(path, noise);
    const reports: number[] = [];
    const it = ingestElsewhere(path, path, 0, { onProgress: (bytes) => reports.push(bytes) }, (m) => new InputError(m), { maxEventsPerMiB: 2000, probeBytes: 1 << 20, ahead: 2 });
    const summary = await drain(it);
    assert.equal(summary?.lines, 60_000);
    assert.ok(reports.length >= 3, `${reports.length} progress reports`);
    assert.equal(reports.reduce((a, b) => a + b, 0), noise.length);
  });

  it('throws a read error as the one-line InputError the file source would', async () => {
    const missing = tmp.file('missing.log');
    const it = ingestElsewhere(missing, missing, 0, {}, (m) => new InputError(m));
    await assert.rejects(it.next(), (error: Error) => error instanceof InputError && error.message === `${missing}: no such file`);
  });

  it('stops the worker when the reader stops early', async () => {
    const path = tmp.file(`early-${n++}.log`);
    const source = onWorker(path, path, Buffer.from('[ 1.0] tdx: Failed to accept memory [0x0, 0x1000)\n'.repeat(5000)), { maxEventsPerMiB: Number.POSITIVE_INFINITY, probeBytes: 1, ahead: 1 });
    const it = (source.ingestElsewhere as NonNullable<InputSource['ingestElsewhere']>)(0, {});
    assert.equal((await it.next()).done, false);
    await it.return(undefined);
    // Returning is the test: a worker left running would keep mocha from exiting.
  });

  it('lets the process exit when a reader drops it without closing it', async () => {
    const path = tmp.file(`dropped-${n++}.log`);
    writeFileSync(path, '[ 1.0] tdx: Failed to accept memory [0x0, 0x1000)\n'.repeat(5000));
    const script = `
      const { ingestElsewhere } = require(${JSON.stringify(require.resolve('../../../src/node/ingest-elsewhere'))});
      const it = ingestElsewhere(${JSON.stringify(path)}, 'dropped.log', 0, {}, (m) => new Error(m), { maxEventsPerMiB: Infinity, probeBytes: 1, ahead: 1 });
      it.next().then((step) => console.log(step.done ? 'done' : 'batch'));`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(child.error, undefined, 'the process did not exit');
    assert.equal(child.stdout.trim(), 'batch');
  });

  it('is used for big files only, and not for what only this thread can read', async () => {
    const small = tmp.file('small.log');
    writeFileSync(small, 'tdx: x\n');
    const big = tmp.file('big.log');
    writeFileSync(big, '');
    truncateSync(big, INGEST_ON_WORKER_BYTES);
    assert.equal((await fileSource(small)).ingestElsewhere, undefined);
    assert.equal(typeof (await fileSource(big)).ingestElsewhere, 'function');
  });
});
