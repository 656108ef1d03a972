/**
 * "What if": the trace replayed from the start to the cursor's position with policies forced,
 * and which findings that makes disappear or appear. The comparison is the one
 * `hotplug-lens check --what-if` makes (`findingsDiff`), so both answer alike.
 */
import { findingsDiff } from '../run-state';
import type { Finding } from '../diagnose/finding';
import type { Policies } from '../model/policy';
import { ReplayCursor } from './cursor';

export interface WhatIfAnswer {
  /** The cursor under the new policies, at the same position. */
  cursor: ReplayCursor;
  removed: Finding[];
  added: Finding[];
}

export function replayWhatIf(cursor: ReplayCursor, policies: Partial<Policies>): WhatIfAnswer {
  const tried = new ReplayCursor(cursor.trace, { policies: { ...cursor.policies, ...policies }, whatIf: true, interval: cursor.interval });
  tried.seek(cursor.position);
  return { cursor: tried, ...findingsDiff(cursor.analysis().findings, tried.analysis().findings) };
}
