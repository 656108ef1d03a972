/**
 * Clock alignment of several inputs against one reference input, from matched anchors.
 *
 * - `reference`: the input whose clock the merged timeline uses (the guest log when there is one).
 * - `offset`: both sides of at least one anchor pair had timestamps; the input's times are
 *   shifted by the median difference. `spreadMicros` says how much the pairs disagree.
 * - `anchor-order`: pairs exist but this input has no usable timestamps; each of its events is
 *   placed at the time of the latest paired anchor before it (file order kept in between).
 * - `same-clock`: no pairs, but both inputs use the UTC wall clock, so times compare as they are.
 * - `none`: nothing relates the inputs; the events follow the aligned ones, in file order.
 */
import type { ClockKind } from '../envelope/types';
import { type Anchor, UNTIMED_STEP_US } from './anchors';

export type AlignmentMethod = 'reference' | 'offset' | 'anchor-order' | 'same-clock' | 'none';

export interface Alignment {
  input: number;
  method: AlignmentMethod;
  /** Anchor pairs found with the reference. */
  pairs: number;
  /** Added to this input's `micros` to get reference time (`offset`). */
  offsetMicros?: number;
  /** Largest minus smallest pair difference: the uncertainty of `offset`. */
  spreadMicros?: number;
  /** For `anchor-order`: this input's anchor ordinals and the reference times they map to. */
  orderPoints?: Array<{ ordinal: number; micros: number }>;
}

export interface InputClockInfo {
  anchors: Anchor[];
  /** The clock most of the input's timestamps use, if any. */
  clock?: ClockKind;
}

/** Pairs the n-th anchor of each key in `other` with the n-th anchor of that key in `ref`. */
function pairAnchors(ref: Anchor[], other: Anchor[]): Array<[Anchor, Anchor]> {
  const byKey = new Map<string, Anchor[]>();
  for (const a of ref) {
    const list = byKey.get(a.key);
    if (list) list.push(a);
    else byKey.set(a.key, [a]);
  }
  const used = new Map<string, number>();
  const pairs: Array<[Anchor, Anchor]> = [];
  for (const b of other) {
    const list = byKey.get(b.key);
    const n = used.get(b.key) ?? 0;
    if (!list || n >= list.length) continue;
    used.set(b.key, n + 1);
    pairs.push([list[n], b]);
  }
  return pairs;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Aligns `info` against an already aligned input `via` (whose own offset is `viaOffset`). */
function alignAgainst(input: number, info: InputClockInfo, via: InputClockInfo, viaOffset: number): Alignment | undefined {
  const pairs = pairAnchors(via.anchors, info.anchors);
  const timed = pairs.filter(([r, o]) => r.micros !== undefined && o.micros !== undefined);
  if (timed.length > 0 && info.clock !== undefined) {
    // A microsecond either way keeps the side that logs first before its partner.
    const diffs = timed.map(([r, o]) => (r.micros as number) - (o.micros as number) + (o.step - r.step));
    return {
      input,
      method: 'offset',
      pairs: pairs.length,
      offsetMicros: median(diffs) + viaOffset,
      spreadMicros: diffs.reduce((a, b) => (a > b ? a : b)) - diffs.reduce((a, b) => (a < b ? a : b)),
    };
  }
  const viaTimed = pairs.filter(([r]) => r.micros !== undefined);
  if (viaTimed.length > 0) {
    const orderPoints = viaTimed
      .map(([r, o]) => ({ ordinal: o.ordinal, micros: (r.micros as number) + viaOffset + (o.step - r.step) }))
      .sort((a, b) => a.ordinal - b.ordinal);
    return { input, method: 'anchor-order', pairs: pairs.length, orderPoints };
  }
  return undefined;
}

/**
 * Aligns every input with the reference: directly when they share anchors, else through an
 * input that is aligned already (host dmesg meets the guest only through QEMU's log).
 */
export function alignInputs(inputs: InputClockInfo[], reference: number): Alignment[] {
  const ref = inputs[reference];
  const result: Array<Alignment | undefined> = inputs.map((info, input) =>
    input === reference ? { input, method: 'reference', pairs: 0 } : alignAgainst(input, info, ref, 0),
  );
  for (let changed = true; changed; ) {
    changed = false;
    for (const [input, info] of inputs.entries()) {
      if (result[input]) continue;
      for (const [via, a] of result.entries()) {
        if (!a || (a.method !== 'reference' && a.method !== 'offset')) continue;
        const found = alignAgainst(input, info, inputs[via], a.offsetMicros ?? 0);
        if (found) {
          result[input] = found;
          changed = true;
          break;
        }
      }
    }
  }
  return result.map((a, input) => {
    if (a) return a;
    const info = inputs[input];
    if (info.clock === 'wall' && ref.clock === 'wall') return { input, method: 'same-clock', pairs: 0, offsetMicros: 0 };
    return { input, method: 'none', pairs: 0 };
  });
}

/**
 * Computes merge keys for one input's events in order: never decreasing, so that the merge
 * cannot reorder events of the same input.
 */
export class KeyClock {
  private last = Number.NEGATIVE_INFINITY;
  private point = 0;

  constructor(private readonly alignment: Alignment) {}

  /** The merge key of the event at `ordinal` with own time `micros`; `aligned` is the timeline time. */
  next(ordinal: number, micros: number | undefined): { key: number; aligned?: number } {
    const a = this.alignment;
    let aligned: number | undefined;
    switch (a.method) {
      case 'reference':
      case 'same-clock':
      case 'offset':
        if (micros !== undefined) aligned = micros + (a.offsetMicros ?? 0);
        break;
      case 'anchor-order': {
        const points = a.orderPoints as Array<{ ordinal: number; micros: number }>;
        while (this.point + 1 < points.length && points[this.point + 1].ordinal <= ordinal) this.point += 1;
        // Before its first anchor an input's events happened before the anchor's partner.
        aligned = ordinal < points[0].ordinal ? points[0].micros - 1 : points[this.point].micros;
        break;
      }
      case 'none':
        this.last = Number.POSITIVE_INFINITY;
        return { key: this.last };
    }
    if (aligned === undefined) {
      // Printed without a timestamp: after whatever came before it in this input.
      if (Number.isFinite(this.last)) this.last += UNTIMED_STEP_US;
      return { key: this.last };
    }
    if (aligned > this.last) this.last = aligned;
    return { key: this.last, aligned };
  }
}
