/** Messages between the main thread and the ingest worker (ingest-worker.ts). */
import type { HotplugEvent } from '../core/events';
import type { InputSummary } from '../core/ingest';
import type { LineReaderOptions } from '../core/lines';

export interface IngestRequest {
  path: string;
  index: number;
  options: LineReaderOptions;
  /** Events per MiB of input beyond which the events are not worth copying between threads. */
  maxEventsPerMiB: number;
  /** Input read before the worker decides whether it keeps the input. */
  probeBytes: number;
  /** Batches the worker may hand over before the first is taken. */
  ahead: number;
}

/**
 * Worker → main: `events` batches with the input bytes read since the last one, then
 * `summary`; or `dense` before any batch (the main thread reads the input itself); or `error`.
 * Main → worker: any message means one batch was taken.
 */
export type IngestMessage =
  | { events: HotplugEvent[]; bytes: number }
  | { summary: InputSummary }
  | { dense: true }
  | { error: string };
