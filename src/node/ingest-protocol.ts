/** Messages between the main thread and the ingest worker (ingest-worker.ts). */
import type { HotplugEvent } from '../core/events';
import type { InputSummary } from '../core/ingest';
import type { LineReaderOptions } from '../core/lines';

export interface IngestRequest {
  /** The file to read, and the name its events and errors give it. */
  path: string;
  label: string;
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
 * Worker → main: `events` batches and `progress` (input bytes read since the last one), then
 * `summary`; or `dense` before any of them (the main thread reads the input itself); or
 * `error`. Main → worker: any message means one batch or the summary was taken.
 */
export type IngestMessage =
  | { events: HotplugEvent[] }
  | { progress: number }
  | { summary: InputSummary }
  | { dense: true }
  | { error: string };
