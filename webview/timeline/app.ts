/**
 * The timeline page, wired: the host's messages, the view state (view-state.ts), the windows
 * it draws from (windows.ts), input as intents (input.ts, hit.ts), what a reload keeps
 * (saved-state.ts), drawing (renderer.ts) and the DOM panels (panels.ts). What each intent
 * does to the view and the panels is here; how is in those modules.
 */
import type { HostMessage } from '../../src/protocol/timeline';
import type { TimelineFinding, TimelineMeta } from '../../src/protocol/timeline-data';
import { formatTime } from './axis';
import { type Channel, Requester } from './backend';
import type { Hit } from './hit';
import { type Intents, listenInput } from './input';
import { HEADER_HEIGHT, LAYOUT, rowTop } from './layout';
import { pageElements } from './page-elements';
import { type Palette, readPalette } from './palette';
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
import { draw } from './renderer';
import type { Row } from './rows';
import { savedState, savedView } from './saved-state';
import { ViewState } from './view-state';
import type { Viewport } from './viewport';
import { WindowFetcher } from './windows';

export class TimelineApp {
  private readonly ui = pageElements();
  private readonly ctx: CanvasRenderingContext2D;
  private readonly requester: Requester;
  private readonly state = new ViewState();
  private readonly windows: WindowFetcher;
  private canReplay = false;
  private run?: string[];
  /** The finding list waits for the first window: laying out hundreds of entries would hold up the first picture. */
  private listPending = false;
  private frame = 0;
  private palette?: Palette;
  private changes?: ChangesView;
  /** Counts hovers: an inspection that comes back after the pointer moved on is not shown. */
  private hoverToken = 0;
  private width = 0;
  /** What the spacer and the scroller were last told, so that they are written only on a change. */
  private spacerHeight = -1;
  private scrollerTop = 0;
  /** Frames drawn and the time each took, for the benchmark and tests. */
  readonly stats = { frames: 0, lastFrameMs: 0, windows: 0, firstPaintAt: 0 };

  constructor(private readonly channel: Channel) {
    const ctx = this.ui.canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('no 2D canvas');
    this.ctx = ctx;
    this.requester = new Requester(channel);
    this.windows = new WindowFetcher(this.state, (request) => this.requester.ask<'window'>({ type: 'window', ...request }), () => this.windowArrived());
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
        this.state.setCursor(message.time, true);
        this.changed();
        this.announce(`Cursor at ${fileName(this.state.meta?.inputs[message.input])}:${message.line}, ${formatTime(message.time, this.state.meta?.axis ?? 'boot')}`);
        break;
      case 'empty':
        this.ui.title.textContent = message.message;
        this.announce(message.message);
        break;
    }
  }

  private load(meta: TimelineMeta, title: string, canReplay: boolean): void {
    this.canReplay = canReplay;
    this.ui.title.textContent = title;
    this.windows.reset();
    const saved = savedView(this.channel.loadState(), meta);
    this.state.load(meta, saved);
    if (saved) this.ui.filter.value = saved.filter;
    renderLegend(this.ui.legend, meta);
    this.filtered();
    this.renderChanges();
    this.resize();
    // Ask for the first window now rather than after a first, empty frame.
    this.windows.update();
  }

  // ---- intents ----

  private intents(): Intents {
    const s = this.state;
    return {
      pan: (pixels) => this.act(() => s.viewport.pan(pixels)),
      scroll: (pixels) => this.act(() => s.scrollTo(s.scrollTop + pixels)),
      scrolledTo: (top) => {
        s.scrollTop = top;
        this.scrollerTop = top;
        this.requestDraw();
      },
      zoom: (factor, x) => this.act(() => s.viewport.zoom(factor, x)),
      zoomAtCursor: (factor) => this.act(() => s.viewport.zoom(factor, s.cursorX())),
      fit: () => this.act(() => s.viewport.fit()),
      jump: (edge) => this.act(() => s.jump(edge)),
      box: (x0, x1) => this.act(() => (s.box = { x0, x1 })),
      zoomToBox: () => this.act(() => s.zoomToBox()),
      selectRow: (index) => this.act(() => s.selectRow(index)),
      moveSelection: (steps, unit) => this.act(() => s.selectRow(s.selectedRow + steps * (unit === 'page' ? s.pageRows : 1))),
      toggle: (index = s.selectedRow) => this.act(() => s.toggle(index)),
      expandAll: (open) => this.act(() => s.expandAll(open)),
      pickFinding: (f) => this.pickFinding(f, true),
      stepFinding: (direction) => {
        const f = s.stepFinding(direction);
        if (f) this.picked(f, false);
        else this.announce('No findings.');
      },
      showLine: (row, time) => {
        this.act(() => s.setCursor(time, false));
        void this.openLine(row, time, false);
      },
      goToLine: () => {
        const f = s.finding;
        if (f) this.reveal(f.input, f.line, true);
        else void this.openLine(s.selectedRow, s.focusTime, true);
      },
      hover: (hit, x, y) => this.hover(hit, x, y),
      cancel: () =>
        this.act(() => {
          s.box = undefined;
          this.ui.tooltip.hidden = true;
        }),
      filter: (text) => {
        s.setFilter(text);
        this.filtered();
      },
    };
  }

  /** Changes the view, then brings the scroller up to date and draws. */
  private act(change: () => void): void {
    change();
    this.changed();
  }

  private changed(): void {
    const s = this.state;
    if (s.meta && s.contentHeight !== this.spacerHeight) {
      this.spacerHeight = s.contentHeight;
      this.ui.spacer.style.height = `${this.spacerHeight}px`;
    }
    if (s.scrollTop !== this.scrollerTop) {
      this.scrollerTop = s.scrollTop;
      if (Math.abs(this.ui.scroller.scrollTop - s.scrollTop) > 1) this.ui.scroller.scrollTop = s.scrollTop;
    }
    this.requestDraw();
  }

  /** After the filter changed: its note, the finding count and list, the rows. */
  private filtered(): void {
    const parsed = this.state.filter;
    if (!parsed) return;
    this.ui.filterNote.textContent = parsed.unknown.length > 0 ? `Not understood: ${parsed.unknown.join(' ')}` : '';
    this.ui.findingCount.textContent = String(this.state.shownFindings.length);
    if (this.windows.shown) this.renderList();
    else this.listPending = true;
    this.changed();
  }

  /** Selects a finding; `show` also shows its line in the editor. */
  private pickFinding(f: TimelineFinding, show: boolean): void {
    this.state.pickFinding(f);
    this.picked(f, show);
  }

  /** What picking a finding shows beyond the chart: the list, the status, what its line changed. */
  private picked(f: TimelineFinding, show: boolean): void {
    this.changed();
    markFinding(this.ui.findings, f.index);
    this.announce(`${f.code} at ${fileName(this.state.meta?.inputs[f.input])}:${f.line}: ${f.message}`);
    void this.showChanges(f.input, f.line);
    if (show) this.reveal(f.input, f.line);
  }

  /** Asks which line set row `index`'s state at `time` and opens it: shown, or gone to when `focus`. */
  private async openLine(index: number, time: number, focus: boolean): Promise<void> {
    const row = this.state.rows[index];
    if (!row) return;
    const setBy = (await this.inspect(row, time))?.setBy;
    if (!setBy) return this.announce('This state was there before the first logged change.');
    this.state.selectedFinding = undefined;
    this.requestDraw();
    markFinding(this.ui.findings, undefined);
    this.reveal(setBy.input, setBy.line, focus);
    this.announce(`${fileName(this.state.meta?.inputs[setBy.input])}:${setBy.line} (${setBy.action})`);
    void this.showChanges(setBy.input, setBy.line);
  }

  /** Shows a line in the editor; only `focus` (the user asked to go there) takes the keyboard from the page. */
  private reveal(input: number, line: number, focus = false): void {
    this.channel.post({ type: 'reveal', input, line, focus });
  }

  private inspect(row: Row, time: number) {
    return this.requester.ask<'inspect'>({ type: 'inspect', laneFrom: row.laneFrom, laneTo: row.laneTo, time });
  }

  private hover(hit: Hit | undefined, x: number, y: number): void {
    const token = ++this.hoverToken;
    const meta = this.state.meta;
    const tooltip = this.ui.tooltip;
    if (!hit || !meta || hit.on === 'nothing' || hit.on === 'label') {
      tooltip.hidden = true;
      return;
    }
    if (hit.on === 'finding') return showTooltip(tooltip, findingLines(meta, hit.finding), x, y);
    const row = this.state.rows[hit.row];
    void this.inspect(row, hit.time).then((i) => {
      if (token !== this.hoverToken) return;
      if (!i) {
        tooltip.hidden = true;
        return;
      }
      const lines = [row.kind === 'lane' ? '' : `${row.label}`, ...inspectionLines(meta, i)].filter(Boolean);
      showTooltip(tooltip, [...lines, formatTime(hit.time, meta.axis)], x, y);
    });
  }

  // ---- panels ----

  private renderList(): void {
    const meta = this.state.meta;
    if (!meta) return;
    this.listPending = false;
    renderFindingList(this.ui.findings, this.state.shownFindings, meta, (x) => this.pickFinding(x, true));
    markFinding(this.ui.findings, this.state.selectedFinding);
  }

  private async showChanges(input: number, line: number): Promise<void> {
    this.changes = await this.requester.ask<'changes'>({ type: 'changes', input, line });
    this.renderChanges();
  }

  private renderChanges(): void {
    const meta = this.state.meta;
    if (!meta) return;
    const view = this.changes;
    renderChanges(this.ui.changes, meta, view, {
      // The file:line link is the page's "open line" action: the editor takes the keyboard.
      reveal: () => view && this.reveal(view.input, view.line, true),
      ...(this.canReplay && view ? { replay: () => this.channel.post({ type: 'replayTo', input: view.input, line: view.line }) } : {}),
    });
  }

  private announce(text: string): void {
    this.ui.status.textContent = text;
  }

  // ---- drawing and windows ----

  private listen(): void {
    new ResizeObserver(() => this.resize()).observe(this.ui.chart);
    new MutationObserver(() => {
      this.palette = undefined;
      this.requestDraw();
    }).observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
    listenInput(this.ui, this.state, this.intents());
  }

  private resize(): void {
    const { canvas, chart, scroller } = this.ui;
    const rect = chart.getBoundingClientRect();
    const scrollbar = scroller.offsetWidth - scroller.clientWidth;
    this.width = Math.max(LAYOUT.labelWidth + 50, Math.floor(rect.width - scrollbar));
    const height = Math.max(HEADER_HEIGHT + LAYOUT.rowHeight, Math.floor(rect.height));
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.floor(this.width * dpr);
    canvas.height = Math.floor(height * dpr);
    canvas.style.width = `${this.width}px`;
    canvas.style.height = `${height}px`;
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.state.setSize(this.width, height);
    this.palette = undefined;
    this.requestDraw();
  }

  private windowArrived(): void {
    this.stats.windows += 1;
    this.requestDraw();
    if (this.listPending) requestAnimationFrame(() => setTimeout(() => this.renderList(), 0));
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
    const s = this.state;
    const meta = s.meta;
    if (!meta) return 0;
    const began = performance.now();
    this.palette ??= readPalette(document.body, meta.classes.length, this.ctx);
    const shown = this.windows.shown;
    draw(this.ctx, this.width, s.height, {
      meta,
      rows: s.rows,
      scrollTop: s.scrollTop,
      viewport: s.viewport,
      ...(shown ? { window: shown } : {}),
      findings: s.shownFindings,
      ...(s.cursor !== undefined ? { cursor: s.cursor } : {}),
      selectedRow: s.selectedRow,
      ...(s.selectedFinding !== undefined ? { selectedFinding: s.selectedFinding } : {}),
      ...(s.box ? { box: s.box } : {}),
      palette: this.palette,
    });
    const took = performance.now() - began;
    this.stats.frames += 1;
    this.stats.lastFrameMs = took;
    if (shown && !this.stats.firstPaintAt) this.stats.firstPaintAt = performance.now();
    this.channel.saveState(savedState(s, meta, this.run));
    this.windows.update();
    return took;
  }

  // ---- for tests and the benchmark ----

  /** The current view, read-only. */
  describe(): { rows: number; start: number; end: number; cursor?: number; selectedFinding?: number; windowRows: number; rowLabels: string[] } {
    const s = this.state;
    return {
      rows: s.rows.length,
      start: s.viewport.start,
      end: s.viewport.end,
      ...(s.cursor !== undefined ? { cursor: s.cursor } : {}),
      ...(s.selectedFinding !== undefined ? { selectedFinding: s.selectedFinding } : {}),
      windowRows: this.windows.shown?.rowOfKey.size ?? 0,
      rowLabels: s.rows.slice(0, 50).map((r) => r.label),
    };
  }

  /** The y of a row's middle and the x of a time: lets tests click exactly where something is drawn. */
  locate(rowKey: string, time: number): { x: number; y: number } | undefined {
    const i = this.state.rows.findIndex((r) => r.key === rowKey);
    if (i < 0) return undefined;
    return { x: this.state.viewport.x(time), y: rowTop(this.state, i) + LAYOUT.rowHeight / 2 };
  }

  /** For the benchmark: zoom or pan by code, then draw synchronously. */
  get view(): Viewport {
    return this.state.viewport;
  }
}
