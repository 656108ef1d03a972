/** Messages between the main thread and the ingest worker (ingest-worker.ts). */
import type { HotplugEvent } from '../core/events';
import type { IngestOptions, InputSummary } from '../core/ingest';

/** When the worker keeps an input, and how far it may read ahead. */
export interface Handover {
  /**
   * A console log has a few hundred events per MiB, a dense trace ten thousand: copying an
   * event between threads costs about as much as parsing its line, so such inputs stay on the
   * main thread.
   */
  maxEventsPerMiB: number;
  /** Input the worker reads before it decides. */
  probeBytes: number;
  /** Batches the worker may hand over before the first is taken: bounded memory, and the replay rarely waits. */
  ahead: number;
}

export interface IngestRequest extends Handover {
  /** The file to read, and the name its events and errors give it. */
  path: string;
  label: string;
  index: number;
  /** The options that can cross to the worker (not the progress callback). */
  options: Pick<IngestOptions, 'maxLineBytes' | 'maxUnparsedLines'>;
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
