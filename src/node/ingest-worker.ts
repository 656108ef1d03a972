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
  // The first batches are held until the input shows how dense it is.
  let probe: HotplugEvent[] | undefined = [];
  let step = await it.next();
  for (; !step.done; step = await it.next()) {
    if (!probe) {
      await send({ events: step.value, bytes });
      bytes = 0;
      continue;
    }
    for (const event of step.value) probe.push(event);
    if (bytes < request.probeBytes) continue;
    if (probe.length > (request.maxEventsPerMiB * bytes) / 2 ** 20) {
      port.postMessage({ dense: true } satisfies IngestMessage);
      return;
    }
    await send({ events: probe, bytes });
    bytes = 0;
    probe = undefined;
  }
  if (probe && probe.length > (request.maxEventsPerMiB * bytes) / 2 ** 20) {
    port.postMessage({ dense: true } satisfies IngestMessage);
    return;
  }
  if (probe && probe.length > 0) await send({ events: probe, bytes });
  await send({ summary: step.value });
}

main(workerData as IngestRequest).catch((error: Error) => {
  // Input errors are one line for the user; anything else is a fault, reported with its cause.
  parentPort?.postMessage({ error: error instanceof InputError ? error.message : `the ingest worker failed: ${error.stack ?? error.message}` } satisfies IngestMessage);
});
