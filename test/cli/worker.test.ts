/** The analysis worker (dist/worker.js) as the extension starts it: a real worker thread on real files. */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { History } from '../../src/core/model/history';
import type { AnalyzeRequest, WorkerMessage } from '../../src/worker/protocol';
import { ensureBuilt, ROOT } from '../helpers/cli';

function run(request: AnalyzeRequest): Promise<WorkerMessage[]> {
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

  it('streams progress to the total, then the analysis, for a merged guest + QEMU run', async () => {
    const guest = join(ROOT, 'examples', 'tdx-replug-failure', 'guest.log');
    const qemu = join(ROOT, 'examples', 'tdx-replug-failure', 'qemu.log');
    const messages = await run({ job: 'analyze', inputs: [{ path: 'guest.log', file: guest }, { path: 'qemu.log', file: qemu }] });
    const progress = messages.filter((m): m is Extract<WorkerMessage, { type: 'progress' }> => m.type === 'progress');
    assert.ok(progress.length > 0);
    assert.equal(progress.at(-1)?.bytes, progress.at(-1)?.totalBytes, 'progress reaches the total');
    const last = messages.at(-1);
    assert.equal(last?.type, 'analysis');
    if (last?.type === 'analysis') assert.deepEqual(last.analysis.inputs.map((i) => i.path), ['guest.log', 'qemu.log']);
  });

  it('analyses logs handed over as bytes (unsaved edits, virtual file systems)', async () => {
    const { readFileSync } = await import('node:fs');
    const bytes = new Uint8Array(readFileSync(join(ROOT, 'examples', 'tdx-replug-failure', 'guest.log')));
    const messages = await run({ job: 'analyze', inputs: [{ path: 'untitled:guest', bytes }] });
    const last = messages.at(-1);
    assert.equal(last?.type, 'analysis');
    if (last?.type === 'analysis') assert.equal(last.analysis.findings.filter((f) => f.code === 'HPL001').length, 8);
  });

  it('measures progress of a gzip input against its uncompressed size', async () => {
    const { gzipSync } = await import('node:zlib');
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const plain = readFileSync(join(ROOT, 'examples', 'tdx-replug-failure', 'qemu.log'));
    const gz = join(mkdtempSync(join(tmpdir(), 'hpl-worker-')), 'qemu.log.gz');
    writeFileSync(gz, gzipSync(plain));
    const messages = await run({ job: 'analyze', inputs: [{ path: gz }] });
    const progress = messages.filter((m): m is Extract<WorkerMessage, { type: 'progress' }> => m.type === 'progress');
    assert.equal(progress.at(-1)?.totalBytes, plain.length);
    assert.equal(progress.at(-1)?.bytes, plain.length);
  });

  it('analyses a guest + QEMU run: findings, the changes each line made, last states and outline', async () => {
    const guest = join(ROOT, 'examples', 'tdx-replug-failure', 'guest.log');
    const qemu = join(ROOT, 'examples', 'tdx-replug-failure', 'qemu.log');
    const messages = await run({ job: 'analyze', inputs: [{ path: guest }, { path: qemu }] });
    const result = messages.find((m): m is Extract<WorkerMessage, { type: 'analysis' }> => m.type === 'analysis');
    assert.ok(result, `no analysis in ${messages.map((m) => m.type).join(', ')}`);
    const { analysis } = result;
    const errors = analysis.findings.filter((f) => f.code === 'HPL001');
    assert.deepEqual(errors.map((f) => f.location.line).sort((a, b) => a - b), [22, 23, 24, 25, 26, 27, 28, 29]);
    // One root cause: the 8 failed accepts and the UNPLUG acknowledged without a private discard.
    assert.equal(analysis.rootCauses.length, 1);
    assert.equal(analysis.rootCauses[0].findingCount, 9);
    // The failed accept at line 22 touched [0x108000000, 0x110000000): stale before, still accepted after.
    const changes = new History(analysis.history).at(0, 22);
    assert.ok(changes.length > 0, 'line 22 changed subblocks');
    assert.equal(changes[0].start, 0x108000000n);
    assert.equal(changes.at(-1)?.end, 0x110000000n);
    assert.equal(changes[0].before.accept, 'stale');
    const state = analysis.states.find((s) => s.device === 'virtio5');
    assert.ok(state && state.tuples.length >= 128, 'the last state of every subblock of virtio5');
    assert.deepEqual(analysis.outline[0].map((d) => d.device), ['virtio5']);
    assert.deepEqual(analysis.outline[0][0].phases.map((p) => [p.line, p.label]), [
      [11, 'resize to 0x0'],
      [14, 'resize to 0x80000000 (2 GiB)'],
      [19, 'resize to 0x0'],
      [21, 'resize to 0x80000000 (2 GiB)'],
    ]);
  });

  it('reports an unreadable file as an error message, not a crash', async () => {
    const messages = await run({ job: 'analyze', inputs: [{ path: join(ROOT, 'no-such-file.log') }] });
    assert.deepEqual(
      messages.map((m) => m.type),
      ['error'],
    );
    assert.match((messages[0] as Extract<WorkerMessage, { type: 'error' }>).message, /no such file/);
  });
});
