/**
 * Everything the commands print to standard output goes through here: one place decides what
 * a closed pipe (`| head`) or a failing stdout (`> /dev/full`) means, for every command.
 */
import { TextBytes } from '../core/text/bytes';

const FLUSH_AT = 1 << 16;
/** Room for a flush's worth of text plus one more piece; grown when a piece is larger. */
const CAPACITY = FLUSH_AT * 4;

let stdoutClosed = false;

/**
 * Called once at start. A reader that stops reading (`| head`) is not an error of ours: the
 * rest of the output is dropped and the command ends with the status it would have had. Any
 * other write error (a full disk) ends the run with one line and status 2: the output is lost.
 * Standard error failing leaves nowhere to say so: its errors are ignored.
 */
export function watchStandardStreams(fail: (message: string) => void): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') stdoutClosed = true;
    else fail(`standard output: cannot write (${error.code ?? error.message})`);
  });
  process.stderr.on('error', () => {});
}

/** True once the reader of standard output has gone: further output is dropped. */
export function stdoutIsClosed(): boolean {
  return stdoutClosed;
}

/** Writes `text` to standard output unless its reader has gone. */
export function print(text: string): void {
  if (!stdoutClosed) process.stdout.write(text);
}

/**
 * Buffered writing to standard output that respects back-pressure, so huge outputs stay in
 * bounded memory. Text is encoded into bytes as it is written (`bytes`, also for writers that
 * put numbers and keys there directly): cheaper than keeping the strings and joining them, and
 * the stream is handed bytes it need not convert again.
 */
export class Output {
  readonly bytes = new TextBytes(CAPACITY, (size) => Buffer.allocUnsafe(size));

  write(text: string): void {
    this.bytes.text(text);
  }

  get full(): boolean {
    return this.bytes.size >= FLUSH_AT;
  }

  /** Writes what is buffered; waits for the stream to drain when it asks to. */
  async flush(): Promise<void> {
    if (this.bytes.size === 0) return;
    // The stream may hold on to the chunk until it is written: `take` continues in a fresh buffer.
    const chunk = this.bytes.take();
    if (stdoutClosed) return;
    if (!process.stdout.write(chunk)) await waitForDrain();
  }
}

/** Resolves when stdout drains, or when its reader goes (no drain ever comes then). */
function waitForDrain(): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      process.stdout.off('drain', done);
      process.stdout.off('error', done);
      resolve();
    };
    process.stdout.on('drain', done);
    process.stdout.on('error', done);
  });
}
