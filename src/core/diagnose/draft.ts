/** A finding as analysis first notes it: the code, where, and the facts its words are made of. */
import type { Ref } from '../model/model';
import type { Cause, Confidence, Platform } from './codes/definition';
import { CATALOG } from './catalog';

/** A `plugged size` or `requested size` line of a device. */
export interface SizeLine {
  which: 'plugged' | 'requested';
  size: bigint;
  at: Ref;
}

export interface Draft {
  code: string;
  at: Ref;
  device?: string;
  range?: { start: bigint; end: bigint };
  related: Array<{ at: Ref; message: string }>;
  /** Overrides of the definition's cause and confidence. */
  cause?: Cause;
  /** Causes the logs cannot rule out, less likely than `cause`, most likely first. */
  otherCauses?: Cause[];
  confidence?: Confidence;
  /**
   * What the code's definition makes the message of (codes/): plain data, so that the replay
   * can copy a draft, and the words can follow the platform the rest of the logs prove.
   */
  facts: object;
  /** Findings with the same group key share a root cause. */
  group: string;
  /** The transition row or source row that produced it (the finding's `rule`). */
  via: string;
  /** The device's latest size lines before it, for the story of its root cause. */
  sizeHistory?: readonly SizeLine[];
  /** Order of noting, which is the order of the merged stream. */
  sequence?: number;
}

/** The draft's one-sentence message, in the words of the platform. */
export function draftMessage(d: Draft, platform: Platform): string {
  const definition = CATALOG.get(d.code);
  if (!definition) throw new Error(`unknown finding code ${d.code}`);
  return definition.message(d.facts as never, d, platform);
}
