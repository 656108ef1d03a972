/** A finding as analysis first notes it: the code, where, and the facts its words are made of. */
import type { Ref } from '../model/model';
import type { Cause, Confidence } from './catalog';

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
  /** Overrides of the catalog's cause and of the code's usual confidence. */
  cause?: Cause;
  confidence?: Confidence;
  /** The one-sentence message. */
  message: string;
  /** Findings with the same group key share a root cause. */
  group: string;
  /** The transition row or event rule that produced it, for the Explain page. */
  via: string;
  /** The device's latest size lines before it, for the story of its root cause. */
  sizeHistory?: readonly SizeLine[];
  /** Order of noting, which is the order of the merged stream. */
  sequence?: number;
}
