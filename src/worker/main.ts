/**
 * The analysis worker: reads and merges the given files off the caller's thread and posts
 * progress, event batches and the summary.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { mergeInputs } from '../core/merge/index';
import { eventToJson, type JsonValue } from '../core/serialize';
import { contentSize, fileSource } from '../node/inputs';
import type { WorkerMessage, WorkerRequest } from './protocol';

function post(message: WorkerMessage): void {
  parentPort?.postMessage(message);
}

async function run(request: WorkerRequest): Promise<void> {
  const sources = await Promise.all(request.files.map((file) => fileSource(file)));
  const sizes = await Promise.all(request.files.map((file) => contentSize(file)));
  const totalBytes = sizes.reduce((a, b) => a + b, 0) * (request.files.length > 1 ? 2 : 1);
  let done = 0;
  const it = mergeInputs(sources, {
    maxLineBytes: request.maxLineBytes,
    onProgress: (chunkBytes) => {
      done += chunkBytes;
      // A gzip trailer's size is an estimate: never report more than the whole.
      post({ type: 'progress', bytes: Math.min(done, totalBytes), totalBytes });
    },
  });
  let step = await it.next();
  while (!step.done) {
    post({ type: 'events', events: step.value.map(eventToJson) });
    step = await it.next();
  }
  const report = step.value;
  post({
    type: 'done',
    inputs: report.inputs.map((s) => ({ path: s.path, lines: s.lines, recognized: s.recognized, ignored: s.ignored, unparsed: s.unparsed })),
    alignment: report.alignment as unknown as JsonValue,
  });
}

run(workerData as WorkerRequest).catch((error: unknown) => post({ type: 'error', message: (error as Error).message }));
