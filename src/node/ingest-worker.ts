/**
 * A worker thread that reads one big log and hands its events to the main thread, which
 * replays and diagnoses them meanwhile. Most of a console log is lines about other things:
 * reading them is most of the work, and here it is done on the other core. An input whose
 * events are too many to be worth copying between threads (a dense trace) is given back
 * before any of its events are: the main thread then reads it itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { HotplugEvent } from '../core/events';
import { ingest } from '../core/ingest';
import type { IngestMessage, IngestRequest } from './ingest-protocol';
import { InputError, plainFileSource } from './inputs';

/** A message goes when it has this many events, or when this much input was read (for progress). */
const EVENTS_PER_MESSAGE = 512;
const BYTES_PER_MESSAGE = 8 << 20;

async function main(request: IngestRequest): Promise<void> {
  const port = parentPort;
  if (!port) return;
  let credit = request.ahead;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    credit += 1;
    wake?.();
  });
  const send = async (message: IngestMessage): Promise<void> => {
    while (credit <= 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
    credit -= 1;
    port.postMessage(message);
  };
  let bytes = 0;
  const it = ingest(await plainFileSource(request.path), request.index, { ...request.options, onProgress: (n) => (bytes += n) });
  const tooDense = (events: number): boolean => events > (request.maxEventsPerMiB * bytes) / 2 ** 20;
  // Events are held until the input shows how dense it is, and then until there are enough
  // for a message: a console log has a few per batch, and a message per batch costs.
  let held: HotplugEvent[] = [];
  let decided = false;
  let step = await it.next();
  for (; !step.done; step = await it.next()) {
    for (const event of step.value) held.push(event);
    if (!decided) {
      if (bytes < request.probeBytes) continue;
      if (tooDense(held.length)) {
        port.postMessage({ dense: true } satisfies IngestMessage);
        return;
      }
      decided = true;
    }
    if (held.length >= EVENTS_PER_MESSAGE || bytes >= BYTES_PER_MESSAGE) {
      await send({ events: held, bytes });
      held = [];
      bytes = 0;
    }
  }
  if (!decided && tooDense(held.length)) {
    port.postMessage({ dense: true } satisfies IngestMessage);
    return;
  }
  if (held.length > 0) await send({ events: held, bytes });
  await send({ summary: step.value });
}

main(workerData as IngestRequest).catch((error: Error) => {
  // Input errors are one line for the user; anything else is a fault, reported with its cause.
  parentPort?.postMessage({ error: error instanceof InputError ? error.message : `the ingest worker failed: ${error.stack ?? error.message}` } satisfies IngestMessage);
});
