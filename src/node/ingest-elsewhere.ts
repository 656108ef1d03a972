/** Reading a big log on a worker thread (ingest-worker.ts), seen from the main thread. */
import type { HotplugEvent } from '../core/events';
import type { IngestOptions, InputSummary } from '../core/ingest';
import type { Handover, IngestMessage, IngestRequest } from './ingest-protocol';
import { startWorker } from './workers';

export type { Handover };

export const HANDOVER: Handover = { maxEventsPerMiB: 2000, probeBytes: 1 << 20, ahead: 8 };

/**
 * The events of the file `path` read on a worker, in batches, and its summary, under the name
 * `label`; undefined (before any batch) when the input is too dense to be worth it. Errors
 * are thrown as `fail` makes them.
 */
export async function* ingestElsewhere(
  path: string,
  label: string,
  index: number,
  options: IngestOptions,
  fail: (message: string) => Error,
  handover: Handover = HANDOVER,
): AsyncGenerator<HotplugEvent[], InputSummary | undefined> {
  const request: IngestRequest = {
    path,
    label,
    index,
    options: { maxLineBytes: options.maxLineBytes, maxUnparsedLines: options.maxUnparsedLines },
    ...handover,
  };
  const worker = startWorker('ingest-worker', { workerData: request });
  // The worker keeps the process alive only while its events are awaited: a reader that stops
  // without closing this generator (an exception on the way) must not leave the process hanging.
  worker.unref();
  const arrived: IngestMessage[] = [];
  let wake: (() => void) | undefined;
  const deliver = (message: IngestMessage): void => {
    arrived.push(message);
    wake?.();
  };
  worker.on('message', deliver);
  worker.on('error', (error) => deliver({ error: `the ingest worker failed: ${error.stack ?? error.message}` }));
  worker.on('exit', (code) => deliver({ error: `the ingest worker stopped (exit code ${code})` }));
  try {
    for (;;) {
      if (arrived.length === 0) {
        worker.ref();
        while (arrived.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        worker.unref();
      }
      wake = undefined;
      const message = arrived.shift() as IngestMessage;
      if ('dense' in message) return undefined;
      if ('error' in message) throw fail(message.error);
      if ('progress' in message) {
        options.onProgress?.(message.progress);
        continue;
      }
      worker.postMessage(0);
      if ('summary' in message) return message.summary;
      yield message.events;
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}
