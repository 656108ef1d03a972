/**
 * Finds the next line that contains any of a set of ASCII words, scanning raw bytes with an
 * Aho–Corasick automaton. Console logs are mostly about other things; this lets the reader
 * skip those lines without decoding them, at a few nanoseconds per byte, where a regular
 * expression with dozens of alternatives costs a microsecond per line.
 *
 * Lines end at LF or CR, as the line reader's do. Console noise (NUL and the other C0 control
 * bytes but TAB, LF and CR, and DEL: see envelope/noise.ts) is passed over as if it were not
 * there, so a word with noise inside it is still found: the parser reads such a line without
 * its noise and must not have it skipped. The reader only scans ASCII chunks.
 */
import { isNoiseByte } from '../envelope/noise';

const ALPHABET = 128;
const LF = 0x0a;
const CR = 0x0d;

export class KeywordScanner {
  /** Next state for (state, byte & 127), states × 128 entries. */
  private readonly next: Uint16Array;
  /**
   * States are numbered so that those where a word ends (directly or through the failure
   * link) come last, from here on: the hot loop tells a hit by comparing, not by a second
   * table read, which makes it about 40% faster.
   */
  private readonly firstAccepting: number;

  constructor(readonly words: readonly string[]) {
    for (const word of words) {
      if (word.length === 0 || !/^[\x20-\x7e]+$/.test(word)) throw new Error(`keyword must be printable ASCII: ${JSON.stringify(word)}`);
    }
    const goto: Int32Array[] = [new Int32Array(ALPHABET).fill(-1)];
    const accepts: number[] = [0];
    for (const word of words) {
      let state = 0;
      for (let i = 0; i < word.length; i++) {
        const c = word.charCodeAt(i);
        if (goto[state][c] < 0) {
          goto[state][c] = goto.length;
          goto.push(new Int32Array(ALPHABET).fill(-1));
          accepts.push(0);
        }
        state = goto[state][c];
      }
      accepts[state] = 1;
    }
    if (goto.length > 0xffff) throw new Error('too many keyword states');
    // Breadth-first: complete every state's row with the row of its failure state.
    const fail = new Int32Array(goto.length);
    const queue: number[] = [];
    for (let c = 0; c < ALPHABET; c++) {
      const t = goto[0][c];
      if (t < 0) goto[0][c] = 0;
      else queue.push(t);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head];
      accepts[state] |= accepts[fail[state]];
      for (let c = 0; c < ALPHABET; c++) {
        const t = goto[state][c];
        if (t < 0) {
          goto[state][c] = goto[fail[state]][c];
        } else {
          fail[t] = goto[fail[state]][c];
          queue.push(t);
        }
      }
    }
    // Noise leaves every state as it is: the automaton reads the line as if it were not there.
    for (let c = 0; c < ALPHABET; c++) {
      if (isNoiseByte(c)) goto.forEach((row, state) => (row[c] = state));
    }
    // Renumbered: the root (never accepting) stays 0, accepting states go last.
    const order = [...goto.keys()].sort((a, b) => accepts[a] - accepts[b] || a - b);
    const renumbered = new Int32Array(goto.length);
    order.forEach((state, number) => (renumbered[state] = number));
    this.firstAccepting = order.findIndex((state) => accepts[state] !== 0);
    if (this.firstAccepting < 0) this.firstAccepting = order.length;
    this.next = new Uint16Array(goto.length * ALPHABET);
    order.forEach((state, number) => this.next.set(goto[state].map((t) => renumbered[t]), number * ALPHABET));
  }

  /**
   * The offset of the start of the first line in `bytes[from, end)` that contains a word, or
   * -1. `from` must be the start of a line. A line cut off at `end` is scanned as far as it goes.
   */
  findLine(bytes: Uint8Array, from: number, end: number): number {
    const next = this.next;
    const firstAccepting = this.firstAccepting;
    // A loop with nothing but the automaton in it, and a bound the compiler can trust.
    const stop = Math.min(end, bytes.length);
    let state = 0;
    let i = from;
    // No word contains LF or CR, so the automaton is back at the root after every line break.
    // Four bytes a turn: about a sixth faster than one, on the bytes of a console log.
    for (const stop4 = stop - 3; i < stop4; i += 4) {
      state = next[(state << 7) | (bytes[i] & 0x7f)];
      if (state >= firstAccepting) break;
      state = next[(state << 7) | (bytes[i + 1] & 0x7f)];
      if (state >= firstAccepting) {
        i += 1;
        break;
      }
      state = next[(state << 7) | (bytes[i + 2] & 0x7f)];
      if (state >= firstAccepting) {
        i += 2;
        break;
      }
      state = next[(state << 7) | (bytes[i + 3] & 0x7f)];
      if (state >= firstAccepting) {
        i += 3;
        break;
      }
    }
    if (state < firstAccepting) {
      for (; i < stop; i++) {
        state = next[(state << 7) | (bytes[i] & 0x7f)];
        if (state >= firstAccepting) break;
      }
    }
    if (i >= stop) return -1;
    let start = i;
    while (start > from && bytes[start - 1] !== LF && bytes[start - 1] !== CR) start--;
    return start;
  }
}
