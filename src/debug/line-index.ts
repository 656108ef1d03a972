/**
 * Log lines ↔ events: which input a path is, which event line a breakpoint on a line means
 * (the line of a record, or a line of a record that spans several), and which positions "Run
 * to Line" can go to.
 */
import { resolve } from 'node:path';
import type { Trace } from '../core/replay/trace';

export class LineIndex {
  /** Per input: event line → positions after its events (event index + 1), in order. */
  private readonly byInput: Array<Map<number, number[]>>;
  /** Per input: every physical line of a record → the record's first line. */
  private readonly spans: Array<Map<number, number>>;
  private readonly inputs: string[];

  constructor(trace: Trace) {
    this.inputs = trace.merge.inputs.map((i) => resolve(i.path));
    this.byInput = this.inputs.map(() => new Map());
    this.spans = this.inputs.map(() => new Map());
    trace.events.forEach((e, index) => {
      const lines = this.byInput[e.input];
      const line = e.source.line;
      const list = lines.get(line);
      if (list) list.push(index + 1);
      else lines.set(line, [index + 1]);
      for (let l = line; l < line + e.source.span; l++) if (!this.spans[e.input].has(l)) this.spans[e.input].set(l, line);
    });
  }

  /** The input a path names (compared as absolute paths), if it is one of the trace's. */
  inputOf(path: string): number | undefined {
    const i = this.inputs.indexOf(resolve(path));
    return i >= 0 ? i : undefined;
  }

  pathOf(input: number): string {
    return this.inputs[input];
  }

  /** The first line of the record `line` belongs to, if an event was read from it. */
  eventLine(input: number, line: number): number | undefined {
    return this.spans[input]?.get(line);
  }

  /** Positions right after the events of that record (for goto targets). */
  positions(input: number, line: number): number[] {
    const first = this.eventLine(input, line);
    return first !== undefined ? (this.byInput[input].get(first) ?? []) : [];
  }

  /** The first event line at or after `line` in the input (for "Replay to here" on a line without an event). */
  nextEventLine(input: number, line: number): number | undefined {
    let best: number | undefined;
    for (const l of this.byInput[input]?.keys() ?? []) if (l >= line && (best === undefined || l < best)) best = l;
    return best;
  }
}
