/** Messages between the main thread and the scan worker (scan-worker.ts). */

export interface ScanRequest {
  path: string;
  words: readonly string[];
  chunkBytes: number;
  /** How many chunks the worker may hand over before the first is taken. */
  ahead: number;
}

/**
 * Worker → main: a chunk of the file in order, with the starts of its lines that hold a word
 * (relative to the chunk); then `done`, or an `error` of the read. Main → worker: any message
 * means one chunk was taken.
 */
export type ScanMessage =
  | { chunk: Uint8Array; hits: Int32Array }
  | { done: true }
  | { error: { code?: string; message: string } };
