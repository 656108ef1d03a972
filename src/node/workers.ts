/** Our worker threads: each is a bundle of its own (esbuild.js), started from a thread that keeps working meanwhile. */
import { join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker `name`. Its script is beside this module: `dist/NAME.js` in the bundles
 * (every bundle is in dist/), `out/src/node/NAME.js` in the compiled tests.
 */
export function startWorker(name: 'ingest-worker' | 'simulate-worker', options: WorkerOptions): Worker {
  return new Worker(join(__dirname, `${name}.js`), options);
}
