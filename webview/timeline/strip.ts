/**
 * The state runs of the rows in view, painted as pixels: one pixel row per screen row in an
 * offscreen canvas, then stretched to the row's height. A zoomed-out row holds a thousand
 * one-pixel runs; as pixels they cost a typed-array fill each, not a path rectangle.
 */
export class RowStrip {
  private canvas = document.createElement('canvas');
  private ctx = this.canvas.getContext('2d');
  private image?: ImageData;
  private pixels = new Uint32Array(0);
  private width = 0;

  /** Clears the strip for `rows` rows of `width` pixels. */
  begin(width: number, rows: number): void {
    const w = Math.max(1, Math.ceil(width));
    const h = Math.max(1, rows);
    if (!this.image || this.image.width !== w || this.image.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
      this.image = new ImageData(w, h);
      this.pixels = new Uint32Array(this.image.data.buffer);
    } else {
      this.pixels.fill(0);
    }
    this.width = w;
  }

  /** Colours pixels `[x0, x1)` of `row` (RGBA packed as the canvas stores it). */
  fill(row: number, x0: number, x1: number, rgba: number): void {
    const base = row * this.width;
    this.pixels.fill(rgba, base + Math.max(0, x0), base + Math.min(this.width, x1));
  }

  /** Puts the pixels in place; call once after the fills. */
  commit(): void {
    if (this.image) this.ctx?.putImageData(this.image, 0, 0);
  }

  /** Draws `row` stretched over `[x, y, w, h]`. */
  draw(target: CanvasRenderingContext2D, row: number, x: number, y: number, h: number): void {
    target.drawImage(this.canvas, 0, row, this.width, 1, x, y, this.width, h);
  }
}

/** A CSS colour as the packed RGBA a canvas's pixels hold (resolved by the canvas itself). */
export function packedColour(css: string): number {
  const probe = document.createElement('canvas');
  probe.width = 1;
  probe.height = 1;
  const ctx = probe.getContext('2d');
  if (!ctx) return 0;
  ctx.fillStyle = css;
  ctx.fillRect(0, 0, 1, 1);
  return new Uint32Array(ctx.getImageData(0, 0, 1, 1).data.buffer)[0];
}
