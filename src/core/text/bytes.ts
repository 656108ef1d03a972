/**
 * UTF-8 text built directly in a byte buffer, piece by piece. The CLI prints millions of
 * events: writing their keys, numbers and hex fields as bytes, without making a string per
 * event and encoding it again, is most of what makes that fast. Pieces that may hold any
 * character go through the platform's UTF-8 encoder.
 */

const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** Up to here a bigint is exact in a double and its digits can be had without a string. */
const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);
const QUOTE = 0x22;
const encoder = new TextEncoder();

/** `text` as UTF-8, for `encoded`. */
export function encode(text: string): Uint8Array {
  return encoder.encode(text);
}

export class TextBytes {
  private bytes: Uint8Array;
  private length = 0;

  /** `allocate` need not zero the memory (Node's `Buffer.allocUnsafe`): every byte is written before it is read. */
  constructor(
    private readonly capacity = 1 << 18,
    private readonly allocate: (size: number) => Uint8Array = (size) => new Uint8Array(size),
  ) {
    this.bytes = allocate(capacity);
  }

  get size(): number {
    return this.length;
  }

  /** The bytes written so far; the writer continues in a fresh buffer, as the reader may keep them. */
  take(): Uint8Array {
    const written = this.bytes.subarray(0, this.length);
    this.bytes = this.allocate(this.capacity);
    this.length = 0;
    return written;
  }

  /** Any text, UTF-8 encoded. */
  text(text: string): void {
    // UTF-8 takes at most three bytes per UTF-16 unit.
    this.reserve(text.length * 3);
    // Uint8Array's own subarray: Buffer's costs more than the encoding of a short piece.
    this.length += encoder.encodeInto(text, Uint8Array.prototype.subarray.call(this.bytes, this.length)).written;
  }

  /** Text known to be ASCII (JSON punctuation, keys, kinds): one byte per character. */
  ascii(text: string): void {
    const n = text.length;
    this.reserve(n);
    const bytes = this.bytes;
    let at = this.length;
    for (let i = 0; i < n; i++) bytes[at++] = text.charCodeAt(i);
    this.length = at;
  }

  /** Bytes encoded before (pieces written again and again: keys, a path). */
  encoded(piece: Uint8Array): void {
    const n = piece.length;
    this.reserve(n);
    const bytes = this.bytes;
    let at = this.length;
    for (let i = 0; i < n; i++) bytes[at++] = piece[i];
    this.length = at;
  }

  /** A JSON string: printable ASCII is copied as it is, anything else is left to JSON.stringify. */
  jsonString(text: string): void {
    const n = text.length;
    this.reserve(n + 2);
    const bytes = this.bytes;
    let at = this.length;
    bytes[at++] = QUOTE;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === QUOTE || c === 0x5c) {
        this.text(JSON.stringify(text));
        return;
      }
      bytes[at++] = c;
    }
    bytes[at++] = QUOTE;
    this.length = at;
  }

  /** A number as JSON writes it (`null` for the non-finite ones JSON cannot hold). */
  jsonNumber(value: number): void {
    if (!Number.isSafeInteger(value)) {
      this.ascii(Number.isFinite(value) ? `${value}` : 'null');
      return;
    }
    this.reserve(17);
    if (value < 0) {
      this.bytes[this.length++] = 0x2d;
      value = -value;
    }
    // Digits are cut in int32 pieces of nine: a remainder of a larger double is a slow call.
    if (value >= 1e9) {
      const high = Math.floor(value / 1e9);
      this.jsonNumber(high);
      this.decimal(value - high * 1e9, 9);
    } else {
      this.decimal(value, 0);
    }
  }

  /** A bigint as the JSON string `"0x…"`. */
  jsonHex(value: bigint): void {
    if (value < 0n || value > MAX_EXACT) {
      this.ascii(`"0x${value.toString(16)}"`);
      return;
    }
    let n = Number(value);
    let digits = 1;
    for (let p = 16; p <= n; p *= 16) digits += 1;
    this.reserve(digits + 4);
    const bytes = this.bytes;
    bytes[this.length++] = QUOTE;
    bytes[this.length++] = 0x30;
    bytes[this.length++] = 0x78;
    let at = this.length + digits;
    this.length = at;
    do {
      const high = Math.floor(n / 16);
      bytes[--at] = HEX_DIGITS[n - high * 16];
      n = high;
    } while (n > 0);
    bytes[this.length++] = QUOTE;
  }

  /** `value` < 1e9 in decimal, zero-padded to `width` digits. */
  private decimal(value: number, width: number): void {
    let digits = 1;
    for (let p = 10; p <= value; p *= 10) digits += 1;
    if (digits < width) digits = width;
    const bytes = this.bytes;
    let at = this.length + digits;
    this.length = at;
    let v = value | 0;
    for (let k = 0; k < digits; k++) {
      const q = (v / 10) | 0;
      bytes[--at] = 0x30 + v - q * 10;
      v = q;
    }
  }

  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = this.allocate(Math.max(this.bytes.length * 2, this.length + n));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}
