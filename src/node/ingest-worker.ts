/**
 * A worker thread that reads one big log and hands its events to the main thread, which
 * replays and diagnoses them meanwhile. Most of a console log is lines about other things:
 * reading them is most of the work, and here it is done on the other core. An input whose
 * events are too many to be worth copying between threads (a dense trace) is given back
 * before any of its events are: the main thread then reads it itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { HotplugEvent } from '../core/events';
import { type InputSummary, ingest } from '../core/ingest';
import type { IngestMessage, IngestRequest } from './ingest-protocol';
import { InputError, plainFileSource } from './inputs';

/** Events go in messages of this many: a console log has a few per batch, and a message costs. */
const EVENTS_PER_MESSAGE = 512;

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
  // The input is kept or given back once its first bytes show how dense it is. Until then
  // nothing is reported: a given-back input is read, and reported, again by the main thread.
  let held: HotplugEvent[] = [];
  let read = 0;
  let unreported = 0;
  let decided = false;
  let dense = false;
  const decide = (): void => {
    dense = held.length > (request.maxEventsPerMiB * read) / 2 ** 20;
    decided = !dense;
  };
  const onProgress = (bytes: number): void => {
    read += bytes;
    unreported += bytes;
    if (!decided && !dense && read >= request.probeBytes) decide();
    // Progress goes as soon as it is known, also through long stretches without events.
    if (decided) {
      port.postMessage({ progress: unreported } satisfies IngestMessage);
      unreported = 0;
    }
  };
  const it = ingest(await plainFileSource(request.path, request.label), request.index, { ...request.options, onProgress });
  let step = await it.next();
  for (; !step.done && !dense; step = await it.next()) {
    for (const event of step.value) held.push(event);
    if (decided && held.length >= EVENTS_PER_MESSAGE) {
      await send({ events: held });
      held = [];
    }
  }
  if (!decided && !dense) decide();
  if (dense) {
    port.postMessage({ dense: true } satisfies IngestMessage);
    return;
  }
  if (unreported > 0) port.postMessage({ progress: unreported } satisfies IngestMessage);
  if (held.length > 0) await send({ events: held });
  await send({ summary: (step as IteratorReturnResult<InputSummary>).value });
}

main(workerData as IngestRequest).catch((error: Error) => {
  // Input errors are one line for the user; anything else is a fault, reported with its cause.
  parentPort?.postMessage({ error: error instanceof InputError ? error.message : `the ingest worker failed: ${error.stack ?? error.message}` } satisfies IngestMessage);
});
