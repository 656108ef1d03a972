/**
 * The windows of data the chart draws from. When the one it has no longer fits the view (time
 * range, resolution, or a row in view it lacks), it asks the host for another: the view's time
 * range with a view's width either side, the rows in view with a margin, about a bin a pixel.
 * One request at a time (a view that moved meanwhile asks again when the reply is in); the
 * last window is kept; a reply to a request made for a run since replaced is dropped.
 */
import type { WindowData } from '../../src/protocol/timeline-data';
import { visibleRows } from './layout';
import type { Row } from './rows';
import type { ViewState } from './view-state';

/** A window covers this many view widths (one each side) so that panning draws from it. */
const WINDOW_SPAN = 3;
/** Bins per pixel asked for; a window is re-asked when zoom has moved it beyond [0.6, 2.5]. */
const BINS_PER_PIXEL = 1;
/** Rows fetched above and below those in view. */
const ROW_MARGIN = 40;

/** A window and which of its rows each row key is. */
export interface ShownWindow {
  data: WindowData;
  rowOfKey: Map<string, number>;
}

/** Asks the host for a window: `rows` holds `[laneFrom, laneTo)` pairs, one per row. */
export type AskWindow = (request: { t0: number; t1: number; bins: number; rows: Uint32Array }) => Promise<WindowData>;

export class WindowFetcher {
  /** The last window that came, for the run shown. */
  shown?: ShownWindow;
  /** A request is out; another waits for its reply. */
  fetching = false;
  private askAgain = false;
  /** Counts runs: a reply carries the count it was asked under. */
  private run = 0;

  constructor(
    private readonly view: ViewState,
    private readonly ask: AskWindow,
    /** Called when a window has come and is shown. */
    private readonly arrived: () => void,
  ) {}

  /** A new run: the window shown was the old run's, and so is any reply still to come. */
  reset(): void {
    this.shown = undefined;
    this.run += 1;
  }

  /** Whether the window shown covers the view at a fitting resolution, with every row in view that has data. */
  fits(): boolean {
    const w = this.shown;
    if (!w) return false;
    const { viewport: vp, rows } = this.view;
    if (vp.start < w.data.t0 || vp.end > w.data.t1) return false;
    const binsPerPixel = (w.data.bins / (w.data.t1 - w.data.t0)) * (vp.span / vp.width);
    if (binsPerPixel < 0.6 * BINS_PER_PIXEL || binsPerPixel > 2.5 * BINS_PER_PIXEL * WINDOW_SPAN) return false;
    const { first, last } = visibleRows(this.view, this.view.height);
    for (let i = first; i < last; i++) if (hasData(rows[i]) && !w.rowOfKey.has(rows[i].key)) return false;
    return true;
  }

  /** The rows a request covers: those in view and a margin either side. */
  rowsWanted(): { from: number; to: number } {
    const { first, last } = visibleRows(this.view, this.view.height);
    return { from: Math.max(0, first - ROW_MARGIN), to: Math.min(this.view.rows.length, last + ROW_MARGIN) };
  }

  /** Asks for a window when the one shown does not fit the view (after the reply out, if one is). */
  update(): void {
    if (!this.view.meta || this.fits()) return;
    if (this.fetching) {
      this.askAgain = true;
      return;
    }
    this.fetching = true;
    const run = this.run;
    const vp = this.view.viewport;
    const bins = Math.min(16_384, Math.max(1, Math.round(vp.width * WINDOW_SPAN * BINS_PER_PIXEL)));
    const { from, to } = this.rowsWanted();
    const picked = this.view.rows.slice(from, to).filter(hasData);
    const rows = new Uint32Array(picked.length * 2);
    picked.forEach((r, i) => {
      rows[2 * i] = r.laneFrom;
      rows[2 * i + 1] = r.laneTo;
    });
    void this.ask({ t0: vp.start - vp.span, t1: vp.end + vp.span, bins, rows }).then((data) => {
      this.fetching = false;
      const stale = run !== this.run;
      const again = this.askAgain || stale;
      this.askAgain = false;
      if (!stale) {
        this.shown = { data, rowOfKey: new Map(picked.map((r, i) => [r.key, i])) };
        this.arrived();
      }
      if (again) this.update();
    });
  }
}

/** An open device row is a heading: its memory blocks below carry the data (a summary of thousands of lanes costs more than all of them). */
function hasData(row: Row): boolean {
  return !(row.kind === 'device' && row.expanded);
}
