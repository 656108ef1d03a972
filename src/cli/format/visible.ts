/**
 * Text from the logs (and file names) as the text formats print it: control characters are
 * shown as escapes instead of reaching the terminal, where ESC and OSC sequences would recolour
 * it, set its title or worse, and CR or BS would hide what came before. TAB is escaped too (`\t`):
 * `events` separates its columns with tabs. Backslashes are left as they are, so text without
 * control characters prints unchanged. JSON and SARIF need none of this: JSON escapes them.
 */

/** C0 controls (TAB included), DEL, C1 controls (U+009B is a CSI too), and the line and bidirectional-override characters that reorder or break what follows. */
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`);
}

export function visible(text: string): string {
  return text.replace(CONTROL, escapeOne);
}
