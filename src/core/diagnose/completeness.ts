/**
 * Whether an input is complete (HPL015): the watch over its events for signs that it is not
 * (a mid-stream start, a clock that jumps back, no QEMU lines), the facts of its summary
 * (wrapped, unparsed and truncated lines), and the finding they make.
 */
import type { HotplugEvent } from '../events';
import type { InputSummary } from '../ingest';
import type { Ref } from '../model/model';
import type { Draft } from './draft';

export interface InputFacts {
  path: string;
  /** Why the input is incomplete (HPL015), empty when it is not. */
  incomplete: Array<{ reason: string; at?: Ref }>;
  hasQemu: boolean;
}

/** A clock may step back a little (timestamps of different CPUs); more is a log pasted out of order. */
const BACKWARDS_TOLERANCE_US = 1_000_000;

/** Watches one input for signs that it is incomplete (HPL015). */
export class CompletenessWatch {
  backwards?: { input: number; line: number };
  midStream?: { device: string; at: { input: number; line: number } };
  hasQemu = false;
  private lastBoot = Number.NEGATIVE_INFINITY;
  private readonly probed = new Set<string>();
  private readonly seen = new Set<string>();

  see(e: HotplugEvent): void {
    const at = { input: e.input, line: e.source.line };
    if (e.time?.clock === 'boot') {
      if (e.time.micros < this.lastBoot - BACKWARDS_TOLERANCE_US) this.backwards ??= at;
      if (e.time.micros > this.lastBoot) this.lastBoot = e.time.micros;
    }
    if (!this.hasQemu && e.kind.startsWith('qemu.')) this.hasQemu = true;
    if (e.kind === 'vmem.geometry' || e.kind === 'vmem.notice' || e.kind === 'vmem.probeFailed') this.probed.add(e.device);
    else if (e.kind.startsWith('vmem.') && 'device' in e && !this.seen.has(e.device)) {
      this.seen.add(e.device);
      const startedWithPlugged = e.kind === 'vmem.size' && e.which === 'plugged' && e.size > 0n;
      if (!this.probed.has(e.device) && (startedWithPlugged || e.kind !== 'vmem.size')) this.midStream ??= { device: e.device, at };
    }
  }

  /** `told`: what the analysis found wrong in the input's lines themselves (impossible values). */
  facts(summary: InputSummary, index: number, told: InputFacts['incomplete'] = []): InputFacts {
    const incomplete: InputFacts['incomplete'] = [...told];
    if (this.midStream) {
      incomplete.push({ reason: `it starts mid-stream (no probe lines for ${this.midStream.device} before its first state)`, at: this.midStream.at });
    }
    const wraps = summary.rejoined;
    if (wraps > 0) {
      incomplete.push({
        reason: `${wraps} record${wraps > 1 ? 's were' : ' was'} wrapped across lines and rejoined`,
        ...(summary.firstRejoinedLine !== undefined ? { at: { input: index, line: summary.firstRejoinedLine } } : {}),
      });
    }
    if (this.backwards) incomplete.push({ reason: 'its clock jumps backwards', at: this.backwards });
    if (summary.unparsed > 0) {
      const first = summary.unparsedLines[0];
      incomplete.push({
        reason: `${summary.unparsed} line${summary.unparsed > 1 ? 's look' : ' looks'} relevant but match${summary.unparsed > 1 ? '' : 'es'} no known format`,
        ...(first ? { at: { input: index, line: first.line } } : {}),
      });
    }
    if (summary.truncatedLines > 0) incomplete.push({ reason: `${summary.truncatedLines} over-long lines were truncated` });
    return { path: summary.path, incomplete, hasQemu: this.hasQemu };
  }
}

/** HPL015, one per incomplete input. */
export function incompleteDrafts(inputs: readonly InputFacts[]): Draft[] {
  return inputs.flatMap((input, i): Draft[] => {
    if (input.incomplete.length === 0) return [];
    const first = input.incomplete.find((r) => r.at) ?? input.incomplete[0];
    return [
      {
        code: 'HPL015',
        at: first.at ?? { input: i, line: 1 },
        related: input.incomplete.filter((r) => r.at && r !== first).map((r) => ({ at: r.at as Ref, message: r.reason })),
        facts: { path: input.path, reasons: input.incomplete.map((r) => r.reason) },
        group: `HPL015:${i}`,
        via: 'log',
      },
    ];
  });
}
