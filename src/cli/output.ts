/** Buffered writing to a stream that respects back-pressure, so huge outputs stay in bounded memory. */
import type { Writable } from 'node:stream';
import { TextBytes } from '../core/text-bytes';

const FLUSH_AT = 1 << 16;
/** Room for a flush's worth of text plus one more piece; grown when a piece is larger. */
const CAPACITY = FLUSH_AT * 4;

/**
 * Text is encoded into bytes as it is written (`bytes`, also for writers that put numbers and
 * keys there directly): cheaper than keeping the strings and joining them, and the stream is
 * handed bytes it need not convert again.
 */
export class Output {
  readonly bytes = new TextBytes(CAPACITY, (size) => Buffer.allocUnsafe(size));
  private closed = false;

  constructor(private readonly stream: Writable) {
    // A closed pipe (`| head`) is not an error of ours: stop writing quietly.
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') this.closed = true;
      else throw error;
    });
  }

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
    if (this.closed) return;
    if (!this.stream.write(chunk)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }

  /** Flushes and waits until the stream has taken everything. */
  async end(): Promise<void> {
    await this.flush();
    if (this.closed || this.stream === process.stdout || this.stream === process.stderr) return;
    await new Promise<void>((resolve) => this.stream.end(resolve));
  }
}
