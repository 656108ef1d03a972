/**
 * Colours the canvas draws with, read from CSS custom properties so that they follow the
 * VS Code theme (media/timeline.css maps them from --vscode-* variables and gives the
 * colour-blind-safe state palette per theme kind).
 */
import { packedColour } from './strip';

export interface Palette {
  font: string;
  background: string;
  foreground: string;
  muted: string;
  grid: string;
  selection: string;
  cursor: string;
  classes: string[];
  /** The same colours as packed RGBA pixels, for the row strip. */
  classPixels: Uint32Array;
  severity: Record<'error' | 'warning' | 'info', string>;
  /** Hatching for unknown and mixed: a pattern over the class colour. */
  hatch: CanvasPattern | null;
}

export function readPalette(root: HTMLElement, classCount: number, ctx: CanvasRenderingContext2D): Palette {
  const style = getComputedStyle(root);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const foreground = v('--hpl-foreground', '#cccccc');
  const classes = Array.from({ length: classCount }, (_, i) => v(`--hpl-state-${i}`, '#888888'));
  return {
    font: `11px ${style.fontFamily || 'sans-serif'}`,
    background: v('--hpl-background', '#1e1e1e'),
    foreground,
    muted: v('--hpl-muted', '#888888'),
    grid: v('--hpl-grid', 'rgba(128,128,128,0.25)'),
    selection: v('--hpl-selection', 'rgba(0,120,212,0.35)'),
    cursor: v('--hpl-cursor', '#f0f0f0'),
    classes,
    classPixels: Uint32Array.from(classes, packedColour),
    severity: {
      error: v('--hpl-error', '#f14c4c'),
      warning: v('--hpl-warning', '#cca700'),
      info: v('--hpl-info', '#3794ff'),
    },
    hatch: makeHatch(ctx, foreground),
  };
}

function makeHatch(ctx: CanvasRenderingContext2D, colour: string): CanvasPattern | null {
  const tile = document.createElement('canvas');
  tile.width = 6;
  tile.height = 6;
  const t = tile.getContext('2d');
  if (!t) return null;
  t.strokeStyle = colour;
  t.globalAlpha = 0.45;
  t.lineWidth = 1;
  t.beginPath();
  t.moveTo(0, 6);
  t.lineTo(6, 0);
  t.stroke();
  return ctx.createPattern(tile, 'repeat');
}
