/** Findings and root causes: what analysis reports, with its evidence. */
import type { Cause, Confidence, Severity } from './catalog';

export interface Location {
  /** Input index, for joining with the inputs list. */
  input: number;
  path: string;
  line: number;
}

export interface RelatedLocation extends Location {
  message: string;
}

export interface Finding {
  code: string;
  name: string;
  severity: Severity;
  cause: Cause;
  /** Causes the logs cannot rule out, less likely than `cause`, most likely first. */
  otherCauses?: Cause[];
  confidence: Confidence;
  /** One sentence a kernel developer would write. */
  message: string;
  location: Location;
  device?: string;
  range?: { start: bigint; end: bigint };
  /** The evidence chain, oldest first; may point into other inputs. */
  related: RelatedLocation[];
  /** The source row (`K3`, `V19`) or transition row (`online-accept`) that found it: where to look in docs/sources.md or docs/model.md. */
  rule: string;
  /** Id of the root cause this finding is grouped under. */
  rootCause: string;
  /** Position in the merged event stream of what it was found at: the order of what happened. */
  sequence: number;
}

export interface RootCause {
  id: string;
  code: string;
  title: string;
  cause: Cause;
  otherCauses?: Cause[];
  confidence: Confidence;
  /** What happened, in a few sentences: the story the evidence tells. */
  summary: string;
  /** Why this is the cause: the fact from DOMAIN.md it rests on. */
  why: string;
  /** The alternatives discussed upstream that would have prevented it. */
  wouldNotHappenIf: string[];
  /** What to collect next when the evidence is thin. */
  toConfirm?: string;
  findings: Finding[];
  /** Findings of this root cause that were counted but not kept (a bounded report). */
  omitted: number;
}

const CONFIDENCE_ORDER: Confidence[] = ['possible', 'likely', 'certain'];

/** One step less sure: used for findings read from an incomplete (wrapped, pasted) input. */
export function lessSure(c: Confidence): Confidence {
  return CONFIDENCE_ORDER[Math.max(0, CONFIDENCE_ORDER.indexOf(c) - 1)];
}

/** A finding's identity across two replays of the same inputs (what-if answers compare by it). */
export function findingKey(f: Finding): string {
  return `${f.code}|${f.location.input}|${f.location.line}|${f.range ? `${f.range.start}-${f.range.end}` : ''}`;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Order for output: by severity, then in the order things happened across the inputs. */
export function compareFindings(a: Finding, b: Finding): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.sequence - b.sequence || a.code.localeCompare(b.code);
}
