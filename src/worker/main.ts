/**
 * The analysis worker: reads the given inputs off the caller's thread and posts progress, then
 * either the events it recognised (`events`) or the whole analysis (`analyze`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { mergeInputs } from '../core/merge/index';
import { eventToJson, type JsonValue } from '../core/serialize';
import { contentSize, fileSource } from '../node/inputs';
import { bytesToRead, runAnalysis } from './analysis-job';
import type { EventsRequest, WorkerMessage, WorkerRequest } from './protocol';

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer);
}

const progress = (bytes: number, totalBytes: number) => post({ type: 'progress', bytes, totalBytes });

async function listEvents(request: EventsRequest): Promise<void> {
  const sources = await Promise.all(request.files.map((file) => fileSource(file)));
  const totalBytes = bytesToRead(await Promise.all(request.files.map((file) => contentSize(file))));
  let done = 0;
  const it = mergeInputs(sources, {
    maxLineBytes: request.maxLineBytes,
    onProgress: (chunkBytes) => progress(Math.min((done += chunkBytes), totalBytes), totalBytes),
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

async function run(request: WorkerRequest): Promise<void> {
  if (request.job === 'events') return listEvents(request);
  const { analysis, transfer } = await runAnalysis(request, progress);
  post({ type: 'analysis', analysis }, transfer);
}

run(workerData as WorkerRequest).catch((error: unknown) => post({ type: 'error', message: (error as Error).message }));
