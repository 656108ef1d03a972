/**
 * Pointer and keyboard to intents: the listeners on the canvas, its scroller, the toolbar and
 * the filter box say what the user asked for (pan, zoom, select a row, step to a finding, show
 * or go to a line, …) and leave doing it to the `Intents` they are given. They read the view
 * to know what a point hits, and keep nothing but a drag in progress.
 */
import type { TimelineFinding } from '../../src/protocol/timeline-data';
import { type Hit, hitAt } from './hit';
import { LAYOUT } from './layout';
import type { ViewState } from './view-state';

export interface Intents {
  /** Moves the time range by `pixels` of the chart (positive: later). */
  pan(pixels: number): void;
  /** Scrolls the rows by `pixels` (positive: down). */
  scroll(pixels: number): void;
  /** The scroller itself was scrolled (its bar, a touchpad) to `top`. */
  scrolledTo(top: number): void;
  /** Zooms by `factor` (> 1: in) keeping the time under pixel `x` where it is; the chart's middle when `x` is omitted. */
  zoom(factor: number, x?: number): void;
  /** Zooms by `factor` around the cursor when it is in view. */
  zoomAtCursor(factor: number): void;
  fit(): void;
  /** The same span at the run's start or end (Home, End). */
  jump(edge: 'start' | 'end'): void;
  /** A zoom box is being drawn between pixels `x0` and `x1`. */
  box(x0: number, x1: number): void;
  /** The box is let go: its range fills the view. */
  zoomToBox(): void;
  selectRow(index: number): void;
  /** Moves the selection by `steps` rows or pages. */
  moveSelection(steps: number, unit: 'row' | 'page'): void;
  /** Opens or closes row `index`; the selected row when omitted. */
  toggle(index?: number): void;
  expandAll(open: boolean): void;
  /** A finding's marker was clicked: select it and show its line. */
  pickFinding(finding: TimelineFinding): void;
  stepFinding(direction: 1 | -1): void;
  /** A state was clicked: show the line that set row `row`'s state at `time`; the keyboard stays in the page. */
  showLine(row: number, time: number): void;
  /** Enter: go to the selected finding's line, or the line behind the selected row's state at the cursor; the editor takes the keyboard. */
  goToLine(): void;
  /** The pointer rests over `hit` at (`x`, `y`); undefined: it has left the canvas. */
  hover(hit: Hit | undefined, x: number, y: number): void;
  /** Escape: no zoom box, no tooltip. */
  cancel(): void;
  filter(text: string): void;
}

export interface InputElements {
  canvas: HTMLCanvasElement;
  scroller: HTMLElement;
  filter: HTMLInputElement;
}

/** A drag this many pixels long (x plus y) is a drag, not a click. */
const CLICK_SLOP = 3;
/** The filter applies once typing has paused this long (ms). */
const FILTER_DELAY = 150;

export function listenInput(ui: InputElements, view: ViewState, to: Intents): void {
  listenPage(ui, to);
  listenPointer(ui.canvas, view, to);
  ui.canvas.addEventListener('keydown', (e) => {
    if (onKey(e, view, to)) e.preventDefault();
  });
}

function listenPage({ canvas, scroller, filter }: InputElements, to: Intents): void {
  scroller.addEventListener('scroll', () => to.scrolledTo(scroller.scrollTop));
  // When the panel gets the keyboard (a click on its tab, Ctrl+2), the chart takes it, so that
  // its keys work at once; an element the user was typing into keeps it.
  window.addEventListener('focus', () => {
    if (document.activeElement === document.body || document.activeElement === null) canvas.focus();
  });
  let filterTimer = 0;
  filter.addEventListener('input', () => {
    clearTimeout(filterTimer);
    filterTimer = window.setTimeout(() => to.filter(filter.value), FILTER_DELAY);
  });
  const buttons: Record<string, () => void> = {
    fit: () => to.fit(),
    'zoom-in': () => to.zoom(2),
    'zoom-out': () => to.zoom(0.5),
    'previous-finding': () => to.stepFinding(-1),
    'next-finding': () => to.stepFinding(1),
    'expand-all': () => to.expandAll(true),
    'collapse-all': () => to.expandAll(false),
  };
  for (const [id, intent] of Object.entries(buttons)) document.getElementById(id)?.addEventListener('click', intent);
}

function listenPointer(canvas: HTMLCanvasElement, view: ViewState, to: Intents): void {
  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      if (e.shiftKey) return to.scroll(e.deltaY || e.deltaX);
      if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) return to.pan(e.deltaX);
      // Pinch arrives as ctrl+wheel with small deltas: the same exponential zoom serves both.
      to.zoom(Math.exp(-e.deltaY * (e.ctrlKey ? 0.01 : 0.002)), Math.max(LAYOUT.labelWidth, e.offsetX));
    },
    { passive: false },
  );
  canvas.addEventListener('pointerdown', (e) => drag(canvas, view, to, e));
  canvas.addEventListener('pointermove', (e) => {
    if (e.buttons === 0) to.hover(hitAt(view, e.offsetX, e.offsetY), e.offsetX, e.offsetY);
  });
  canvas.addEventListener('pointerleave', () => to.hover(undefined, 0, 0));
  canvas.addEventListener('dblclick', (e) => {
    const hit = hitAt(view, e.offsetX, e.offsetY);
    if ((hit.on === 'state' || hit.on === 'finding') && hit.row >= 0) to.toggle(hit.row);
  });
}

/** A press: a drag pans (Shift+drag on the chart draws a zoom box); a press that does not move is a click. */
function drag(canvas: HTMLCanvasElement, view: ViewState, to: Intents, e: PointerEvent): void {
  canvas.focus();
  const startX = e.offsetX;
  const startY = e.offsetY;
  let lastX = startX;
  let lastY = startY;
  let moved = false;
  const boxing = e.shiftKey && startX >= LAYOUT.labelWidth;
  canvas.setPointerCapture(e.pointerId);
  const move = (m: PointerEvent) => {
    if (Math.abs(m.offsetX - startX) + Math.abs(m.offsetY - startY) > CLICK_SLOP) moved = true;
    if (!moved) return;
    if (boxing) {
      to.box(startX, m.offsetX);
    } else {
      to.pan(lastX - m.offsetX);
      to.scroll(lastY - m.offsetY);
    }
    lastX = m.offsetX;
    lastY = m.offsetY;
  };
  const up = (u: PointerEvent) => {
    canvas.removeEventListener('pointermove', move);
    canvas.removeEventListener('pointerup', up);
    canvas.releasePointerCapture(u.pointerId);
    if (boxing && moved) to.zoomToBox();
    else if (!moved) click(hitAt(view, u.offsetX, u.offsetY), to);
  };
  canvas.addEventListener('pointermove', move);
  canvas.addEventListener('pointerup', up);
}

/** A click: on a label selects and toggles the row; on a marker picks its finding; on a state shows the line that set it. */
function click(hit: Hit, to: Intents): void {
  switch (hit.on) {
    case 'label':
      to.selectRow(hit.row);
      to.toggle(hit.row);
      return;
    case 'finding':
      if (hit.row >= 0) to.selectRow(hit.row);
      to.pickFinding(hit.finding);
      return;
    case 'state':
      to.selectRow(hit.row);
      to.showLine(hit.row, hit.time);
      return;
    case 'nothing':
      return;
  }
}

type KeyAction = (to: Intents, view: ViewState, e: KeyboardEvent) => void;

/** The chart's keys, each with the keys that mean the same. */
const KEYS = new Map<string, KeyAction>(
  (
    [
      [['ArrowLeft'], (to, view) => to.pan(-view.viewport.width * 0.1)],
      [['ArrowRight'], (to, view) => to.pan(view.viewport.width * 0.1)],
      [['ArrowUp'], (to) => to.moveSelection(-1, 'row')],
      [['ArrowDown'], (to) => to.moveSelection(1, 'row')],
      [['PageUp'], (to) => to.moveSelection(-1, 'page')],
      [['PageDown'], (to) => to.moveSelection(1, 'page')],
      [['+', '='], (to) => to.zoomAtCursor(2)],
      [['-', '_'], (to) => to.zoomAtCursor(0.5)],
      [['Home'], (to) => to.jump('start')],
      [['End'], (to) => to.jump('end')],
      [['f', 'F', '0'], (to) => to.fit()],
      // Shift+N walks back, as Shift+F8 does in the editor.
      [['n', 'N'], (to, _view, e) => to.stepFinding(e.shiftKey ? -1 : 1)],
      [['p', 'P'], (to) => to.stepFinding(-1)],
      [[' '], (to) => to.toggle()],
      [['Enter'], (to) => to.goToLine()],
      [['Escape'], (to) => to.cancel()],
    ] as Array<[string[], KeyAction]>
  ).flatMap(([keys, action]) => keys.map((key): [string, KeyAction] => [key, action])),
);

/** Returns whether the key was one of the chart's. */
function onKey(e: KeyboardEvent, view: ViewState, to: Intents): boolean {
  const action = KEYS.get(e.key);
  action?.(to, view, e);
  return action !== undefined;
}
