/**
 * What is under a point of the canvas: a finding's marker (on a row, or in the header above
 * them), a row's label, or a row's state at a time. Pointer input asks; nothing is kept.
 */
import type { TimelineFinding } from '../../src/protocol/timeline-data';
import { HEADER_HEIGHT, LAYOUT } from './layout';
import type { ViewState } from './view-state';

/** A marker is hit this many pixels either side of its time, less one. */
const MARKER_REACH = 6;

export type Hit =
  | { on: 'nothing' }
  | { on: 'label'; row: number }
  /** `row` -1: the marker in the header, which stands for every row. */
  | { on: 'finding'; finding: TimelineFinding; row: number }
  | { on: 'state'; row: number; time: number };

export function hitAt(view: ViewState, x: number, y: number): Hit {
  if (y < HEADER_HEIGHT) {
    const finding = x >= LAYOUT.labelWidth ? findingNear(view, x, -1) : undefined;
    return finding ? { on: 'finding', finding, row: -1 } : { on: 'nothing' };
  }
  const row = rowAt(view, y);
  if (row < 0) return { on: 'nothing' };
  if (x < LAYOUT.labelWidth) return { on: 'label', row };
  const finding = findingNear(view, x, row);
  return finding ? { on: 'finding', finding, row } : { on: 'state', row, time: view.viewport.time(x) };
}

/** The row at canvas `y`, -1 in the header or below the last row. */
export function rowAt(view: ViewState, y: number): number {
  if (y < HEADER_HEIGHT) return -1;
  const i = Math.floor((y - HEADER_HEIGHT + view.scrollTop) / LAYOUT.rowHeight);
  return i < view.rows.length ? i : -1;
}

/** The shown finding whose marker is nearest `x` on row `index` (-1: the header, any finding), if one is near enough. */
export function findingNear(view: ViewState, x: number, index: number): TimelineFinding | undefined {
  const row = index >= 0 ? view.rows[index] : undefined;
  let best: TimelineFinding | undefined;
  let bestDistance = MARKER_REACH;
  for (const f of view.shownFindings) {
    if (row && (f.laneFrom < 0 || row.laneFrom >= f.laneTo || row.laneTo <= f.laneFrom)) continue;
    const d = Math.abs(view.viewport.x(f.time) - x);
    if (d < bestDistance) {
      bestDistance = d;
      best = f;
    }
  }
  return best;
}
