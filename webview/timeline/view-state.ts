/**
 * What the timeline shows, without the DOM: the time range, the rows (expansion and filter),
 * the findings the filter keeps, the selected row and finding, the cursor, the vertical
 * scroll and a zoom box being drawn. The page changes it only through these methods and draws
 * what it holds; Node tests drive it the same way.
 */
import type { TimelineFinding, TimelineMeta } from '../../src/protocol/timeline-data';
import { isEmpty, parseFilter, type ParsedFilter } from './filter';
import { HEADER_HEIGHT, LAYOUT } from './layout';
import { buildRows, defaultExpanded, devicesOpen, type Row } from './rows';
import { Viewport } from './viewport';

/** What of a view outlives the page (see saved-state.ts for the envelope it travels in). */
export interface ViewSnapshot {
  start: number;
  end: number;
  scrollTop: number;
  expanded: string[];
  filter: string;
  cursor?: number;
}

export class ViewState {
  meta?: TimelineMeta;
  viewport = new Viewport(0, 1);
  rows: Row[] = [];
  /** Keys of the open rows (rows.ts): kept across rebuilds and filters. */
  expanded = new Set<string>();
  filterText = '';
  filter?: ParsedFilter;
  /** The findings the filter keeps: listed, drawn and walked. */
  shownFindings: TimelineFinding[] = [];
  scrollTop = 0;
  cursor?: number;
  selectedRow = 0;
  selectedFinding?: number;
  /** A Shift+drag zoom box being drawn, in canvas pixels. */
  box?: { x0: number; x1: number };
  /** The chart's height in pixels, header included. */
  height = 0;

  /**
   * A run arrives: its whole time and default expansion, or what `saved` remembers of it. The
   * filter text, cursor, selection and scroll of a run shown before stay unless `saved` says otherwise.
   */
  load(meta: TimelineMeta, saved?: ViewSnapshot): void {
    this.meta = meta;
    const { left, width } = this.viewport;
    this.viewport = new Viewport(meta.t0, meta.t1);
    this.viewport.left = left;
    this.viewport.width = width;
    this.expanded = defaultExpanded(meta);
    if (saved) {
      this.viewport.show(saved.start, saved.end, 0);
      this.expanded = new Set(saved.expanded);
      this.filterText = saved.filter;
      this.scrollTop = saved.scrollTop;
      this.cursor = saved.cursor;
    } else {
      this.showActivity(meta);
    }
    this.setFilter(this.filterText);
  }

  snapshot(): ViewSnapshot {
    return {
      start: this.viewport.start,
      end: this.viewport.end,
      scrollTop: this.scrollTop,
      expanded: [...this.expanded],
      filter: this.filterText,
      ...(this.cursor !== undefined ? { cursor: this.cursor } : {}),
    };
  }

  /** The canvas is `width` × `height` pixels: the chart is what the label column leaves. */
  setSize(width: number, height: number): void {
    this.viewport.left = LAYOUT.labelWidth;
    this.viewport.width = width - LAYOUT.labelWidth;
    this.height = height;
  }

  /** Rows and findings narrow together: a finding stays when its code passes and it covers a lane that does. */
  setFilter(text: string): void {
    this.filterText = text;
    const meta = this.meta;
    if (!meta) return;
    this.filter = parseFilter(text, meta);
    const f = this.filter.filter;
    this.rebuildRows();
    const laneShown = new Uint8Array(meta.lanes);
    if (!isEmpty(f)) for (const r of this.rows) if (r.kind !== 'device' || !r.expanded) laneShown.fill(1, r.laneFrom, r.laneTo);
    this.shownFindings = meta.findings.filter(
      (x) => (f.codes.size === 0 || f.codes.has(x.code)) && (isEmpty(f) || x.laneFrom < 0 || laneShown.subarray(x.laneFrom, x.laneTo).some((v) => v === 1)),
    );
  }

  /** Opens or closes row `index`; false when it is a subblock (nothing to open) or not there. */
  toggle(index: number): boolean {
    const row = this.rows[index];
    if (!row || row.kind === 'lane') return false;
    if (this.expanded.has(row.key)) this.expanded.delete(row.key);
    else this.expanded.add(row.key);
    this.rebuildRows();
    return true;
  }

  /** Open: every device and memory block the filter leaves; closed: devices only. */
  expandAll(open: boolean): void {
    const meta = this.meta;
    if (!meta || !this.filter) return;
    if (open) for (const r of buildRows(meta, devicesOpen(meta), this.filter.filter)) this.expanded.add(r.key);
    else this.expanded = devicesOpen(meta);
    this.rebuildRows();
  }

  /** The height of all rows under the header: what the scroller scrolls. */
  get contentHeight(): number {
    return HEADER_HEIGHT + this.rows.length * LAYOUT.rowHeight;
  }

  /** How many rows a page (PageUp, PageDown) moves. */
  get pageRows(): number {
    return Math.floor((this.height - HEADER_HEIGHT) / LAYOUT.rowHeight);
  }

  /** Selects row `index` (clamped) and scrolls it into view. */
  selectRow(index: number): void {
    if (this.rows.length === 0) return;
    this.selectedRow = Math.max(0, Math.min(this.rows.length - 1, index));
    const top = this.selectedRow * LAYOUT.rowHeight;
    const visible = this.height - HEADER_HEIGHT;
    if (top < this.scrollTop) this.scrollTo(top);
    else if (top + LAYOUT.rowHeight > this.scrollTop + visible) this.scrollTo(top + LAYOUT.rowHeight - visible);
  }

  /** Scrolls the rows to `top`, kept between the first row and the last row at the bottom. */
  scrollTo(top: number): void {
    const max = Math.max(0, this.rows.length * LAYOUT.rowHeight - (this.height - HEADER_HEIGHT));
    this.scrollTop = Math.max(0, Math.min(max, top));
  }

  setCursor(time: number, reveal: boolean): void {
    this.cursor = time;
    if (reveal) this.viewport.reveal(time);
  }

  /** Selects a finding: the cursor to its time (in view) and the first row that shows its lanes. */
  pickFinding(f: TimelineFinding): void {
    this.selectedFinding = f.index;
    this.setCursor(f.time, true);
    const row = this.rows.findIndex((r) => f.laneFrom >= 0 && r.laneFrom < f.laneTo && r.laneTo > f.laneFrom && (r.kind === 'lane' || !r.expanded));
    if (row >= 0) this.selectRow(row);
  }

  /** Picks the next (1) or previous (-1) shown finding in time order, round the ends; undefined when none is shown. */
  stepFinding(direction: 1 | -1): TimelineFinding | undefined {
    const list = [...this.shownFindings].sort((a, b) => a.time - b.time || a.index - b.index);
    if (list.length === 0) return undefined;
    const at = list.findIndex((f) => f.index === this.selectedFinding);
    const next = at < 0 ? (direction > 0 ? 0 : list.length - 1) : (at + direction + list.length) % list.length;
    this.pickFinding(list[next]);
    return list[next];
  }

  /** The selected finding, if any. */
  get finding(): TimelineFinding | undefined {
    return this.meta?.findings.find((x) => x.index === this.selectedFinding);
  }

  /** The time the keyboard acts at: the cursor, or the middle of the view. */
  get focusTime(): number {
    return this.cursor ?? this.viewport.start + this.viewport.span / 2;
  }

  /** Where keyboard zoom is anchored: the cursor when it is in view, else the chart's middle. */
  cursorX(): number {
    const vp = this.viewport;
    return this.cursor !== undefined && this.cursor >= vp.start && this.cursor <= vp.end ? vp.x(this.cursor) : vp.left + vp.width / 2;
  }

  /** Home and End: the same span at the run's start or end. */
  jump(edge: 'start' | 'end'): void {
    const vp = this.viewport;
    if (edge === 'start') vp.show(this.meta?.t0 ?? 0, (this.meta?.t0 ?? 0) + vp.span, 0);
    else vp.show((this.meta?.t1 ?? 0) - vp.span, this.meta?.t1 ?? 0, 0);
  }

  /** Ends a zoom box: its time range fills the view (a box with no width changes nothing). */
  zoomToBox(): void {
    const box = this.box;
    if (!box) return;
    const a = this.viewport.time(Math.min(box.x0, box.x1));
    const b = this.viewport.time(Math.max(box.x0, box.x1));
    this.box = undefined;
    if (b > a) this.viewport.show(a, b, 0);
  }

  private rebuildRows(): void {
    if (!this.meta || !this.filter) return;
    this.rows = buildRows(this.meta, this.expanded, this.filter.filter);
    this.selectedRow = Math.min(this.selectedRow, Math.max(0, this.rows.length - 1));
  }

  /** The first view: from just before the first finding or change to the end, not 0 s since boot. */
  private showActivity(meta: TimelineMeta): void {
    const times = meta.findings.map((f) => f.time);
    const first = times.length > 0 ? Math.min(...times) : meta.t0;
    const from = Math.max(meta.t0, first - (meta.t1 - first) * 0.5);
    if (meta.t1 - from < (meta.t1 - meta.t0) * 0.9) this.viewport.show(from, meta.t1);
  }
}
