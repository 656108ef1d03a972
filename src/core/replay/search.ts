/**
 * Running the cursor until something happens: Continue and Reverse Continue, Step Into. A rule
 * looks at the state after each event; it fires on the transition from the position before to
 * the position after (a line just applied, a finding just drafted, a condition that just became
 * true, a subblock whose state just changed). Going back, the trace is scanned forward one
 * snapshot interval at a time, latest interval first, so a reverse run costs what a forward
 * run over the same events costs.
 */
import { codeInfo } from '../diagnose/catalog';
import type { ReplayCursor } from './cursor';
import type { EvalScope, Expression } from './expr/evaluate';
import type { Span } from './touches';

export interface Hit {
  /** DAP stop reason: 'breakpoint', 'exception', 'data breakpoint', 'function breakpoint', 'step'. */
  reason: string;
  /** What the user reads: the finding, the condition, the line. */
  text: string;
  /** For finding stops: the code and message of the finding. */
  finding?: { code: string; message: string };
}

export interface StopRule {
  /** What the rule needs to remember from the position before. */
  sample(cursor: ReplayCursor): unknown;
  fires(before: unknown, after: unknown, cursor: ReplayCursor): Hit | undefined;
}

const NOTHING = (): undefined => undefined;

/** `input:line` of an event's first line: what line breakpoints are keyed by. */
export function lineKey(input: number, line: number): string {
  return `${input}:${line}`;
}

/** Stops after an event on one of these lines, when its condition (if any) holds there. */
export function lineRule(lines: ReadonlyMap<string, Expression | undefined>, scope: EvalScope): StopRule {
  return {
    sample: NOTHING,
    fires: (_b, _a, cursor) => {
      const e = cursor.current;
      if (!e) return undefined;
      const key = lineKey(e.input, e.source.line);
      if (!lines.has(key)) return undefined;
      const condition = lines.get(key);
      if (condition && !condition.holds(scope)) return undefined;
      return { reason: 'breakpoint', text: condition ? `breakpoint (${condition.text})` : 'breakpoint' };
    },
  };
}

/** Stops after an event that drafted a finding `wanted` accepts. */
export function findingRule(wanted: (code: string) => boolean): StopRule {
  return {
    sample: (cursor) => cursor.analyzer.drafts.length,
    fires: (before, after, cursor) => {
      const drafts = cursor.analyzer.drafts;
      for (let i = before as number; i < (after as number); i++) {
        const d = drafts[i];
        if (!wanted(d.code)) continue;
        const info = codeInfo(d.code);
        return { reason: 'exception', text: `${d.code} ${info.name} (${info.severity})`, finding: { code: d.code, message: cursor.analyzer.messageOf(d) } };
      }
      return undefined;
    },
  };
}

/** `stopOnFinding` and exception filters: codes (`HPL001`), severities (`error`) or `any`. */
export function findingFilter(names: readonly string[]): (code: string) => boolean {
  const wanted = new Set(names.map((n) => n.trim()).filter((n) => n !== ''));
  return (code) => wanted.has('any') || wanted.has(code) || wanted.has(codeInfo(code).severity);
}

/** Stops when `condition` becomes true (false, or not evaluable, before the event). */
export function becomesTrueRule(condition: Expression, scope: EvalScope, reason = 'function breakpoint'): StopRule {
  return {
    sample: () => condition.holds(scope),
    fires: (before, after) => (!before && after ? { reason, text: `${condition.text} became true` } : undefined),
  };
}

/** Stops when what `read` returns changes (a data breakpoint on a subblock's state). */
export function changeRule(label: string, read: () => unknown): StopRule {
  return {
    sample: read,
    fires: (before, after) => (before !== after ? { reason: 'data breakpoint', text: `${label} changed` } : undefined),
  };
}

/** Stops after an event that changed a subblock in `spans` (Step Into). */
export function touchRule(spans: readonly Span[]): StopRule {
  return {
    sample: NOTHING,
    fires: (_b, _a, cursor) =>
      cursor.position > 0 && cursor.touches.touched(cursor.position - 1, spans) ? { reason: 'step', text: 'next event on these subblocks' } : undefined,
  };
}

function firstHit(rules: readonly StopRule[], before: unknown[], cursor: ReplayCursor): Hit | undefined {
  let hit: Hit | undefined;
  for (let i = 0; i < rules.length; i++) {
    const after = rules[i].sample(cursor);
    hit ??= rules[i].fires(before[i], after, cursor);
    before[i] = after;
  }
  return hit;
}

/**
 * Runs forward until a rule fires (the cursor stays there), or the trace ends, or the cursor
 * reaches `limit` (undefined: no hit; a caller running in slices goes on from there).
 */
export function runForward(cursor: ReplayCursor, rules: readonly StopRule[], limit = cursor.length): Hit | undefined {
  const before = rules.map((r) => r.sample(cursor));
  while (cursor.position < limit && cursor.forward()) {
    const hit = firstHit(rules, before, cursor);
    if (hit) return hit;
  }
  return undefined;
}

/** Runs backward to the latest earlier position where a rule fires; at none, to the start (undefined). */
export function runBackward(cursor: ReplayCursor, rules: readonly StopRule[]): Hit | undefined {
  let end = cursor.position - 1;
  while (end > 0) {
    const k = cursor.interval;
    const start = Math.floor((end - 1) / k) * k;
    cursor.seek(start);
    const before = rules.map((r) => r.sample(cursor));
    let last: { position: number; hit: Hit } | undefined;
    while (cursor.position < end) {
      cursor.forward();
      const hit = firstHit(rules, before, cursor);
      if (hit) last = { position: cursor.position, hit };
    }
    if (last) {
      cursor.seek(last.position);
      return last.hit;
    }
    end = start;
  }
  cursor.seek(0);
  return undefined;
}
