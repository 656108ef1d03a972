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

/**
 * Lets the splitter pass over lines its consumer would ignore without decoding them: while
 * `canSkip()` holds, ASCII lines containing none of the scanner's words are only counted.
 */
export interface LineSkipper {
  scanner: KeywordScanner;
  canSkip(): boolean;
  /** `lines` complete lines were passed over; `overLong` of them exceeded the line bound. */
  skipped(lines: number, overLong: number): void;
}

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

import { isAscii } from 'node:buffer';
import type { KeywordScanner } from './keyword-scanner';

const LF = 0x0a;
/** After this many lines in a row that all had a word, the scanner rests for … */
const SCANNER_PATIENCE = 64;
/** … this many lines (they go to the consumer, which tests them itself). */
const SCANNER_REST_LINES = 1024;
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
  /** Last byte of the current line, kept even when the line is cut: a cut CRLF line still ends in \r. */
  private lastByte = -1;
  private lineStart = 0;
  private consumed = 0;
  private lineNo = 0;
  /**
   * Lines left before the scanner is tried again. In a dense trace every line has a word, and
   * scanning for one first only costs; after a run of such lines the scanner rests a while.
   */
  private scannerRest = 0;
  private hitsInARow = 0;

  constructor(
    options: LineReaderOptions = {},
    private readonly skipper?: LineSkipper,
  ) {
    this.maxLineBytes = Math.max(1, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  }

  /** Splits one chunk, calling `emit` for each line it completes. */
  push(chunk: Uint8Array, emit: (line: PhysicalLine) => void): void {
    let buf = asBuffer(chunk);
    if (this.lineBytes > 0) {
      // Finish the line the previous chunk left open before looking at this one as a whole.
      const nl = buf.indexOf(LF);
      if (nl === -1) {
        this.keep(buf);
        return;
      }
      this.keep(buf.subarray(0, nl));
      this.flushPending(emit, true);
      this.consumed += 1;
      this.lineStart = this.consumed;
      buf = buf.subarray(nl + 1);
    }
    if (isAscii(buf)) this.pushAscii(buf, emit);
    else this.pushBytes(buf, emit);
  }

  private pushBytes(buf: Buffer, emit: (line: PhysicalLine) => void): void {
    let pos = 0;
    while (pos < buf.length) {
      const nl = buf.indexOf(LF, pos);
      const end = nl === -1 ? buf.length : nl;
      if (this.lineBytes === 0 && nl !== -1) {
        emit(this.makeLine(buf, pos, end, end - pos, end > pos ? buf[end - 1] : -1, true));
        this.startNextLine(end - pos + 1);
      } else {
        this.keep(buf.subarray(pos, end));
        if (nl !== -1) {
          this.flushPending(emit, true);
          this.consumed += 1;
          this.lineStart = this.consumed;
        }
      }
      pos = end + 1;
    }
  }

  /**
   * The common case: a chunk of plain ASCII is decoded once and cut into lines as a string,
   * where characters are bytes. Decoding each line on its own costs more than parsing it.
   */
  private pushAscii(buf: Buffer, emit: (line: PhysicalLine) => void): void {
    const text = buf.latin1Slice(0, buf.length);
    let pos = 0;
    for (;;) {
      if (this.scannerRest > 0) {
        this.scannerRest -= 1;
      } else if (this.skipper?.canSkip()) {
        const skippedTo = this.skipLines(buf, text, pos, this.skipper);
        if (skippedTo === buf.length) return;
        this.hitsInARow = skippedTo === pos ? this.hitsInARow + 1 : 0;
        if (this.hitsInARow >= SCANNER_PATIENCE) {
          this.hitsInARow = 0;
          this.scannerRest = SCANNER_REST_LINES;
        }
        pos = skippedTo;
      }
      const nl = text.indexOf('\n', pos);
      if (nl === -1) break;
      const length = nl - pos;
      if (length > this.maxLineBytes) {
        emit(this.makeLine(buf, pos, nl, length, buf[nl - 1], true));
      } else {
        const cr = length > 0 && text.charCodeAt(nl - 1) === CR;
        this.lineNo += 1;
        emit({
          text: text.slice(pos, cr ? nl - 1 : nl),
          lineNo: this.lineNo,
          offset: this.lineStart,
          byteLength: cr ? length - 1 : length,
          truncated: false,
        });
      }
      this.startNextLine(length + 1);
      pos = nl + 1;
    }
    if (pos < buf.length) this.keep(buf.subarray(pos));
  }

  /**
   * Passes over the lines from `pos` up to the next one with a word; returns where that starts.
   * `text` is `buf` decoded as Latin-1: its indexOf is a builtin, Buffer's a call into C++, and
   * in a console log most lines are counted here.
   */
  private skipLines(buf: Buffer, text: string, pos: number, skipper: LineSkipper): number {
    const hit = skipper.scanner.findLine(buf, pos, buf.length);
    // Without a hit, the complete lines are skipped and an unfinished last line is left for
    // the next chunk, where it is read in full.
    const stop = hit === -1 ? buf.lastIndexOf(LF) + 1 : hit;
    if (stop <= pos) return pos;
    let lines = 0;
    let overLong = 0;
    // No line can be over-long when the whole stretch is within the bound.
    const mayBeOverLong = stop - pos > this.maxLineBytes;
    for (let start = pos; start < stop; ) {
      const nl = text.indexOf('\n', start);
      if (mayBeOverLong && nl - start - (nl > start && text.charCodeAt(nl - 1) === CR ? 1 : 0) > this.maxLineBytes) overLong += 1;
      lines += 1;
      start = nl + 1;
    }
    this.lineNo += lines;
    this.startNextLine(stop - pos);
    skipper.skipped(lines, overLong);
    if (hit === -1 && stop < buf.length) {
      this.keep(buf.subarray(stop));
      return buf.length;
    }
    return stop;
  }

  /** Ends the input: a last line without a line break is emitted if it is not empty. */
  end(emit: (line: PhysicalLine) => void): void {
    if (this.lineBytes > 0) this.flushPending(emit, false);
  }

  private keep(part: Uint8Array): void {
    this.lineBytes += part.length;
    this.consumed += part.length;
    if (part.length > 0) this.lastByte = part[part.length - 1];
    const room = this.maxLineBytes - this.pendingBytes;
    if (room <= 0 || part.length === 0) return;
    const kept = part.length <= room ? part : part.subarray(0, room);
    // Copy: the caller may reuse its chunk buffer after push() returns.
    this.pending.push(Uint8Array.prototype.slice.call(kept));
    this.pendingBytes += kept.length;
  }

  private flushPending(emit: (line: PhysicalLine) => void, terminated: boolean): void {
    const joined = Buffer.concat(this.pending, this.pendingBytes);
    emit(this.makeLine(joined, 0, joined.length, this.lineBytes, this.lastByte, terminated));
    this.pending = [];
    this.pendingBytes = 0;
    this.lineBytes = 0;
    this.lastByte = -1;
  }

  private startNextLine(bytesWithBreak: number): void {
    this.consumed += bytesWithBreak;
    this.lineStart = this.consumed;
  }

  /**
   * `buf[start, end)` holds the line's bytes, or at least its first maxLineBytes; `totalBytes`
   * counts all of them and `lastByte` is the last one, whether kept or not.
   */
  private makeLine(buf: Buffer, start: number, end: number, totalBytes: number, lastByte: number, terminated: boolean): PhysicalLine {
    // CRLF: the \r is part of the break, also in a line too long to keep whole (it must not make
    // the line count as over-long). A \r at the very end of the input has no \n: it is text.
    const byteLength = terminated && lastByte === CR ? totalBytes - 1 : totalBytes;
    const truncated = byteLength > this.maxLineBytes;
    let stop = Math.min(end, start + Math.min(byteLength, this.maxLineBytes));
    // A cut through a multi-byte character would decode as a U+FFFD that is not in the input.
    if (truncated) stop = charBoundary(buf, start, stop);
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

/** `stop`, moved back to the start of a UTF-8 sequence that would otherwise be cut short. */
function charBoundary(buf: Buffer, start: number, stop: number): number {
  for (let i = stop - 1; i >= Math.max(start, stop - 4); i--) {
    const b = buf[i];
    if ((b & 0xc0) === 0x80) continue;
    // Not a lead byte of a valid sequence: it decodes as U+FFFD wherever the cut is.
    if (b < 0xc2 || b > 0xf4) return stop;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return i + need > stop ? i : stop;
  }
  return stop;
}

declare module 'node:buffer' {
  interface Buffer {
    /** Node's one-byte decoder: for ASCII data the same as UTF-8, without validation. */
    latin1Slice(start: number, end: number): string;
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
