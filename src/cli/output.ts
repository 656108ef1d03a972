/** Buffered writing to a stream that respects back-pressure, so huge outputs stay in bounded memory. */
import type { Writable } from 'node:stream';

const FLUSH_AT = 1 << 16;

export class Output {
  private buffer: string[] = [];
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
    this.buffer.push(text);
    this.size += text.length;
  }

  get full(): boolean {
    return this.size >= FLUSH_AT;
  }

  /** Writes what is buffered; waits for the stream to drain when it asks to. */
  async flush(): Promise<void> {
    if (this.size === 0) return;
    const text = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (this.closed) return;
    if (!this.stream.write(text)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }

  /** Flushes and waits until the stream has taken everything. */
  async end(): Promise<void> {
    await this.flush();
    if (this.closed || this.stream === process.stdout || this.stream === process.stderr) return;
    await new Promise<void>((resolve) => this.stream.end(resolve));
  }
}
