/**
 * The year of a year-less input (classic syslog, `journalctl` short), taken from another input
 * of the run that prints one (a QEMU trace's ISO-8601 stamps, `dmesg -T`). Without one the
 * input keeps its year-less clock and meets the others through matched events only: a guessed
 * year would shift it by years against them.
 */
import type { HotplugEvent } from '../events';
import { withYear, yearNear } from '../envelope/yearless';
import type { InputClockInfo } from './align';

/** The first stamps of an input, as the survey sees its events go by. */
export class FirstStamps {
  /** Microseconds since the epoch of the first stamp that has a year. */
  dated?: number;
  /** The first and the latest year-less stamp. */
  yearless?: { first: number; last: number };

  add(event: HotplugEvent): void {
    const time = event.time;
    if (!time || time.clock === 'boot') return;
    if (time.clock !== 'wall-yearless') this.dated ??= time.micros;
    else if (!this.yearless) this.yearless = { first: time.micros, last: time.micros };
    else if (time.micros > this.yearless.last) this.yearless.last = time.micros;
  }
}

export interface LentYear {
  /** The calendar year of the input's first year-less stamp. */
  year: number;
  /** The input it was taken from. */
  from: number;
}

/** For each year-less input, the year the first other input with dated stamps gives it. */
export function lendYears(stamps: FirstStamps[]): Array<LentYear | undefined> {
  const from = stamps.findIndex((s) => s.dated !== undefined);
  return stamps.map((s, input) => {
    const lender = input === from ? stamps.findIndex((o, i) => i > input && o.dated !== undefined) : from;
    if (s.yearless === undefined || lender < 0) return undefined;
    return { year: yearNear(s.yearless.first, s.yearless.last, stamps[lender].dated as number), from: lender };
  });
}

/** `info` with its year-less anchor times dated in `year`. */
export function datedClockInfo(info: InputClockInfo, year: number): InputClockInfo {
  return {
    anchors: info.anchors.map((a) => (a.micros === undefined ? a : { ...a, micros: withYear(a.micros, year) })),
    clock: info.clock === 'wall-yearless' ? 'wall-local' : info.clock,
  };
}

/** The event's year-less time dated in `year` (in place: the event is on its way out of the merge). */
export function dateEvent(event: HotplugEvent, year: number): void {
  if (event.time?.clock === 'wall-yearless') event.time = { clock: 'wall-local', micros: withYear(event.time.micros, year) };
}
