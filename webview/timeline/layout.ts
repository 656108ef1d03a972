/** Where things sit on the canvas: the label column, the header (axis and event density) and the rows below it. */

export const LAYOUT = { labelWidth: 168, axisHeight: 20, stripHeight: 14, rowHeight: 18 } as const;
export const HEADER_HEIGHT = LAYOUT.axisHeight + LAYOUT.stripHeight;

/** The rows `[first, last)` that a chart `height` pixels tall shows, scrolled by `scrollTop`. */
export function visibleRows(view: { rows: readonly unknown[]; scrollTop: number }, height: number): { first: number; last: number } {
  const first = Math.max(0, Math.floor(view.scrollTop / LAYOUT.rowHeight));
  const last = Math.min(view.rows.length, Math.ceil((view.scrollTop + height - HEADER_HEIGHT) / LAYOUT.rowHeight));
  return { first, last };
}

export function rowTop(view: { scrollTop: number }, index: number): number {
  return HEADER_HEIGHT + index * LAYOUT.rowHeight - view.scrollTop;
}
