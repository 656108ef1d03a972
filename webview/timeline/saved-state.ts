/**
 * What the page keeps through a reload of its panel (the host stores it for the page): the
 * view of one run, under a key that tells that run from another, and the run's inputs, which
 * the host needs to open the panel again.
 */
import type { TimelineMeta } from '../../src/protocol/timeline-data';
import type { ViewSnapshot, ViewState } from './view-state';

export interface SavedState extends ViewSnapshot {
  key: string;
  run?: string[];
}

export function savedState(view: ViewState, meta: TimelineMeta, run: string[] | undefined): SavedState {
  return { key: runKey(meta), ...(run ? { run } : {}), ...view.snapshot() };
}

/** The view `saved` remembers, when it was saved for this run (another run's view does not fit it). */
export function savedView(saved: unknown, meta: TimelineMeta): ViewSnapshot | undefined {
  return typeof saved === 'object' && saved !== null && (saved as SavedState).key === runKey(meta) ? (saved as SavedState) : undefined;
}

function runKey(meta: TimelineMeta): string {
  return `${meta.inputs.join('|')}#${meta.eventCount}`;
}
