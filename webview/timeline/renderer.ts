/**
 * Draws one frame of the timeline on a canvas: labels, time axis, event density, the state
 * runs of the rows in view, state-change ticks, finding markers and the cursor. Works from
 * the last window the host sent, mapped through the current viewport, so that panning and
 * zooming draw at once while a sharper window is on its way.
 */
import { MIXED, NONE, type TimelineFinding, type TimelineMeta } from '../../src/protocol/timeline-data';
import { formatTime, tickStep, ticks } from './axis';
import { HEADER_HEIGHT, LAYOUT, rowTop, visibleRows } from './layout';
import type { Palette } from './palette';
import type { Row } from './rows';
import { RowStrip } from './strip';
import type { Viewport } from './viewport';
import type { ShownWindow } from './windows';

/** One strip for every frame: its pixels are reused, not reallocated. */
const strip = new RowStrip();

export interface Scene {
  meta: TimelineMeta;
  rows: Row[];
  scrollTop: number;
  viewport: Viewport;
  window?: ShownWindow;
  findings: TimelineFinding[];
  cursor?: number;
  selectedRow: number;
  selectedFinding?: number;
  box?: { x0: number; x1: number };
  palette: Palette;
}

export function draw(ctx: CanvasRenderingContext2D, width: number, height: number, scene: Scene): void {
  const { palette: p, viewport: vp } = scene;
  const chartLeft = LAYOUT.labelWidth;
  ctx.save();
  ctx.fillStyle = p.background;
  ctx.fillRect(0, 0, width, height);
  ctx.font = p.font;
  ctx.textBaseline = 'middle';

  const { first, last } = visibleRows(scene, height);
  const step = tickStep(vp.span, vp.width, 110);
  const tickTimes = ticks(vp.start, vp.end, step);

  // Chart area: grid, rows, ticks, markers (clipped so nothing runs under the labels).
  ctx.save();
  ctx.beginPath();
  ctx.rect(chartLeft, HEADER_HEIGHT, width - chartLeft, height - HEADER_HEIGHT);
  ctx.clip();
  drawRows(ctx, scene, first, last, width);
  ctx.strokeStyle = p.grid;
  ctx.lineWidth = 1;
  for (const t of tickTimes) {
    const x = Math.round(vp.x(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, HEADER_HEIGHT);
    ctx.lineTo(x, height);
    ctx.stroke();
  }
  drawTruncation(ctx, scene, height);
  drawFindingMarkers(ctx, scene, first, last);
  ctx.restore();

  drawHeader(ctx, scene, width, tickTimes, step);
  if (scene.rows.length === 0) {
    ctx.fillStyle = p.muted;
    ctx.textAlign = 'left';
    const why = scene.meta.lanes === 0 ? 'No virtio-mem subblock state in these logs: nothing to draw.' : 'The filter leaves no row.';
    ctx.fillText(why, chartLeft + 12, HEADER_HEIGHT + 20);
  }
  drawLabels(ctx, scene, first, last, height);
  drawCursor(ctx, scene, height);
  if (scene.box) {
    ctx.fillStyle = p.selection;
    const x0 = Math.min(scene.box.x0, scene.box.x1);
    ctx.fillRect(x0, HEADER_HEIGHT, Math.abs(scene.box.x1 - scene.box.x0), height - HEADER_HEIGHT);
  }
  ctx.restore();
}

function drawRows(ctx: CanvasRenderingContext2D, scene: Scene, first: number, last: number, width: number): void {
  const { palette: p, viewport: vp, window: shown } = scene;
  const h = LAYOUT.rowHeight;
  const right = Math.min(width, vp.left + vp.width);
  // Runs as pixels (one strip row per screen row), hatching as one path of merged stretches.
  strip.begin(right - LAYOUT.labelWidth, last - first);
  const hatched = new Path2D();
  const stretched: Array<[number, number, number]> = [];
  const screenOfWindowRow = new Map<number, number>();
  ctx.fillStyle = p.selection;
  for (let i = first; i < last; i++) {
    const row = scene.rows[i];
    const y = rowTop(scene, i);
    if (i === scene.selectedRow) ctx.fillRect(LAYOUT.labelWidth, y, width - LAYOUT.labelWidth, h);
    const wr = shown?.rowOfKey.get(row.key);
    if (!shown || wr === undefined) continue;
    screenOfWindowRow.set(wr, i);
    const w = shown.data;
    const binTime = (w.t1 - w.t0) / w.bins;
    const end = w.rowRuns[wr + 1];
    const inset = row.kind === 'lane' ? 2 : 1;
    // Unknown and mixed are hatched: a shape, not only a colour, tells them apart. Neighbouring
    // hatched runs make one stretch, whatever their colours.
    let hatchFrom = -1;
    let hatchTo = -1;
    const flushHatch = () => {
      if (hatchFrom >= 0) hatched.rect(hatchFrom, y + inset, hatchTo - hatchFrom, h - 2 * inset);
      hatchFrom = -1;
    };
    for (let k = w.rowRuns[wr]; k < end; k++) {
      const cls = w.runClass[k];
      const state = cls & ~MIXED;
      if (state === NONE) continue;
      const b1 = k + 1 < end ? w.runStart[k + 1] : w.bins;
      const x0 = Math.max(LAYOUT.labelWidth, Math.round(vp.x(w.t0 + w.runStart[k] * binTime)));
      const x1 = Math.min(right, Math.round(vp.x(w.t0 + b1 * binTime)));
      if (x1 <= LAYOUT.labelWidth || x0 >= right) continue;
      const rw = Math.max(1, x1 - x0);
      strip.fill(i - first, x0 - LAYOUT.labelWidth, x0 - LAYOUT.labelWidth + rw, p.classPixels[state]);
      if (cls & MIXED || state === 0) {
        if (hatchFrom < 0 || x0 > hatchTo) {
          flushHatch();
          hatchFrom = x0;
        }
        hatchTo = x0 + rw;
      } else {
        flushHatch();
      }
    }
    flushHatch();
    stretched.push([i - first, y + inset, h - 2 * inset]);
  }
  strip.commit();
  ctx.imageSmoothingEnabled = false;
  for (const [row, y, height] of stretched) strip.draw(ctx, row, LAYOUT.labelWidth, y, height);
  if (p.hatch) {
    ctx.fillStyle = p.hatch;
    ctx.fill(hatched);
  }
  if (!shown) return;
  const w = shown.data;
  const binTime = (w.t1 - w.t0) / w.bins;
  const ticks = new Path2D();
  for (let k = 0; k < w.ticks.length; k += 3) {
    const i = screenOfWindowRow.get(w.ticks[k]);
    if (i === undefined) continue;
    const x0 = Math.round(vp.x(w.t0 + w.ticks[k + 1] * binTime));
    const x1 = Math.round(vp.x(w.t0 + w.ticks[k + 2] * binTime));
    if (x1 < LAYOUT.labelWidth || x0 > right) continue;
    ticks.rect(x0, rowTop(scene, i), Math.max(1, x1 - x0), 4);
  }
  ctx.fillStyle = p.foreground;
  ctx.fill(ticks);
}

function drawFindingMarkers(ctx: CanvasRenderingContext2D, scene: Scene, first: number, last: number): void {
  const { palette: p, viewport: vp } = scene;
  const h = LAYOUT.rowHeight;
  for (const f of scene.findings) {
    const x = Math.round(vp.x(f.time));
    if (x < LAYOUT.labelWidth - 6 || x > vp.left + vp.width + 6) continue;
    const colour = p.severity[f.severity];
    const selected = f.index === scene.selectedFinding;
    for (let i = first; i < last; i++) {
      const row = scene.rows[i];
      if (f.laneFrom < 0 || row.laneFrom >= f.laneTo || row.laneTo <= f.laneFrom) continue;
      const y = rowTop(scene, i);
      ctx.fillStyle = colour;
      ctx.fillRect(x - (selected ? 1 : 0), y, selected ? 3 : 2, h);
      diamond(ctx, x + 1, y + h / 2, selected ? 6 : 4, colour, p.background);
    }
  }
}

function diamond(ctx: CanvasRenderingContext2D, x: number, y: number, r: number, fill: string, edge: string): void {
  ctx.beginPath();
  ctx.moveTo(x, y - r);
  ctx.lineTo(x + r, y);
  ctx.lineTo(x, y + r);
  ctx.lineTo(x - r, y);
  ctx.closePath();
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.strokeStyle = edge;
  ctx.lineWidth = 1;
  ctx.stroke();
}

function drawTruncation(ctx: CanvasRenderingContext2D, scene: Scene, height: number): void {
  const t = scene.meta.truncatedAt;
  if (t === undefined || !scene.palette.hatch) return;
  const x = Math.max(LAYOUT.labelWidth, scene.viewport.x(t));
  ctx.fillStyle = scene.palette.hatch;
  ctx.fillRect(x, HEADER_HEIGHT, scene.viewport.left + scene.viewport.width - x, height - HEADER_HEIGHT);
}

function drawHeader(ctx: CanvasRenderingContext2D, scene: Scene, width: number, tickTimes: number[], step: number): void {
  const { palette: p, viewport: vp, meta } = scene;
  ctx.fillStyle = p.background;
  ctx.fillRect(0, 0, width, HEADER_HEIGHT);
  ctx.fillStyle = p.muted;
  ctx.textAlign = 'left';
  ctx.fillText(meta.axis === 'order' ? 'event order' : meta.axis === 'boot' ? 'time since boot' : 'time (UTC)', 6, LAYOUT.axisHeight / 2);
  ctx.fillText('events', 6, LAYOUT.axisHeight + LAYOUT.stripHeight / 2);
  ctx.save();
  ctx.beginPath();
  ctx.rect(LAYOUT.labelWidth, 0, width - LAYOUT.labelWidth, HEADER_HEIGHT);
  ctx.clip();
  ctx.fillStyle = p.foreground;
  for (const t of tickTimes) ctx.fillText(formatTime(t, meta.axis, step), Math.round(vp.x(t)) + 3, LAYOUT.axisHeight / 2);
  // Event density: height grows with the log of the count, so a lone event still shows.
  const w = scene.window?.data;
  if (w) {
    const binTime = (w.t1 - w.t0) / w.bins;
    const max = w.eventCounts.reduce((m, c) => Math.max(m, c), 1);
    ctx.fillStyle = p.muted;
    for (let b = 0; b < w.bins; b++) {
      const c = w.eventCounts[b];
      if (c === 0) continue;
      const x0 = Math.round(vp.x(w.t0 + b * binTime));
      const x1 = Math.round(vp.x(w.t0 + (b + 1) * binTime));
      const bh = Math.max(2, Math.round(((LAYOUT.stripHeight - 2) * Math.log1p(c)) / Math.log1p(max)));
      ctx.fillRect(x0, HEADER_HEIGHT - bh - 1, Math.max(1, x1 - x0), bh);
    }
  }
  for (const f of scene.findings) {
    const x = Math.round(vp.x(f.time));
    ctx.fillStyle = p.severity[f.severity];
    ctx.beginPath();
    ctx.moveTo(x - 4, LAYOUT.axisHeight);
    ctx.lineTo(x + 4, LAYOUT.axisHeight);
    ctx.lineTo(x, LAYOUT.axisHeight + 7);
    ctx.closePath();
    ctx.fill();
  }
  ctx.restore();
  ctx.strokeStyle = p.grid;
  ctx.beginPath();
  ctx.moveTo(0, HEADER_HEIGHT - 0.5);
  ctx.lineTo(width, HEADER_HEIGHT - 0.5);
  ctx.stroke();
}

function drawLabels(ctx: CanvasRenderingContext2D, scene: Scene, first: number, last: number, height: number): void {
  const p = scene.palette;
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, HEADER_HEIGHT, LAYOUT.labelWidth, height - HEADER_HEIGHT);
  ctx.clip();
  ctx.fillStyle = p.background;
  ctx.fillRect(0, HEADER_HEIGHT, LAYOUT.labelWidth, height - HEADER_HEIGHT);
  ctx.textAlign = 'left';
  for (let i = first; i < last; i++) {
    const row = scene.rows[i];
    const y = rowTop(scene, i);
    if (i === scene.selectedRow) {
      ctx.fillStyle = p.selection;
      ctx.fillRect(0, y, LAYOUT.labelWidth, LAYOUT.rowHeight);
    }
    const indent = 6 + row.depth * 12;
    ctx.fillStyle = row.kind === 'lane' ? p.muted : p.foreground;
    const twisty = row.kind === 'lane' ? '' : row.expanded ? '▾ ' : '▸ ';
    ctx.fillText(`${twisty}${row.label}`, indent, y + LAYOUT.rowHeight / 2, LAYOUT.labelWidth - indent - 4);
  }
  ctx.restore();
  ctx.strokeStyle = p.grid;
  ctx.beginPath();
  ctx.moveTo(LAYOUT.labelWidth - 0.5, 0);
  ctx.lineTo(LAYOUT.labelWidth - 0.5, height);
  ctx.stroke();
}

function drawCursor(ctx: CanvasRenderingContext2D, scene: Scene, height: number): void {
  if (scene.cursor === undefined) return;
  const x = Math.round(scene.viewport.x(scene.cursor)) + 0.5;
  if (x < LAYOUT.labelWidth || x > scene.viewport.left + scene.viewport.width) return;
  ctx.strokeStyle = scene.palette.cursor;
  ctx.lineWidth = 1;
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  ctx.moveTo(x, LAYOUT.axisHeight);
  ctx.lineTo(x, height);
  ctx.stroke();
  ctx.setLineDash([]);
}
