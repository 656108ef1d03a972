/**
 * The timeline's controller: keeps the view state (time range, rows, filter, cursor,
 * selection), asks for windows when the view outgrows the one it has, and turns mouse and
 * keyboard into view changes. Drawing is renderer.ts; DOM panels are panels.ts.
 */
import type { Inspection, TimelineFinding, TimelineMeta } from '../../src/core/store/timeline';
import type { HostMessage } from '../../src/protocol/timeline';
import { formatTime } from './axis';
import { type Channel, Requester } from './backend';
import { isEmpty, parseFilter, type ParsedFilter } from './filter';
import { readPalette } from './palette';
import {
  fileName,
  type ChangesView,
  findingLines,
  inspectionLines,
  markFinding,
  renderChanges,
  renderFindingList,
  renderLegend,
  showTooltip,
} from './panels';
import { draw, HEADER_HEIGHT, LAYOUT, rowTop, type Scene, type ShownWindow, visibleRows } from './renderer';
import { buildRows, defaultExpanded, type Row } from './rows';
import { Viewport } from './viewport';

/** A window covers this many view widths (one each side) so that panning draws from it. */
const WINDOW_SPAN = 3;
/** Bins per pixel asked for; a window is re-asked when zoom has moved it beyond [0.6, 2.5]. */
const BINS_PER_PIXEL = 1;
/** Rows fetched above and below those in view. */
const ROW_MARGIN = 40;

interface SavedState {
  key: string;
  run?: string[];
  start: number;
  end: number;
  scrollTop: number;
  expanded: string[];
  filter: string;
  cursor?: number;
}

interface Elements {
  canvas: HTMLCanvasElement;
  chart: HTMLElement;
  scroller: HTMLElement;
  spacer: HTMLElement;
  tooltip: HTMLElement;
  status: HTMLElement;
  title: HTMLElement;
  filter: HTMLInputElement;
  filterNote: HTMLElement;
  legend: HTMLElement;
  findings: HTMLElement;
  findingCount: HTMLElement;
  changes: HTMLElement;
}

function elements(): Elements {
  const byId = <T extends HTMLElement>(id: string) => {
    const node = document.getElementById(id);
    if (!node) throw new Error(`timeline page lacks #${id}`);
    return node as T;
  };
  return {
    canvas: byId<HTMLCanvasElement>('timeline'),
    chart: byId('chart'),
    scroller: byId('scroller'),
    spacer: byId('spacer'),
    tooltip: byId('tooltip'),
    status: byId('status'),
    title: byId('title'),
    filter: byId<HTMLInputElement>('filter'),
    filterNote: byId('filter-note'),
    legend: byId('legend'),
    findings: byId('findings'),
    findingCount: byId('finding-count'),
    changes: byId('changes'),
  };
}

export class TimelineApp {
  private readonly ui = elements();
  private readonly ctx: CanvasRenderingContext2D;
  private readonly requester: Requester;
  private meta?: TimelineMeta;
  private canReplay = false;
  private run?: string[];
  private viewport = new Viewport(0, 1);
  private rows: Row[] = [];
  private expanded = new Set<string>();
  private filter: ParsedFilter | undefined;
  private filterText = '';
  private shownFindings: TimelineFinding[] = [];
  private listPending = false;
  private scrollTop = 0;
  private cursor?: number;
  private selectedRow = 0;
  private selectedFinding?: number;
  private box?: { x0: number; x1: number };
  private window?: ShownWindow;
  private fetching = false;
  private fetchAgain = false;
  private frame = 0;
  private palette?: Scene['palette'];
  private changes?: ChangesView;
  private hoverToken = 0;
  private width = 0;
  private height = 0;
  /** Frames drawn and the time each took, for the benchmark and tests. */
  readonly stats = { frames: 0, lastFrameMs: 0, windows: 0, firstPaintAt: 0 };

  constructor(private readonly channel: Channel) {
    const ctx = this.ui.canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('no 2D canvas');
    this.ctx = ctx;
    this.requester = new Requester(channel);
    channel.listen((m) => this.receive(m));
    this.listen();
    channel.post({ type: 'ready' });
  }

  // ---- messages from the host ----

  private receive(message: HostMessage): void {
    if (this.requester.settle(message)) return;
    switch (message.type) {
      case 'meta':
        this.run = message.run;
        this.load(message.meta, message.title, message.canReplay);
        break;
      case 'cursor':
        this.setCursor(message.time, true);
        this.announce(`Cursor at ${fileName(this.meta?.inputs[message.input])}:${message.line}, ${formatTime(message.time, this.meta?.axis ?? 'boot')}`);
        break;
      case 'empty':
        this.ui.title.textContent = message.message;
        this.announce(message.message);
        break;
    }
  }

  private load(meta: TimelineMeta, title: string, canReplay: boolean): void {
    this.meta = meta;
    this.canReplay = canReplay;
    this.ui.title.textContent = title;
    this.viewport = new Viewport(meta.t0, meta.t1);
    this.expanded = defaultExpanded(meta);
    this.window = undefined;
    const saved = this.channel.loadState() as SavedState | undefined;
    if (saved && saved.key === runKey(meta)) {
      this.viewport.show(saved.start, saved.end, 0);
      this.expanded = new Set(saved.expanded);
      this.filterText = saved.filter;
      this.ui.filter.value = saved.filter;
      this.scrollTop = saved.scrollTop;
      this.cursor = saved.cursor;
    } else {
      this.showActivity(meta);
    }
    renderLegend(this.ui.legend, meta);
    this.applyFilter();
    this.renderChanges();
    this.resize();
    // Ask for the first window now rather than after a first, empty frame.
    this.maybeFetch();
  }

  /** The first view: from just before the first finding or change to the end, not 0 s since boot. */
  private showActivity(meta: TimelineMeta): void {
    const times = meta.findings.map((f) => f.time);
    const first = times.length > 0 ? Math.min(...times) : meta.t0;
    const from = Math.max(meta.t0, first - (meta.t1 - first) * 0.5);
    if (meta.t1 - from < (meta.t1 - meta.t0) * 0.9) this.viewport.show(from, meta.t1);
  }

  // ---- view state ----

  private applyFilter(): void {
    const meta = this.meta;
    if (!meta) return;
    this.filter = parseFilter(this.filterText, meta);
    const f = this.filter.filter;
    this.ui.filterNote.textContent = this.filter.unknown.length > 0 ? `Not understood: ${this.filter.unknown.join(' ')}` : '';
    this.rebuildRows();
    const laneShown = new Uint8Array(meta.lanes);
    if (!isEmpty(f)) for (const r of this.rows) if (r.kind !== 'device' || !r.expanded) laneShown.fill(1, r.laneFrom, r.laneTo);
    this.shownFindings = meta.findings.filter(
      (x) => (f.codes.size === 0 || f.codes.has(x.code)) && (isEmpty(f) || x.laneFrom < 0 || laneShown.subarray(x.laneFrom, x.laneTo).some((v) => v === 1)),
    );
    this.ui.findingCount.textContent = String(this.shownFindings.length);
    // Before the first window, the list waits: laying out hundreds of entries would hold up the first picture.
    if (this.window) this.renderList();
    else this.listPending = true;
    this.requestDraw();
  }

  private renderList(): void {
    if (!this.meta) return;
    this.listPending = false;
    renderFindingList(this.ui.findings, this.shownFindings, this.meta, (x) => this.pickFinding(x, true));
    markFinding(this.ui.findings, this.selectedFinding);
  }

  private rebuildRows(): void {
    if (!this.meta || !this.filter) return;
    this.rows = buildRows(this.meta, this.expanded, this.filter.filter);
    this.selectedRow = Math.min(this.selectedRow, Math.max(0, this.rows.length - 1));
    this.ui.spacer.style.height = `${HEADER_HEIGHT + this.rows.length * LAYOUT.rowHeight}px`;
  }

  private toggle(index: number): void {
    const row = this.rows[index];
    if (!row || row.kind === 'lane') return;
    if (this.expanded.has(row.key)) this.expanded.delete(row.key);
    else this.expanded.add(row.key);
    this.rebuildRows();
    this.requestDraw();
  }

  private setCursor(time: number, reveal: boolean): void {
    this.cursor = time;
    if (reveal) this.viewport.reveal(time);
    this.requestDraw();
  }

  private selectRow(index: number): void {
    if (this.rows.length === 0) return;
    this.selectedRow = Math.max(0, Math.min(this.rows.length - 1, index));
    const top = this.selectedRow * LAYOUT.rowHeight;
    const visible = this.height - HEADER_HEIGHT;
    if (top < this.scrollTop) this.scrollTo(top);
    else if (top + LAYOUT.rowHeight > this.scrollTop + visible) this.scrollTo(top + LAYOUT.rowHeight - visible);
    this.requestDraw();
  }

  private scrollTo(top: number): void {
    const max = Math.max(0, this.rows.length * LAYOUT.rowHeight - (this.height - HEADER_HEIGHT));
    this.scrollTop = Math.max(0, Math.min(max, top));
    if (Math.abs(this.ui.scroller.scrollTop - this.scrollTop) > 1) this.ui.scroller.scrollTop = this.scrollTop;
    this.requestDraw();
  }

  /** Shows a line in the editor; only `focus` (the user asked to go there) takes the keyboard from the page. */
  private reveal(input: number, line: number, focus = false): void {
    this.channel.post({ type: 'reveal', input, line, focus });
  }

  /** Selects a finding: cursor to its time, its first row into view; `reveal` also shows its line. */
  private pickFinding(f: TimelineFinding, reveal: boolean): void {
    this.selectedFinding = f.index;
    this.setCursor(f.time, true);
    const row = this.rows.findIndex((r) => f.laneFrom >= 0 && r.laneFrom < f.laneTo && r.laneTo > f.laneFrom && (r.kind === 'lane' || !r.expanded));
    if (row >= 0) this.selectRow(row);
    markFinding(this.ui.findings, f.index);
    this.announce(`${f.code} at ${fileName(this.meta?.inputs[f.input])}:${f.line}: ${f.message}`);
    void this.showChanges(f.input, f.line);
    if (reveal) this.reveal(f.input, f.line);
  }

  private stepFinding(direction: 1 | -1): void {
    const list = [...this.shownFindings].sort((a, b) => a.time - b.time || a.index - b.index);
    if (list.length === 0) return this.announce('No findings.');
    const at = list.findIndex((f) => f.index === this.selectedFinding);
    const next = at < 0 ? (direction > 0 ? 0 : list.length - 1) : (at + direction + list.length) % list.length;
    this.pickFinding(list[next], false);
  }

  private async showChanges(input: number, line: number): Promise<void> {
    const reply = await this.requester.ask<'changes'>({ type: 'changes', input, line });
    this.changes = reply;
    this.renderChanges();
  }

  private renderChanges(): void {
    if (!this.meta) return;
    const view = this.changes;
    renderChanges(this.ui.changes, this.meta, view, {
      // The file:line link is the page's "open line" action: the editor takes the keyboard.
      reveal: () => view && this.reveal(view.input, view.line, true),
      ...(this.canReplay && view ? { replay: () => this.channel.post({ type: 'replayTo', input: view.input, line: view.line }) } : {}),
    });
  }

  private announce(text: string): void {
    this.ui.status.textContent = text;
  }

  // ---- drawing and windows ----

  private resize(): void {
    const rect = this.ui.chart.getBoundingClientRect();
    const scrollbar = this.ui.scroller.offsetWidth - this.ui.scroller.clientWidth;
    this.width = Math.max(LAYOUT.labelWidth + 50, Math.floor(rect.width - scrollbar));
    this.height = Math.max(HEADER_HEIGHT + LAYOUT.rowHeight, Math.floor(rect.height));
    const dpr = window.devicePixelRatio || 1;
    this.ui.canvas.width = Math.floor(this.width * dpr);
    this.ui.canvas.height = Math.floor(this.height * dpr);
    this.ui.canvas.style.width = `${this.width}px`;
    this.ui.canvas.style.height = `${this.height}px`;
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.viewport.left = LAYOUT.labelWidth;
    this.viewport.width = this.width - LAYOUT.labelWidth;
    this.palette = undefined;
    this.requestDraw();
  }

  requestDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.drawNow();
    });
  }

  /** Draws one frame now and returns how long it took (ms). */
  drawNow(): number {
    const meta = this.meta;
    if (!meta) return 0;
    const began = performance.now();
    this.palette ??= readPalette(document.body, meta.classes.length, this.ctx);
    draw(this.ctx, this.width, this.height, {
      meta,
      rows: this.rows,
      scrollTop: this.scrollTop,
      viewport: this.viewport,
      ...(this.window ? { window: this.window } : {}),
      findings: this.shownFindings,
      ...(this.cursor !== undefined ? { cursor: this.cursor } : {}),
      selectedRow: this.selectedRow,
      ...(this.selectedFinding !== undefined ? { selectedFinding: this.selectedFinding } : {}),
      ...(this.box ? { box: this.box } : {}),
      palette: this.palette,
    });
    const took = performance.now() - began;
    this.stats.frames += 1;
    this.stats.lastFrameMs = took;
    if (this.window && !this.stats.firstPaintAt) this.stats.firstPaintAt = performance.now();
    this.save();
    this.maybeFetch();
    return took;
  }

  private save(): void {
    if (!this.meta) return;
    const state: SavedState = {
      key: runKey(this.meta),
      ...(this.run ? { run: this.run } : {}),
      start: this.viewport.start,
      end: this.viewport.end,
      scrollTop: this.scrollTop,
      expanded: [...this.expanded],
      filter: this.filterText,
      ...(this.cursor !== undefined ? { cursor: this.cursor } : {}),
    };
    this.channel.saveState(state);
  }

  private rowsWanted(): { from: number; to: number } {
    const { first, last } = visibleRows({ rows: this.rows, scrollTop: this.scrollTop }, this.height);
    return { from: Math.max(0, first - ROW_MARGIN), to: Math.min(this.rows.length, last + ROW_MARGIN) };
  }

  private windowFits(): boolean {
    const w = this.window;
    if (!w) return false;
    const vp = this.viewport;
    if (vp.start < w.data.t0 || vp.end > w.data.t1) return false;
    const binsPerPixel = (w.data.bins / (w.data.t1 - w.data.t0)) * (vp.span / vp.width);
    if (binsPerPixel < 0.6 * BINS_PER_PIXEL || binsPerPixel > 2.5 * BINS_PER_PIXEL * WINDOW_SPAN) return false;
    const { first, last } = visibleRows({ rows: this.rows, scrollTop: this.scrollTop }, this.height);
    for (let i = first; i < last; i++) if (hasData(this.rows[i]) && !w.rowOfKey.has(this.rows[i].key)) return false;
    return true;
  }

  private maybeFetch(): void {
    if (!this.meta || this.windowFits()) return;
    if (this.fetching) {
      this.fetchAgain = true;
      return;
    }
    this.fetching = true;
    const vp = this.viewport;
    const t0 = vp.start - vp.span;
    const t1 = vp.end + vp.span;
    const bins = Math.min(16_384, Math.max(1, Math.round(vp.width * WINDOW_SPAN * BINS_PER_PIXEL)));
    const { from, to } = this.rowsWanted();
    const picked = this.rows.slice(from, to).filter(hasData);
    const rows = new Uint32Array(picked.length * 2);
    picked.forEach((r, i) => {
      rows[2 * i] = r.laneFrom;
      rows[2 * i + 1] = r.laneTo;
    });
    void this.requester.ask<'window'>({ type: 'window', t0, t1, bins, rows }).then((data) => {
      this.fetching = false;
      this.stats.windows += 1;
      this.window = { data, rowOfKey: new Map(picked.map((r, i) => [r.key, i])) };
      const again = this.fetchAgain;
      this.fetchAgain = false;
      this.requestDraw();
      if (this.listPending) requestAnimationFrame(() => setTimeout(() => this.renderList(), 0));
      if (again) this.maybeFetch();
    });
  }

  // ---- input ----

  private listen(): void {
    const { canvas, scroller, filter } = this.ui;
    new ResizeObserver(() => this.resize()).observe(this.ui.chart);
    new MutationObserver(() => {
      this.palette = undefined;
      this.requestDraw();
    }).observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
    scroller.addEventListener('scroll', () => {
      this.scrollTop = scroller.scrollTop;
      this.requestDraw();
    });
    // When the panel gets the keyboard (a click on its tab, Ctrl+2), the chart takes it, so that
    // its keys work at once; an element the user was typing into keeps it.
    window.addEventListener('focus', () => {
      if (document.activeElement === document.body || document.activeElement === null) canvas.focus();
    });
    let filterTimer = 0;
    filter.addEventListener('input', () => {
      clearTimeout(filterTimer);
      filterTimer = window.setTimeout(() => {
        this.filterText = filter.value;
        this.applyFilter();
      }, 150);
    });
    canvas.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    canvas.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    canvas.addEventListener('pointermove', (e) => this.onHover(e));
    canvas.addEventListener('pointerleave', () => {
      this.hoverToken += 1;
      this.ui.tooltip.hidden = true;
    });
    canvas.addEventListener('dblclick', (e) => {
      const row = this.rowAt(e.offsetY);
      if (row >= 0 && e.offsetX >= LAYOUT.labelWidth) this.toggle(row);
    });
    canvas.addEventListener('keydown', (e) => this.onKey(e));
    document.getElementById('fit')?.addEventListener('click', () => this.act(() => this.viewport.fit()));
    document.getElementById('zoom-in')?.addEventListener('click', () => this.act(() => this.viewport.zoom(2)));
    document.getElementById('zoom-out')?.addEventListener('click', () => this.act(() => this.viewport.zoom(0.5)));
    document.getElementById('previous-finding')?.addEventListener('click', () => this.stepFinding(-1));
    document.getElementById('next-finding')?.addEventListener('click', () => this.stepFinding(1));
    document.getElementById('expand-all')?.addEventListener('click', () => this.expandAll(true));
    document.getElementById('collapse-all')?.addEventListener('click', () => this.expandAll(false));
  }

  private act(change: () => void): void {
    change();
    this.requestDraw();
  }

  private expandAll(open: boolean): void {
    if (!this.meta || !this.filter) return;
    const everything = buildRows(this.meta, new Set(this.meta.devices.map((d) => `d:${d.device}`)), this.filter.filter);
    if (open) for (const r of everything) this.expanded.add(r.key);
    else this.expanded = new Set(this.meta.devices.map((d) => `d:${d.device}`));
    this.rebuildRows();
    this.requestDraw();
  }

  private rowAt(y: number): number {
    if (y < HEADER_HEIGHT) return -1;
    const i = Math.floor((y - HEADER_HEIGHT + this.scrollTop) / LAYOUT.rowHeight);
    return i < this.rows.length ? i : -1;
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    if (e.shiftKey) return this.scrollTo(this.scrollTop + (e.deltaY || e.deltaX));
    if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) return this.act(() => this.viewport.pan(e.deltaX));
    // Pinch arrives as ctrl+wheel with small deltas: the same exponential zoom serves both.
    this.act(() => this.viewport.zoom(Math.exp(-e.deltaY * (e.ctrlKey ? 0.01 : 0.002)), Math.max(LAYOUT.labelWidth, e.offsetX)));
  }

  private onPointerDown(e: PointerEvent): void {
    const { canvas } = this.ui;
    canvas.focus();
    const startX = e.offsetX;
    const startY = e.offsetY;
    let lastX = startX;
    let lastY = startY;
    let moved = false;
    const boxing = e.shiftKey && startX >= LAYOUT.labelWidth;
    canvas.setPointerCapture(e.pointerId);
    const move = (m: PointerEvent) => {
      if (Math.abs(m.offsetX - startX) + Math.abs(m.offsetY - startY) > 3) moved = true;
      if (!moved) return;
      if (boxing) {
        this.box = { x0: startX, x1: m.offsetX };
      } else {
        this.viewport.pan(lastX - m.offsetX);
        this.scrollTo(this.scrollTop + (lastY - m.offsetY));
      }
      lastX = m.offsetX;
      lastY = m.offsetY;
      this.requestDraw();
    };
    const up = (u: PointerEvent) => {
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerup', up);
      canvas.releasePointerCapture(u.pointerId);
      if (boxing && this.box) {
        const a = this.viewport.time(Math.min(this.box.x0, this.box.x1));
        const b = this.viewport.time(Math.max(this.box.x0, this.box.x1));
        this.box = undefined;
        if (b > a) this.viewport.show(a, b, 0);
        this.requestDraw();
      } else if (!moved) {
        void this.click(u.offsetX, u.offsetY);
      }
    };
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerup', up);
  }

  /** A click: on a label toggles or selects the row; on the chart picks a finding marker or reveals the state's line. */
  private async click(x: number, y: number): Promise<void> {
    const index = this.rowAt(y);
    if (y < HEADER_HEIGHT && x >= LAYOUT.labelWidth) {
      const f = this.findingNear(x, -1);
      if (f) this.pickFinding(f, true);
      return;
    }
    if (index < 0) return;
    if (x < LAYOUT.labelWidth) {
      this.selectRow(index);
      this.toggle(index);
      return;
    }
    this.selectRow(index);
    const marker = this.findingNear(x, index);
    if (marker) return this.pickFinding(marker, true);
    const time = this.viewport.time(x);
    this.setCursor(time, false);
    const row = this.rows[index];
    const inspection = await this.requester.ask<'inspect'>({ type: 'inspect', laneFrom: row.laneFrom, laneTo: row.laneTo, time });
    const setBy = inspection?.setBy;
    if (!setBy) return this.announce('This state was there before the first logged change.');
    this.selectedFinding = undefined;
    markFinding(this.ui.findings, undefined);
    this.reveal(setBy.input, setBy.line);
    this.announce(`${fileName(this.meta?.inputs[setBy.input])}:${setBy.line} (${setBy.action})`);
    void this.showChanges(setBy.input, setBy.line);
  }

  /** The finding whose marker is within a few pixels of `x` on row `index` (-1: the header). */
  private findingNear(x: number, index: number): TimelineFinding | undefined {
    const row = index >= 0 ? this.rows[index] : undefined;
    let best: TimelineFinding | undefined;
    let bestDistance = 6;
    for (const f of this.shownFindings) {
      if (row && (f.laneFrom < 0 || row.laneFrom >= f.laneTo || row.laneTo <= f.laneFrom)) continue;
      const d = Math.abs(this.viewport.x(f.time) - x);
      if (d < bestDistance) {
        bestDistance = d;
        best = f;
      }
    }
    return best;
  }

  private onHover(e: PointerEvent): void {
    if (e.buttons !== 0 || !this.meta) return;
    const meta = this.meta;
    const token = ++this.hoverToken;
    const index = this.rowAt(e.offsetY);
    const inChart = e.offsetX >= LAYOUT.labelWidth;
    const marker = inChart ? this.findingNear(e.offsetX, e.offsetY < HEADER_HEIGHT ? -1 : index) : undefined;
    if (marker) return showTooltip(this.ui.tooltip, findingLines(meta, marker), e.offsetX, e.offsetY);
    if (index < 0 || !inChart) {
      this.ui.tooltip.hidden = true;
      return;
    }
    const row = this.rows[index];
    const time = this.viewport.time(e.offsetX);
    void this.requester.ask<'inspect'>({ type: 'inspect', laneFrom: row.laneFrom, laneTo: row.laneTo, time }).then((i: (Inspection & { text?: string }) | undefined) => {
      if (token !== this.hoverToken) return;
      if (!i) {
        this.ui.tooltip.hidden = true;
        return;
      }
      const lines = [row.kind === 'lane' ? '' : `${row.label}`, ...inspectionLines(meta, i)].filter(Boolean);
      showTooltip(this.ui.tooltip, [...lines, formatTime(time, meta.axis)], e.offsetX, e.offsetY);
    });
  }

  private onKey(e: KeyboardEvent): void {
    const vp = this.viewport;
    const handled = (() => {
      switch (e.key) {
        case 'ArrowLeft':
          vp.pan(-vp.width * 0.1);
          return true;
        case 'ArrowRight':
          vp.pan(vp.width * 0.1);
          return true;
        case 'ArrowUp':
          this.selectRow(this.selectedRow - 1);
          return true;
        case 'ArrowDown':
          this.selectRow(this.selectedRow + 1);
          return true;
        case 'PageUp':
          this.selectRow(this.selectedRow - Math.floor((this.height - HEADER_HEIGHT) / LAYOUT.rowHeight));
          return true;
        case 'PageDown':
          this.selectRow(this.selectedRow + Math.floor((this.height - HEADER_HEIGHT) / LAYOUT.rowHeight));
          return true;
        case '+':
        case '=':
          vp.zoom(2, this.cursorX());
          return true;
        case '-':
        case '_':
          vp.zoom(0.5, this.cursorX());
          return true;
        case 'Home':
          vp.show(this.meta?.t0 ?? 0, (this.meta?.t0 ?? 0) + vp.span, 0);
          return true;
        case 'End':
          vp.show((this.meta?.t1 ?? 0) - vp.span, this.meta?.t1 ?? 0, 0);
          return true;
        case 'f':
        case 'F':
        case '0':
          vp.fit();
          return true;
        case 'n':
        case 'N':
          // Shift+N walks back, as Shift+F8 does in the editor.
          this.stepFinding(e.shiftKey ? -1 : 1);
          return true;
        case 'p':
        case 'P':
          this.stepFinding(-1);
          return true;
        case ' ':
          this.toggle(this.selectedRow);
          return true;
        case 'Enter':
          this.enter();
          return true;
        case 'Escape':
          this.box = undefined;
          this.ui.tooltip.hidden = true;
          return true;
        default:
          return false;
      }
    })();
    if (handled) {
      e.preventDefault();
      this.requestDraw();
    }
  }

  private cursorX(): number {
    return this.cursor !== undefined && this.cursor >= this.viewport.start && this.cursor <= this.viewport.end
      ? this.viewport.x(this.cursor)
      : this.viewport.left + this.viewport.width / 2;
  }

  /** Enter goes to the selected finding's line, or the line that set the selected row's state at the cursor. */
  private enter(): void {
    const f = this.meta?.findings.find((x) => x.index === this.selectedFinding);
    if (f) return this.reveal(f.input, f.line, true);
    const row = this.rows[this.selectedRow];
    if (!row) return;
    const time = this.cursor ?? this.viewport.start + this.viewport.span / 2;
    void this.requester.ask<'inspect'>({ type: 'inspect', laneFrom: row.laneFrom, laneTo: row.laneTo, time }).then((i) => {
      if (i?.setBy) {
        this.reveal(i.setBy.input, i.setBy.line, true);
        void this.showChanges(i.setBy.input, i.setBy.line);
      }
    });
  }

  /** For tests and the benchmark: the current view, read-only. */
  describe(): { rows: number; start: number; end: number; cursor?: number; selectedFinding?: number; windowRows: number; rowLabels: string[] } {
    return {
      rows: this.rows.length,
      start: this.viewport.start,
      end: this.viewport.end,
      ...(this.cursor !== undefined ? { cursor: this.cursor } : {}),
      ...(this.selectedFinding !== undefined ? { selectedFinding: this.selectedFinding } : {}),
      windowRows: this.window?.rowOfKey.size ?? 0,
      rowLabels: this.rows.slice(0, 50).map((r) => r.label),
    };
  }

  /** The y of a row's middle and the x of a time: lets tests click exactly where something is drawn. */
  locate(rowKey: string, time: number): { x: number; y: number } | undefined {
    const i = this.rows.findIndex((r) => r.key === rowKey);
    if (i < 0) return undefined;
    return { x: this.viewport.x(time), y: rowTop({ scrollTop: this.scrollTop }, i) + LAYOUT.rowHeight / 2 };
  }

  /** For the benchmark: zoom or pan by code, then draw synchronously. */
  get view(): Viewport {
    return this.viewport;
  }
}

/** An open device row is a heading: its memory blocks below carry the data (a summary of thousands of lanes costs more than all of them). */
function hasData(row: Row): boolean {
  return !(row.kind === 'device' && row.expanded);
}

function runKey(meta: TimelineMeta): string {
  return `${meta.inputs.join('|')}#${meta.eventCount}`;
}
