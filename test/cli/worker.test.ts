/** The analysis worker (dist/worker.js) as the extension starts it: a real worker thread on real files. */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerMessage, WorkerRequest } from '../../src/worker/protocol';
import { ensureBuilt, ROOT } from '../helpers/cli';

function run(request: WorkerRequest): Promise<WorkerMessage[]> {
  return new Promise((resolve, reject) => {
    const messages: WorkerMessage[] = [];
    const worker = new Worker(join(ROOT, 'dist', 'worker.js'), { workerData: request });
    worker.on('message', (m: WorkerMessage) => messages.push(m));
    worker.on('error', reject);
    worker.on('exit', () => resolve(messages));
  });
}

describe('analysis worker', function () {
  this.timeout(30_000);
  before(ensureBuilt);

  it('streams progress, event batches and the summary of a merged guest + QEMU run', async () => {
    const guest = join(ROOT, 'examples', 'tdx-replug-failure', 'guest.log');
    const qemu = join(ROOT, 'examples', 'tdx-replug-failure', 'qemu.log');
    const messages = await run({ files: [guest, qemu] });
    const progress = messages.filter((m) => m.type === 'progress');
    assert.ok(progress.length > 0);
    const last = progress[progress.length - 1] as Extract<WorkerMessage, { type: 'progress' }>;
    assert.equal(last.bytes, last.totalBytes, 'progress reaches the total');
    const events = messages.flatMap((m) => (m.type === 'events' ? m.events : []));
    assert.ok(events.some((e) => e.kind === 'tdx.acceptFailed' && e.start === '0x108000000'));
    assert.ok(events.some((e) => e.kind === 'qemu.vmem.request'));
    const done = messages.find((m) => m.type === 'done') as Extract<WorkerMessage, { type: 'done' }>;
    assert.ok(done, 'a done message ends the run');
    assert.deepEqual(
      (done.inputs as Array<{ path: string }>).map((i) => i.path),
      [guest, qemu],
    );
    assert.equal(messages.at(-1)?.type, 'done');
  });

  it('measures progress of a gzip input against its uncompressed size', async () => {
    const { gzipSync } = await import('node:zlib');
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const plain = readFileSync(join(ROOT, 'examples', 'tdx-replug-failure', 'qemu.log'));
    const gz = join(mkdtempSync(join(tmpdir(), 'hpl-worker-')), 'qemu.log.gz');
    writeFileSync(gz, gzipSync(plain));
    const messages = await run({ files: [gz] });
    const progress = messages.filter((m): m is Extract<WorkerMessage, { type: 'progress' }> => m.type === 'progress');
    assert.equal(progress.at(-1)?.totalBytes, plain.length);
    assert.equal(progress.at(-1)?.bytes, plain.length);
  });

  it('reports an unreadable file as an error message, not a crash', async () => {
    const messages = await run({ files: [join(ROOT, 'no-such-file.log')] });
    assert.deepEqual(
      messages.map((m) => m.type),
      ['error'],
    );
    assert.match((messages[0] as Extract<WorkerMessage, { type: 'error' }>).message, /no such file/);
  });
});
