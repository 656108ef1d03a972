/** The visible time range and its mapping to pixels; zoom and pan keep it inside the run. */

/** Narrowest view: a microsecond across the whole width would be absurd below this. */
const MIN_SPAN = 1;

export class Viewport {
  start = 0;
  end = 1;
  /** Pixels of the chart area (the canvas minus the label column). */
  left = 0;
  width = 1;

  constructor(
    private runStart: number,
    private runEnd: number,
  ) {
    this.fit();
  }

  setRun(start: number, end: number): void {
    this.runStart = start;
    this.runEnd = end > start ? end : start + 1;
  }

  get span(): number {
    return this.end - this.start;
  }

  x(t: number): number {
    return this.left + ((t - this.start) / this.span) * this.width;
  }

  time(x: number): number {
    return this.start + ((x - this.left) / this.width) * this.span;
  }

  fit(): void {
    this.show(this.runStart, this.runEnd);
  }

  /** Shows `[start, end]` with a little room on either side. */
  show(start: number, end: number, margin = 0.02): void {
    const span = Math.max(MIN_SPAN, end - start);
    this.start = start - span * margin;
    this.end = end + span * margin;
    this.clamp();
  }

  /** Zooms by `factor` (> 1 zooms in) keeping the time under pixel `x` where it is. */
  zoom(factor: number, x = this.left + this.width / 2): void {
    const anchor = this.time(x);
    const span = Math.max(MIN_SPAN, this.span / factor);
    const share = (x - this.left) / this.width;
    this.start = anchor - share * span;
    this.end = this.start + span;
    this.clamp();
  }

  pan(pixels: number): void {
    const dt = (pixels / this.width) * this.span;
    this.start += dt;
    this.end += dt;
    this.clamp();
  }

  /** Brings `t` into view, centring it when it is outside. */
  reveal(t: number): void {
    if (t >= this.start && t <= this.end) return;
    const half = this.span / 2;
    this.start = t - half;
    this.end = t + half;
    this.clamp();
  }

  private clamp(): void {
    const total = this.runEnd - this.runStart;
    const room = total * 0.05;
    let span = this.span;
    if (span > total + 2 * room) span = total + 2 * room;
    if (this.start < this.runStart - room) this.start = this.runStart - room;
    this.end = this.start + span;
    if (this.end > this.runEnd + room) {
      this.end = this.runEnd + room;
      this.start = this.end - span;
    }
  }
}
