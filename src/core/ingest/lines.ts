/**
 * Bytes → physical lines. The only place where line breaks, byte offsets, invalid UTF-8 and
 * over-long lines are dealt with; every later stage sees whole, decoded lines.
 *
 * A line ends at LF, at CRLF, or at a CR that no LF follows (serial consoles end lines with a
 * lone CR): the breaks VS Code counts, so that line numbers here are the editor's. A CR at the
 * end of one chunk and an LF at the start of the next are one break. A final line without a
 * break still counts when it is not empty. No line's text holds a CR or an LF.
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
const CR = 0x0d;
/** After this many lines in a row that all had a word, the scanner rests for … */
const SCANNER_PATIENCE = 64;
/** … this many lines (they go to the consumer, which tests them itself). */
const SCANNER_REST_LINES = 1024;

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
  /** The last chunk ended with the CR that ended a line: an LF first in the next one belongs to that break. */
  private afterCr = false;
  /** In the ASCII chunk being split: the next LF and CR found, -1 when there is none, -2 before the first search. */
  private lf = -2;
  private cr = -2;
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
    if (buf.length === 0) return;
    if (this.afterCr) {
      this.afterCr = false;
      if (buf[0] === LF) {
        this.startNextLine(1);
        buf = buf.subarray(1);
      }
    }
    if (this.lineBytes > 0) {
      // Finish the line the previous chunk left open before looking at this one as a whole.
      const lf = buf.indexOf(LF);
      const cr = buf.indexOf(CR);
      const end = cr !== -1 && (lf === -1 || cr < lf) ? cr : lf;
      if (end === -1) {
        this.keep(buf);
        return;
      }
      this.keep(buf.subarray(0, end));
      this.flushPending(emit);
      buf = buf.subarray(this.passBreak(buf, end));
    }
    if (isAscii(buf)) this.pushAscii(buf, emit);
    else this.pushBytes(buf, emit);
  }

  /** A chunk that starts a line. The next LF and the next CR are each searched for once and remembered. */
  private pushBytes(buf: Buffer, emit: (line: PhysicalLine) => void): void {
    let pos = 0;
    let lf = -2;
    let cr = -2;
    while (pos < buf.length) {
      if (lf !== -1 && lf < pos) lf = buf.indexOf(LF, pos);
      if (cr !== -1 && cr < pos) cr = buf.indexOf(CR, pos);
      const end = cr !== -1 && (lf === -1 || cr < lf) ? cr : lf;
      if (end === -1) {
        this.keep(buf.subarray(pos));
        return;
      }
      emit(this.makeLine(buf, pos, end, end - pos));
      this.consumed += end - pos;
      pos = this.passBreak(buf, end);
    }
  }

  /**
   * The common case: a chunk of plain ASCII is decoded once and cut into lines as a string,
   * where characters are bytes. Decoding each line on its own costs more than parsing it.
   */
  private pushAscii(buf: Buffer, emit: (line: PhysicalLine) => void): void {
    const text = buf.latin1Slice(0, buf.length);
    this.lf = -2;
    this.cr = -2;
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
      const end = this.nextBreak(text, pos);
      if (end === -1) break;
      const length = end - pos;
      if (length > this.maxLineBytes) {
        emit(this.makeLine(buf, pos, end, length));
      } else {
        this.lineNo += 1;
        emit({ text: text.slice(pos, end), lineNo: this.lineNo, offset: this.lineStart, byteLength: length, truncated: false });
      }
      this.consumed += length;
      pos = this.passBreak(buf, end);
    }
    if (pos < buf.length) this.keep(buf.subarray(pos));
  }

  /**
   * The first LF or CR at or after `pos` in the ASCII chunk `text`, or -1. The next LF and the
   * next CR are each searched for only when passed: a chunk without CRs costs one search for
   * them, not one per line.
   */
  private nextBreak(text: string, pos: number): number {
    if (this.lf !== -1 && this.lf < pos) this.lf = text.indexOf('\n', pos);
    if (this.cr !== -1 && this.cr < pos) this.cr = text.indexOf('\r', pos);
    return this.cr !== -1 && (this.lf === -1 || this.cr < this.lf) ? this.cr : this.lf;
  }

  /**
   * Passes over the lines from `pos` up to the next one with a word; returns where that starts.
   * `text` is `buf` decoded as Latin-1: its indexOf is a builtin, Buffer's a call into C++, and
   * in a console log most lines are counted here.
   */
  private skipLines(buf: Buffer, text: string, pos: number, skipper: LineSkipper): number {
    const hit = skipper.scanner.findLine(buf, pos, buf.length);
    // Without a hit, the complete lines are skipped and an unfinished last line is left for
    // the next chunk, where it is read in full. A hit starts a line: never inside a CRLF.
    const stop = hit === -1 ? afterLastBreak(buf, pos) : hit;
    if (stop <= pos) return pos;
    let lines = 0;
    let overLong = 0;
    // No line can be over-long when the whole stretch is within the bound.
    const mayBeOverLong = stop - pos > this.maxLineBytes;
    for (let start = pos; start < stop; ) {
      const end = this.nextBreak(text, start);
      if (mayBeOverLong && end - start > this.maxLineBytes) overLong += 1;
      lines += 1;
      start = end === this.cr && text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
    }
    this.lineNo += lines;
    this.startNextLine(stop - pos);
    if (stop === buf.length && buf[stop - 1] === CR) this.afterCr = true;
    skipper.skipped(lines, overLong);
    if (hit === -1 && stop < buf.length) {
      this.keep(buf.subarray(stop));
      return buf.length;
    }
    return stop;
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

  /**
   * Counts the line break at `buf[at]` (LF, CR or CRLF) and returns where the next line starts.
   * A CR last in the chunk ends its line all the same; an LF that the next chunk may start
   * with is part of the same break (see `push`).
   */
  private passBreak(buf: Uint8Array, at: number): number {
    let next = at + 1;
    if (buf[at] === CR) {
      if (next === buf.length) this.afterCr = true;
      else if (buf[next] === LF) next += 1;
    }
    this.startNextLine(next - at);
    return next;
  }

  private startNextLine(bytes: number): void {
    this.consumed += bytes;
    this.lineStart = this.consumed;
  }

  /** `buf[start, end)` holds the line's bytes, or at least its first maxLineBytes; `totalBytes` counts all of them. */
  private makeLine(buf: Buffer, start: number, end: number, totalBytes: number): PhysicalLine {
    const truncated = totalBytes > this.maxLineBytes;
    let stop = Math.min(end, start + this.maxLineBytes);
    // A cut through a multi-byte character would decode as a U+FFFD that is not in the input.
    if (truncated) stop = charBoundary(buf, start, stop);
    this.lineNo += 1;
    return {
      text: buf.toString('utf8', start, stop),
      lineNo: this.lineNo,
      offset: this.lineStart,
      byteLength: totalBytes,
      truncated,
    };
  }
}

/** Where the line after the last line break in `buf[from…]` starts; `from` when there is no break. */
function afterLastBreak(buf: Buffer, from: number): number {
  // Backwards over the unfinished last line only: a search for the last CR would cross the
  // whole chunk when it has none.
  let i = buf.length;
  while (i > from && buf[i - 1] !== LF && buf[i - 1] !== CR) i--;
  return i;
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
