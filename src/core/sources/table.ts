/**
 * The shape of a source table. A family recognises its messages by a prefix (the driver and
 * device, a trace event name, a `pr_fmt`); each row then matches the rest of the message and
 * builds one event. A row is the one place a line format is known.
 */
import type { EventBody } from '../events';

export interface Row {
  /** The DOMAIN.md row id (`V15`, `Q6`, `K3`, …) or a family-local id for variants. */
  id: string;
  /** Matched against the message after the family prefix; anchored by the family. */
  pattern: RegExp;
  /** Builds the event; `subject` is the first capture of the family prefix (e.g. `virtio5`). */
  build(m: RegExpExecArray, subject: string): EventBody;
  /**
   * A check the pattern cannot express. A range whose end lies before its start is a number
   * cut by a console wrap (`0x10ff` + `fffff` on the next line): not a match, so that the
   * line is rejoined with its continuation.
   */
  valid?(m: RegExpExecArray): boolean;
}

/** `valid` for rows whose captures `a` and `b` are the first and last (or end) of a range. */
export function ascending(a: number, b: number): (m: RegExpExecArray) => boolean {
  return (m) => hex(m[b]) > hex(m[a]);
}

export interface Family {
  name: string;
  /** Sticky regex at column 0 of the message; its first capture, if any, is the subject. */
  prefix: RegExp;
  rows: Row[];
}

/** `0x1f` or `1f` → bigint. */
export function hex(text: string): bigint {
  const digits = text.startsWith('0x') || text.startsWith('0X') ? 2 : 0;
  // Up to 13 digits (52 bits) the value is exact in a double: summing digits by hand and
  // converting once is about twice as fast as parsing a `0x…` string, on most trace lines.
  if (text.length - digits > 13) return BigInt(digits === 2 ? text : `0x${text}`);
  if (text.length === digits) throw new SyntaxError(`not a hexadecimal number: '${text}'`);
  let value = 0;
  for (let i = digits; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const lower = c | 0x20;
    if (c >= 0x30 && c <= 0x39) value = value * 16 + (c - 0x30);
    else if (lower >= 0x61 && lower <= 0x66) value = value * 16 + (lower - 0x57);
    else throw new SyntaxError(`not a hexadecimal number: '${text}'`);
  }
  return BigInt(value);
}

/** `[a, last]` as the driver prints it (inclusive) → `{start, end}` with end exclusive. */
export function inclusiveRange(first: string, last: string): { start: bigint; end: bigint } {
  return { start: hex(first), end: hex(last) + 1n };
}

/** Anchors a row pattern at both ends, tolerating trailing blanks and a missing `\n`. */
export function whole(source: string): RegExp {
  return new RegExp(`^(?:${source})\\s*$`);
}

/**
 * What dynamic debug writes before a pr_debug()/dev_dbg() message asked for with more than `+p`
 * (lib/dynamic_debug.c, __dynamic_emit_prefix()): `[tid] ` or `<intr> ` (+t), then `module:`
 * (+m), `function:` (+f), `line:` (+l) and a blank, e.g. `[71] virtio_mem:virtio_mem_mb_add:498: `.
 * Source text for a family prefix, before what the message itself starts with.
 */
export const DYNDBG_DECORATION = '(?:\\[\\d+\\] |<intr> )?(?:(?:[A-Za-z_]\\w*:)+(?:\\d+:)? |\\d+: )?';
