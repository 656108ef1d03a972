/**
 * Console noise: characters a serial console or a capture puts into lines that the kernel or
 * QEMU never printed. NUL runs after a reset, other C0 control bytes and DEL from line glitches,
 * and bytes that are not UTF-8 (framing errors), which the line reader decodes as U+FFFD. TAB
 * is text; LF and CR end lines (lines.ts).
 *
 * A line is read as if its noise were not there; the line text itself, as shown and quoted,
 * keeps it. (For speed most lines are first tried as they are: a row whose pattern cannot match
 * noise reads the same fields either way, see `matchRow`.) A run of noise between two letters
 * or digits reads as one space rather than nothing: it may stand for a character that was
 * lost, and gluing `0x108` and `000000` into a number the log never said would be worse than
 * leaving the line unparsed, where it is counted and reported. Vertical tab and form feed read
 * as the whitespace they are where a pattern allows whitespace.
 */

/** Every C0 control but TAB, LF and CR; DEL; U+FFFD. */
const NOISE_CLASS = '[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\ufffd]';
const NOISE = new RegExp(NOISE_CLASS);
const NOISE_RUN = new RegExp(`${NOISE_CLASS}+`, 'g');

/** Whether an ASCII byte is noise (for the keyword scanner, which reads bytes). */
export function isNoiseByte(c: number): boolean {
  return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f;
}

/** Whether `text` holds any noise. */
export function hasNoise(text: string): boolean {
  return NOISE.test(text);
}

function isAlphanumeric(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** What the run of noise at `text[at, at + length)` reads as: one space between two letters or digits, else nothing. */
function replacement(text: string, at: number, length: number): string {
  return isAlphanumeric(text.charCodeAt(at - 1)) && isAlphanumeric(text.charCodeAt(at + length)) ? ' ' : '';
}

/** `text` without its noise; `text` itself when it has none. */
export function withoutNoise(text: string): string {
  if (!hasNoise(text)) return text;
  return text.replace(NOISE_RUN, (run: string, at: number) => replacement(text, at, run.length));
}

/** The column in `text` of what is at `column` in `withoutNoise(text)`. */
export function noisyColumn(text: string, column: number): number {
  let shift = 0;
  NOISE_RUN.lastIndex = 0;
  for (let m = NOISE_RUN.exec(text); m !== null; m = NOISE_RUN.exec(text)) {
    const run = m[0].length;
    const kept = replacement(text, m.index, run).length;
    // Where the run's replacement sits in the clean text: at or after `column` means the column is before the run.
    if (m.index - shift + kept > column) break;
    shift += run - kept;
  }
  NOISE_RUN.lastIndex = 0;
  return column + shift;
}
