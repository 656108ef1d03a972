/**
 * A worker thread that reads a plain log file and finds, in each chunk, the lines that hold a
 * look word, while the main thread parses and analyses the chunk before. In a console log
 * most bytes belong to lines that are only counted: scanning them on the other core takes
 * that work off the main thread. Started by `scannedChunks` (scanned-file.ts).
 */
import { open } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { KeywordScanner } from '../core/keyword-scanner';
import type { ScanRequest, ScanMessage } from './scan-protocol';

const LF = 0x0a;

async function main(request: ScanRequest): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const scanner = new KeywordScanner(request.words);
  // Chunks handed over and not yet taken: the reader waits rather than run ahead of the parser.
  let credit = request.ahead;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    credit += 1;
    wake?.();
  });
  const handle = await open(request.path, 'r');
  try {
    let atLineStart = true;
    for (;;) {
      while (credit <= 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      const bytes = Buffer.allocUnsafe(request.chunkBytes);
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, null);
      if (bytesRead === 0) break;
      // A plain Uint8Array: element reads of Buffer, a subclass, are slower in the scan loop.
      const chunk = new Uint8Array(bytes.buffer, bytes.byteOffset, bytesRead);
      const hits = linesWithWords(scanner, chunk, atLineStart);
      atLineStart = chunk[bytesRead - 1] === LF;
      credit -= 1;
      const message: ScanMessage = { chunk, hits };
      port.postMessage(message, [chunk.buffer as ArrayBuffer, hits.buffer as ArrayBuffer]);
    }
    port.postMessage({ done: true } satisfies ScanMessage);
  } finally {
    await handle.close();
  }
}

/**
 * Starts of the lines wholly inside `chunk` that hold a word. A line cut by either end of the
 * chunk is left out: the reader finishes such a line without asking whether to skip it.
 */
function linesWithWords(scanner: KeywordScanner, chunk: Uint8Array, atLineStart: boolean): Int32Array {
  const lastBreak = chunk.lastIndexOf(LF);
  const starts: number[] = [];
  let from = atLineStart ? 0 : chunk.indexOf(LF) + 1;
  while (lastBreak >= 0 && from <= lastBreak) {
    const hit = scanner.findLine(chunk, from, lastBreak + 1);
    if (hit < 0) break;
    starts.push(hit);
    from = chunk.indexOf(LF, hit) + 1;
  }
  return Int32Array.from(starts);
}

main(workerData as ScanRequest).catch((error: NodeJS.ErrnoException) => {
  parentPort?.postMessage({ error: { code: error.code, message: error.message } } satisfies ScanMessage);
});
