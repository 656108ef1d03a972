/** A plain file read by the scan worker: its chunks in order, each with its lines that hold a word. */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ScannedChunk } from '../core/ingest';
import type { ScanMessage, ScanRequest } from './scan-protocol';

/** Chunks the worker may read ahead of the parser: bounded memory, and the parser never waits. */
const AHEAD = 4;

/** Where the worker's script is: beside this module, in `dist/` as in the compiled tests. */
export const SCAN_WORKER = join(__dirname, 'scan-worker.js');

/**
 * The file's chunks, scanned for `words` on another thread. Read errors are thrown as
 * `describe(error)` says; stopping early stops the worker.
 */
export async function* scannedChunks(
  path: string,
  words: readonly string[],
  chunkBytes: number,
  describe: (error: { code?: string; message: string }) => Error,
): AsyncGenerator<ScannedChunk> {
  const request: ScanRequest = { path, words, chunkBytes, ahead: AHEAD };
  const worker = new Worker(SCAN_WORKER, { workerData: request });
  const arrived: ScanMessage[] = [];
  let wake: (() => void) | undefined;
  const deliver = (message: ScanMessage): void => {
    arrived.push(message);
    wake?.();
  };
  worker.on('message', deliver);
  worker.on('error', (error: NodeJS.ErrnoException) => deliver({ error: { code: error.code, message: error.message } }));
  worker.on('exit', (code) => deliver({ error: { message: `the scan worker stopped (exit code ${code})` } }));
  try {
    for (;;) {
      while (arrived.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      const message = arrived.shift() as ScanMessage;
      if ('done' in message) return;
      if ('error' in message) throw describe(message.error);
      worker.postMessage(0);
      yield message;
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}
