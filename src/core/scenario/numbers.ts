/** Numbers as scenarios write them: sizes (`4G`, `128M`, `0x100000000`), counts, seconds. */

const SUFFIX: Record<string, bigint> = { '': 1n, K: 1n << 10n, M: 1n << 20n, G: 1n << 30n, T: 1n << 40n };
const DECIMAL_SIZE = /^(\d+)(?:\.(\d+))?([KMGT]?)$/i;
const HEX = /^0x[0-9a-f]+$/i;

/**
 * `4G`, `1.5G`, `128m`, `2048`, `0x100000000` → bytes (binary suffixes: K = 1024).
 * Undefined when the text is no such size, is not a whole number of bytes, or is too large to
 * be exact in a double (the model uses plain numbers for speed; 2^53 bytes is 8 PiB).
 */
export function parseSize(text: string): number | undefined {
  let value: bigint;
  if (HEX.test(text)) {
    value = BigInt(text);
  } else {
    const m = DECIMAL_SIZE.exec(text);
    if (!m) return undefined;
    const unit = SUFFIX[m[3].toUpperCase()];
    const fraction = m[2] ?? '';
    const scale = 10n ** BigInt(fraction.length);
    const scaled = BigInt(m[1] + fraction) * unit;
    if (scaled % scale !== 0n) return undefined;
    value = scaled / scale;
  }
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}

/** A non-negative decimal integer that fits in a double exactly. */
export function parseCount(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** `50`, `0.5`, `5707.392231` seconds → microseconds. */
export function parseSeconds(text: string): number | undefined {
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(text);
  if (!m) return undefined;
  const micros = Number(m[1]) * 1_000_000 + Number((m[2] ?? '').padEnd(6, '0'));
  return Number.isSafeInteger(micros) ? micros : undefined;
}

/** Four hex digits of every 16-bit value: Number#toString(16) is slow beyond 31 bits, and addresses are. */
const HEX16 = Array.from({ length: 0x10000 }, (_, i) => i.toString(16).padStart(4, '0'));

/** `0x…` of a non-negative integer below 2^53. */
export function hex(value: number): string {
  if (value < 0x40000000) return `0x${value.toString(16)}`;
  const high = Math.floor(value / 0x100000000);
  const low = value % 0x100000000;
  return `0x${high === 0 ? '' : high.toString(16)}${HEX16[low >>> 16]}${HEX16[low & 0xffff]}`;
}

export function isPowerOfTwo(value: number): boolean {
  return value > 0 && Number.isSafeInteger(value) && 2 ** Math.round(Math.log2(value)) === value;
}
