/**
 * The analysis worker: reads the given inputs off the caller's thread and posts progress, then
 * the whole analysis with what the editor shows of it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runAnalysis } from './analysis-job';
import type { AnalyzeRequest, WorkerMessage } from './protocol';

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer);
}

async function run(request: AnalyzeRequest): Promise<void> {
  const { analysis, transfer } = await runAnalysis(request, (bytes, totalBytes) => post({ type: 'progress', bytes, totalBytes }));
  post({ type: 'analysis', analysis }, transfer);
}

// Loaded without a parent thread, this file is a library: the extension runs the job in its own
// thread when the worker is turned off.
if (parentPort) run(workerData as AnalyzeRequest).catch((error: unknown) => post({ type: 'error', message: (error as Error).message }));

export { runAnalysis };
