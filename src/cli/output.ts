/** Buffered writing to a stream that respects back-pressure, so huge outputs stay in bounded memory. */
import type { Writable } from 'node:stream';

const FLUSH_AT = 1 << 16;
/** Room for a flush's worth of text plus one more piece; grown when a piece is larger. */
const CAPACITY = FLUSH_AT * 4;

/**
 * Text is encoded into a byte buffer as it is written: cheaper than keeping the strings and
 * joining them, and the stream is handed bytes it need not convert again.
 */
export class Output {
  private bytes = Buffer.allocUnsafe(CAPACITY);
  private size = 0;
  private closed = false;

  constructor(private readonly stream: Writable) {
    // A closed pipe (`| head`) is not an error of ours: stop writing quietly.
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') this.closed = true;
      else throw error;
    });
  }

  write(text: string): void {
    // UTF-8 takes at most three bytes per UTF-16 unit.
    const worst = text.length * 3;
    if (this.size + worst > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.size + worst));
      this.bytes.copy(grown, 0, 0, this.size);
      this.bytes = grown;
    }
    this.size += this.bytes.write(text, this.size);
  }

  get full(): boolean {
    return this.size >= FLUSH_AT;
  }

  /** Writes what is buffered; waits for the stream to drain when it asks to. */
  async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.bytes.subarray(0, this.size);
    // The stream may hold on to the chunk until it is written: continue in a fresh buffer.
    this.bytes = Buffer.allocUnsafe(CAPACITY);
    this.size = 0;
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
