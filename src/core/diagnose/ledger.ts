/**
 * The findings of a run as they are noted: grouped under root causes (per device and phase of
 * requested size), merged where two lines tell one finding, capped per root cause, and folded
 * at the end (latent unplugs into the failures they caused).
 */
import type { Ref } from '../model/model';
import type { FindingDefinition } from './codes/definition';
import type { Draft, SizeLine } from './draft';

/** Findings kept per root cause; the rest are counted (see `omitted`). */
const MAX_FINDINGS_PER_GROUP = 1000;
/** Per device, how many of the latest size lines are kept for the story of a root cause. */
const STORY_LINES = 16;

export type NoteFields = Pick<Draft, 'at' | 'device' | 'range' | 'cause' | 'otherCauses' | 'confidence' | 'via'> & {
  related?: Draft['related'];
  /** Joins the root cause of another finding (a VM's end, a device marked broken). */
  group?: string;
};

interface DevicePhase {
  /** The latest size lines, oldest first. */
  story: SizeLine[];
  /** Incremented when the requested size changes: findings of one phase share a root cause. */
  phase: number;
  /** Root-cause group key of each finding code in this phase. */
  groups: Map<string, string>;
  lastRequested?: bigint;
}

export class FindingsLedger {
  readonly drafts: Draft[] = [];
  /** Findings counted but not kept, per root-cause group. */
  readonly omitted = new Map<string, { code: string; count: number }>();
  private readonly perGroup = new Map<string, number>();
  private readonly phases = new Map<string, DevicePhase>();
  /** Findings of codes that join on the same range, by group and range. */
  private readonly sameRanges = new Map<string, Draft>();
  /** Warnings of what may go wrong later: kept only for a confidential guest, and folded into what did. */
  private latent: Draft[] = [];
  /** The codes of the failures latent warnings become. */
  private readonly latentBecomes = new Set<string>();
  /** Per device, the last error or warning noted: what a later 'marking device broken' is about. */
  private readonly lastFailures = new Map<string, Draft>();

  private phaseOf(device: string): DevicePhase {
    let p = this.phases.get(device);
    if (!p) this.phases.set(device, (p = { story: [], phase: 0, groups: new Map() }));
    return p;
  }

  /** A size line of a device: part of the story, and a new requested size starts a new root cause. */
  sizeLine(device: string, line: SizeLine): void {
    const p = this.phaseOf(device);
    p.story.push(line);
    if (p.story.length > STORY_LINES) p.story.shift();
    if (line.which !== 'requested') return;
    if (p.lastRequested !== undefined && p.lastRequested !== line.size) {
      p.phase += 1;
      p.groups.clear();
    }
    p.lastRequested = line.size;
  }

  /** The root cause a finding of `code` about `device` would join now. */
  groupOf(code: string, device: string | undefined): string {
    if (!device) return `${code}:-:0`;
    const p = this.phaseOf(device);
    let key = p.groups.get(code);
    if (key === undefined) p.groups.set(code, (key = `${code}:${device}:${p.phase}`));
    return key;
  }

  /** Notes a finding; returns the draft it became part of, or undefined when its root cause had enough and it was only counted. */
  note<F extends object>(definition: FindingDefinition<F>, facts: F, fields: NoteFields): Draft | undefined {
    const { group, related, ...rest } = fields;
    const full: Draft = {
      code: definition.code,
      ...rest,
      related: related ?? [],
      facts,
      group: group ?? this.groupOf(definition.code, fields.device),
      sequence: this.drafts.length,
    };
    const joined = definition.joins === 'sameRange' ? this.sameRange(full) : definition.joins === 'adjacentRange' ? this.adjacentRange(full) : undefined;
    return joined ?? this.keep(full, definition);
  }

  /** One refusal seen from both sides (QEMU's ERROR answer, the driver's -22) is one finding. */
  private sameRange(d: Draft): Draft | undefined {
    if (!d.range) return undefined;
    const same = this.sameRanges.get(sameRangeKey(d));
    same?.related.push({ at: d.at, message: 'the same refusal, seen from the other side' });
    return same;
  }

  /**
   * The driver unplugs a range as many requests (a block, then subblock by subblock, top down):
   * adjacent unplugs that left private pages behind are one finding over their range.
   */
  private adjacentRange(d: Draft): Draft | undefined {
    const previous = this.drafts[this.drafts.length - 1];
    if (previous?.code !== d.code || previous.group !== d.group || !previous.range || !d.range) return undefined;
    if (d.range.end !== previous.range.start && d.range.start !== previous.range.end) return undefined;
    previous.range = {
      start: d.range.start < previous.range.start ? d.range.start : previous.range.start,
      end: d.range.end > previous.range.end ? d.range.end : previous.range.end,
    };
    previous.related.push({ at: d.at, message: 'an adjacent UNPLUG, also without private discard' });
    return previous;
  }

  /** A pathological log can hold a failure per line: a root cause keeps its first findings and counts the rest. */
  private keep(d: Draft, definition: FindingDefinition<never>): Draft | undefined {
    const kept = this.perGroup.get(d.group) ?? 0;
    if (kept >= MAX_FINDINGS_PER_GROUP) {
      const o = this.omitted.get(d.group);
      if (o) o.count += 1;
      else this.omitted.set(d.group, { code: d.code, count: 1 });
      return undefined;
    }
    this.perGroup.set(d.group, kept + 1);
    // The device's story moves on (and drops its oldest lines): it is taken now.
    if (d.device) d.sizeHistory = [...this.phaseOf(d.device).story];
    this.drafts.push(d);
    if (definition.joins === 'sameRange' && d.range) this.sameRanges.set(sameRangeKey(d), d);
    if (definition.latent) {
      this.latent.push(d);
      for (const code of definition.latent.becomes) this.latentBecomes.add(code);
    }
    if (d.device && definition.severity !== 'info') this.lastFailures.set(d.device, d);
    return d;
  }

  /** The last error or warning noted for a device. */
  lastFailure(device: string): Draft | undefined {
    return this.lastFailures.get(device);
  }

  /** The draft noted for `code` at a line. */
  noted(code: string, at: Ref): Draft | undefined {
    return this.drafts.find((d) => d.code === code && d.at.input === at.input && d.at.line === at.line);
  }

  /** A shared-only discard is harmless when no private memory exists: the latent warnings go. */
  dropLatent(): void {
    const latent = new Set(this.latent);
    let kept = 0;
    for (const d of this.drafts) if (!latent.has(d)) this.drafts[kept++] = d;
    this.drafts.length = kept;
    this.latent = [];
  }

  /**
   * A latent unplug that did turn into failed re-accepts is part of that root cause. Failures
   * sorted by start, with the running maximum of their ends, find an overlap without
   * comparing every pair (a long trace has many of both).
   */
  foldLatent(): void {
    const failures = this.drafts.filter((d) => this.latentBecomes.has(d.code) && d.range).sort((a, b) => (a.range!.start < b.range!.start ? -1 : a.range!.start > b.range!.start ? 1 : 0));
    if (failures.length === 0) return;
    const maxEnd: bigint[] = [];
    for (const [i, f] of failures.entries()) maxEnd.push(i > 0 && maxEnd[i - 1] > f.range!.end ? maxEnd[i - 1] : f.range!.end);
    for (const latent of this.latent) {
      const r = latent.range;
      if (!r) continue;
      // The last failure starting before the latent range ends; walk left while one may still overlap.
      let lo = 0;
      let hi = failures.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (failures[mid].range!.start < r.end) lo = mid + 1;
        else hi = mid;
      }
      for (let j = lo - 1; j >= 0 && maxEnd[j] > r.start; j--) {
        if (failures[j].range!.end > r.start) {
          latent.group = failures[j].group;
          break;
        }
      }
    }
  }
}

function sameRangeKey(d: Draft): string {
  return `${d.group}:${d.range!.start}:${d.range!.end}`;
}
