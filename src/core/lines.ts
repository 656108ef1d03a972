/**
 * Bytes → physical lines. The only place where line breaks, byte offsets, invalid UTF-8 and
 * over-long lines are dealt with; every later stage sees whole, decoded lines.
 *
 * Line numbering follows `wc -l`: a line ends at `\n`; a final line without `\n` still counts
 * when it is not empty. A `\r` right before `\n` belongs to the break (CRLF), not to the text.
 */

export interface PhysicalLine {
  /** Decoded text without the line break. Invalid UTF-8 is replaced by U+FFFD. */
  text: string;
  /** 1-based line number. */
  lineNo: number;
  /** Byte offset of the first byte of the line in the input. */
  offset: number;
  /** Length in bytes of the line as it is in the input, without its line break. */
  byteLength: number;
  /** True when the line was longer than the bound and only its head is in `text`. */
  truncated: boolean;
}

export interface LineReaderOptions {
  /** Lines longer than this many bytes keep only their first bytes and are flagged. */
  maxLineBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;

/**
 * A push-style splitter: feed chunks, take lines. `readLines` wraps it as an async generator;
 * callers that already own a loop (the worker, benchmarks) use it directly to avoid one
 * promise per line.
 */
export class LineSplitter {
  private readonly maxLineBytes: number;
  /** Bytes of the current unfinished line (at most maxLineBytes of them). */
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Total bytes of the current line seen so far, including any dropped past the bound. */
  private lineBytes = 0;
  private lineStart = 0;
  private consumed = 0;
  private lineNo = 0;

  constructor(options: LineReaderOptions = {}) {
    this.maxLineBytes = Math.max(1, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  }

  /** Splits one chunk, calling `emit` for each line it completes. */
  push(chunk: Uint8Array, emit: (line: PhysicalLine) => void): void {
    const buf = asBuffer(chunk);
    let pos = 0;
    while (pos < buf.length) {
      const nl = buf.indexOf(LF, pos);
      const end = nl === -1 ? buf.length : nl;
      if (this.lineBytes === 0 && nl !== -1) {
        emit(this.makeLine(buf, pos, end, end - pos));
        this.startNextLine(end - pos + 1);
      } else {
        this.keep(buf.subarray(pos, end));
        if (nl !== -1) {
          this.flushPending(emit);
          this.consumed += 1;
          this.lineStart = this.consumed;
        }
      }
      pos = end + 1;
    }
  }

  /** Ends the input: a last line without a line break is emitted if it is not empty. */
  end(emit: (line: PhysicalLine) => void): void {
    if (this.lineBytes > 0) this.flushPending(emit);
  }

  private keep(part: Uint8Array): void {
    this.lineBytes += part.length;
    this.consumed += part.length;
    const room = this.maxLineBytes - this.pendingBytes;
    if (room <= 0 || part.length === 0) return;
    const kept = part.length <= room ? part : part.subarray(0, room);
    // Copy: the caller may reuse its chunk buffer after push() returns.
    this.pending.push(Uint8Array.prototype.slice.call(kept));
    this.pendingBytes += kept.length;
  }

  private flushPending(emit: (line: PhysicalLine) => void): void {
    const joined = Buffer.concat(this.pending, this.pendingBytes);
    emit(this.makeLine(joined, 0, joined.length, this.lineBytes));
    this.pending = [];
    this.pendingBytes = 0;
    this.lineBytes = 0;
  }

  private startNextLine(bytesWithBreak: number): void {
    this.consumed += bytesWithBreak;
    this.lineStart = this.consumed;
  }

  private makeLine(buf: Buffer, start: number, end: number, totalBytes: number): PhysicalLine {
    const truncated = totalBytes > this.maxLineBytes;
    let stop = truncated ? Math.min(end, start + this.maxLineBytes) : end;
    let byteLength = totalBytes;
    // CRLF: the \r is part of the break. Only possible to see when the line was not cut.
    if (!truncated && stop > start && buf[stop - 1] === CR) {
      stop -= 1;
      byteLength -= 1;
    }
    this.lineNo += 1;
    return {
      text: buf.toString('utf8', start, stop),
      lineNo: this.lineNo,
      offset: this.lineStart,
      byteLength,
      truncated,
    };
  }
}

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Async chunks in, physical lines out. Never throws on content; only the source may throw. */
export async function* readLines(
  chunks: AsyncIterable<Uint8Array>,
  options: LineReaderOptions = {},
): AsyncGenerator<PhysicalLine> {
  const splitter = new LineSplitter(options);
  const batch: PhysicalLine[] = [];
  const collect = (line: PhysicalLine): void => {
    batch.push(line);
  };
  for await (const chunk of chunks) {
    splitter.push(chunk, collect);
    yield* batch.splice(0);
  }
  splitter.end(collect);
  yield* batch.splice(0);
}
