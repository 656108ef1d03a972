/**
 * `check --format text`: what a person reads in a terminal. Grouped by root cause, the
 * evidence lines quoted, a short why; colours only on a terminal and never with NO_COLOR.
 * Whatever comes from the logs or the command line (quotes, paths, messages) is printed
 * `visible`: the only control sequences that reach the terminal are our colours.
 */
import type { Analysis } from '../../core/analyze';
import { causeText, codeInfo } from '../../core/diagnose/catalog';
import { remediesNamed } from '../../core/diagnose/codes/definition';
import type { Finding, RelatedLocation, RootCause } from '../../core/diagnose/finding';
import { hexString as hex } from '../../core/text/hex';
import { visible } from './visible';

export interface TextOptions {
  color: boolean;
  /** Width to wrap prose at. */
  width: number;
  /** The text of a line of an input, for quoting evidence (undefined when not available). */
  quote?: (path: string, line: number) => string | undefined;
}

const SHOWN_PER_ROOT_CAUSE = 10;

function paint(on: boolean, code: string, text: string): string {
  return on ? `\x1b[${code}m${text}\x1b[0m` : text;
}

function wrap(text: string, width: number, indent: string): string {
  const words = text.split(/\s+/).map(visible);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function findingLine(f: Finding, single: boolean, o: TextOptions): string {
  const where = single ? `line ${f.location.line}` : `${visible(f.location.path)}:${f.location.line}`;
  const range = f.range ? `[${hex(f.range.start)}, ${hex(f.range.end)})` : '';
  const block = visible(/\((memory blocks? [^)]*)\)$/.exec(f.message)?.[1] ?? '');
  const head = `    ${where.padEnd(single ? 9 : 24)} ${range.padEnd(30)} ${block}`.trimEnd();
  const quoted = o.quote?.(f.location.path, f.location.line);
  return quoted !== undefined && !range ? `${head}\n      ${paint(o.color, '2', `> ${visible(quoted.trim())}`)}` : head;
}

function rootCauseText(r: RootCause, single: boolean, o: TextOptions): string {
  const severity = r.findings[0].severity;
  const colour = severity === 'error' ? '1;31' : severity === 'warning' ? '1;33' : '1;36';
  const out: string[] = [];
  out.push(`${paint(o.color, colour, r.code)} ${paint(o.color, '1', r.title)}  (cause: ${causeText(r.cause, r.otherCauses)}, ${r.confidence})`);
  out.push(wrap(r.summary, o.width, '  '));
  const shown = r.findings.slice(0, SHOWN_PER_ROOT_CAUSE);
  for (const f of shown) out.push(findingLine(f, single, o));
  const more = r.findings.length - shown.length + r.omitted;
  if (more > 0) out.push(`    …        (${more} more)`);
  const related = new Map<string, RelatedLocation>();
  // The first finding to cite a line says what it is evidence of.
  for (const f of r.findings) for (const rel of f.related) if (!related.has(`${rel.path}:${rel.line}`)) related.set(`${rel.path}:${rel.line}`, rel);
  for (const rel of [...related.values()].slice(0, 4)) {
    const quoted = o.quote?.(rel.path, rel.line);
    const quote = quoted !== undefined ? `\n      ${paint(o.color, '2', `> ${visible(quoted.trim())}`)}` : '';
    out.push(`    evidence ${visible(rel.path)}:${rel.line}: ${visible(rel.message)}${quote}`);
  }
  out.push(wrap(r.why, o.width, '  '));
  if (r.wouldNotHappenIf.length > 0) out.push(wrap(`Would not happen if: ${remedies(r).join('; or ')}.`, o.width, '  '));
  if (r.toConfirm) out.push(wrap(`To confirm: ${r.toConfirm}.`, o.width, '  '));
  return out.join('\n');
}

/** A root cause's remedies, each a policy models followed by the what-if that replays its world. */
function remedies(r: RootCause): string[] {
  const byText = new Map(remediesNamed(codeInfo(r.code), r.wouldNotHappenIf).map((m) => [m.text, m.policies]));
  return r.wouldNotHappenIf.map((text) => {
    const policies = byText.get(text);
    if (!policies) return text;
    return `${text} [${Object.entries(policies).map(([name, value]) => `--what-if ${name}=${value}`).join(' ')}]`;
  });
}

export function formatText(a: Analysis, o: TextOptions): string {
  const single = a.inputs.length === 1;
  const names = a.inputs.map((i) => visible(i.path)).join(' + ');
  const { errors, warnings, infos } = a.summary;
  const out: string[] = [];
  const counts = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}${infos > 0 ? `, ${plural(infos, 'info')}` : ''}`;
  out.push(`${paint(o.color, '1', names)}  ${counts} — ${plural(a.rootCauses.length, 'root cause')}`);
  for (const r of a.rootCauses) out.push('', rootCauseText(r, single, o));
  if (a.whatIf) {
    const policies = Object.entries(a.whatIf.policies).map(([k, v]) => `${k}=${v}`).join(', ');
    out.push('', paint(o.color, '1', `What if ${policies}:`));
    out.push(`  ${plural(a.whatIf.removed.length, 'finding')} would not happen, ${plural(a.whatIf.added.length, 'finding')} would appear.`);
    for (const f of a.whatIf.removed.slice(0, SHOWN_PER_ROOT_CAUSE)) out.push(`    - ${f.code} ${visible(f.location.path)}:${f.location.line}  ${visible(f.message)}`);
    for (const f of a.whatIf.added.slice(0, SHOWN_PER_ROOT_CAUSE)) out.push(`    + ${f.code} ${visible(f.location.path)}:${f.location.line}  ${visible(f.message)}`);
  }
  const policies = a.policies.filter((p) => p.how !== 'default');
  if (policies.length > 0) {
    out.push('', 'Policies:');
    for (const p of policies) out.push(wrap(`${p.name}=${p.value} (${p.how}: ${p.reason})`, o.width, '  '));
  }
  return `${out.join('\n')}\n`;
}
