/**
 * Year-less wall clocks (classic syslog, `journalctl` short, `dmesg -T` pasted without its
 * year): their stamps are microseconds since Jan 1 of the log's first year (timestamps.ts),
 * never in a guessed year. A log that runs over New Year counts on into its next year; the
 * real year comes from another input of the run, when one has it (merge).
 */
import { YEARLESS_CALENDAR_YEAR } from './timestamps';

const ORIGIN_MS = Date.UTC(YEARLESS_CALENDAR_YEAR, 0, 1);
const DAY_US = 86_400_000_000;

/** The calendar fields of a year-less stamp; `years` counts the New Years since the log's first year. */
export function yearlessCalendar(micros: number): { years: number; date: Date; subMillis: number } {
  const ms = Math.floor(micros / 1000);
  const date = new Date(ORIGIN_MS + ms);
  return { years: date.getUTCFullYear() - YEARLESS_CALENDAR_YEAR, date, subMillis: micros - ms * 1000 };
}

/** A year-less stamp as microseconds since the epoch, the log's first year being `year`. */
export function withYear(micros: number, year: number): number {
  const { years, date, subMillis } = yearlessCalendar(micros);
  const ms = Date.UTC(
    year + years,
    date.getUTCMonth(),
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
  return ms * 1000 + subMillis;
}

/** The same calendar stamp `years` New Years later. */
function laterYear(micros: number, years: number): number {
  return withYear(micros, YEARLESS_CALENDAR_YEAR + years) - ORIGIN_MS * 1000;
}

/**
 * The first year of a year-less log whose stamps run from `first` to `last` that puts `dated`
 * (an epoch time of another input of the same run) inside that span, or nearest to it: the
 * other input's year, or the one before or after it (a log begun in December, the other ending
 * in January).
 */
export function yearNear(first: number, last: number, dated: number): number {
  const distance = (year: number): number => Math.max(0, withYear(first, year) - dated, dated - withYear(last, year));
  const year = new Date(Math.floor(dated / 1000)).getUTCFullYear() - yearlessCalendar(first).years;
  let best = year;
  for (const candidate of [year - 1, year + 1]) if (distance(candidate) < distance(best)) best = candidate;
  return best;
}

/**
 * Counts the New Years of one year-less log read in file order: the year goes up when the month
 * goes backwards (`Dec 31` → `Jan 1`). A step back of less than a day is a line written out of
 * order at a month's end, not a new year.
 */
export class YearRollover {
  private years = 0;
  private latest = Number.NEGATIVE_INFINITY;

  /** `micros` (a stamp as the envelope read it, in the first year) counted from the log's first year. */
  place(micros: number): number {
    let placed = this.years === 0 ? micros : laterYear(micros, this.years);
    if (placed < this.latest - DAY_US && yearlessCalendar(placed).date.getUTCMonth() < yearlessCalendar(this.latest).date.getUTCMonth()) {
      this.years += 1;
      placed = laterYear(micros, this.years);
    }
    if (placed > this.latest) this.latest = placed;
    return placed;
  }
}
