/**
 * A scenario simulated on a worker thread (simulate-worker.ts), seen from the thread that
 * waits for its logs: the replay's debug adapter, which runs in VS Code's extension host and
 * must stay responsive however long a scenario runs, and stop it when its session ends.
 */
import type { Budgets } from '../core/scenario/budget';
import { startWorker } from './workers';

export interface SimulateRequest {
  /** The scenario file, and the existing folder its logs go to. */
  file: string;
  dir: string;
  budgets: Budgets;
}

/** Worker → main, once: the logs written that are not empty, or what went wrong (one line). */
export type SimulateMessage = { written: string[] } | { error: string };

/**
 * Enough for the simulator, whose memory is bounded by one memory block's lines; a limit on
 * the worker keeps whatever else goes wrong from growing the extension host.
 */
const HEAP_LIMIT_MB = 256;

/**
 * The paths of the non-empty logs `request` wrote. Errors are rejected as `fail` makes them;
 * `signal` terminates the worker wherever it is. Settles only once the worker is gone, so that
 * the folder can be removed then.
 */
export function simulateElsewhere(request: SimulateRequest, fail: (message: string) => Error, signal: AbortSignal): Promise<string[]> {
  if (signal.aborted) return Promise.reject(fail('the simulation was cancelled'));
  return new Promise((resolve, reject) => {
    const worker = startWorker('simulate-worker', { workerData: request, resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB } });
    let outcome: SimulateMessage | undefined;
    const cancel = (): void => void worker.terminate();
    signal.addEventListener('abort', cancel, { once: true });
    worker.on('message', (message: SimulateMessage) => (outcome ??= message));
    worker.on('error', (error: Error & { code?: string }) => {
      outcome ??= { error: error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'the simulation ran out of memory' : `the simulation failed: ${error.message}` };
    });
    worker.on('exit', () => {
      signal.removeEventListener('abort', cancel);
      if (signal.aborted) reject(fail('the simulation was cancelled'));
      else if (outcome === undefined) reject(fail('the simulation stopped without a result'));
      else if ('error' in outcome) reject(fail(outcome.error));
      else resolve(outcome.written);
    });
  });
}
