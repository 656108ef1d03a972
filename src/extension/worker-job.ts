/**
 * One analysis job: in a worker thread (the default), or in the extension host's own thread when
 * the user turned the worker off. Cancelling a worker job terminates the thread.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AnalysisPayload, AnalyzeRequest, WorkerMessage } from '../worker/protocol';

export class Cancelled extends Error {
  constructor() {
    super('analysis cancelled');
  }
}

export interface Job {
  result: Promise<AnalysisPayload>;
  cancel(): void;
}

type Progress = (bytes: number, totalBytes: number) => void;

/** Threads running now: the tests check that cancelling leaves none behind. */
let running = 0;
export function runningWorkers(): number {
  return running;
}

export function startJob(distDir: string, request: AnalyzeRequest, onProgress: Progress, useWorker: boolean): Job {
  return useWorker ? inWorker(distDir, request, onProgress) : inThisThread(distDir, request, onProgress);
}

function inWorker(distDir: string, request: AnalyzeRequest, onProgress: Progress): Job {
  // Only bytes that own their whole buffer move to the worker; a view into a shared buffer
  // (Node's pool) is copied, so that nothing else loses its memory.
  const transfer = request.inputs.flatMap((i) =>
    i.bytes && i.bytes.byteOffset === 0 && i.bytes.byteLength === i.bytes.buffer.byteLength ? [i.bytes.buffer as ArrayBuffer] : [],
  );
  const worker = new Worker(path.join(distDir, 'worker.js'), { workerData: request, transferList: transfer });
  running += 1;
  let cancelled = false;
  const result = new Promise<AnalysisPayload>((resolve, reject) => {
    let answer: AnalysisPayload | undefined;
    let failure: Error | undefined;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress(m.bytes, m.totalBytes);
      else if (m.type === 'analysis') answer = m.analysis;
      else if (m.type === 'error') failure = new Error(m.message);
    });
    worker.on('error', (error) => (failure ??= error));
    worker.on('exit', () => {
      running -= 1;
      if (cancelled) reject(new Cancelled());
      else if (answer) resolve(answer);
      else reject(failure ?? new Error('the analysis worker stopped without an answer'));
    });
  });
  return {
    result,
    cancel: () => {
      cancelled = true;
      void worker.terminate();
    },
  };
}

function inThisThread(distDir: string, request: AnalyzeRequest, onProgress: Progress): Job {
  let cancelled = false;
  // The worker bundle doubles as a library when it has no parent thread.
  const { runAnalysis } = require(path.join(distDir, 'worker.js')) as typeof import('../worker/main');
  const result = runAnalysis(request, (bytes, total) => {
    if (cancelled) throw new Cancelled();
    onProgress(bytes, total);
  }).then(({ analysis }) => analysis);
  return {
    result,
    cancel: () => {
      cancelled = true;
    },
  };
}
