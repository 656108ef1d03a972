/** Time axis: where ticks go and how a time reads, in the log's own clock. */
import type { TimeAxis } from '../../src/protocol/timeline-data';

/** A round step (1, 2 or 5 × 10^k, at least one µs or one event) that puts ticks `minPixels` apart. */
export function tickStep(span: number, width: number, minPixels: number): number {
  const raw = Math.max(1, (span / Math.max(1, width)) * minPixels);
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw) ?? 10 * power;
}

export function ticks(start: number, end: number, step: number): number[] {
  const out: number[] = [];
  for (let t = Math.ceil(start / step) * step; t <= end && out.length < 1000; t += step) out.push(t);
  return out;
}

/** A time as the log prints it: seconds since boot, a UTC (or local) clock time, or an event number. */
export function formatTime(t: number, axis: TimeAxis, step = 1): string {
  if (axis === 'order') return `event ${Math.round(t)}`;
  // Decimals enough to tell ticks `step` microseconds apart.
  const decimals = Math.min(6, Math.max(0, 6 - Math.floor(Math.log10(Math.max(1, step)))));
  if (axis === 'boot') return `${(t / 1e6).toFixed(decimals)} s`;
  const date = new Date(Math.floor(t / 1000));
  const micros = String(Math.floor(((t % 1e6) + 1e6) % 1e6)).padStart(6, '0');
  const clock = date.toISOString().slice(11, 19);
  return decimals > 0 ? `${clock}.${micros.slice(0, decimals)}` : clock;
}

/** A duration: `12.5 ms`, `3.2 s`, or a number of events. */
export function formatSpan(d: number, axis: TimeAxis): string {
  if (axis === 'order') return `${Math.round(d)} events`;
  if (d < 1000) return `${d.toFixed(0)} µs`;
  if (d < 1e6) return `${(d / 1000).toFixed(1)} ms`;
  return `${(d / 1e6).toFixed(3)} s`;
}
