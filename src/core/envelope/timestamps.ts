/** Turning the timestamp texts of the envelope into microseconds. */

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

/**
 * Year-less stamps (`Nov 29 04:55:28`) are counted from Jan 1 of the log's first year as if it
 * were this leap year, so that a `Feb 29` exists; the real year replaces it once known (yearless.ts).
 */
export const YEARLESS_CALENDAR_YEAR = 2000;
const YEARLESS_ORIGIN_MS = Date.UTC(YEARLESS_CALENDAR_YEAR, 0, 1);

/** `5707` and `392231` (or `39`: a fraction, not a count of microseconds) → microseconds. */
export function secondsFractionToMicros(seconds: string, fraction: string): number {
  const micros = fraction.length >= 6 ? Number(fraction.slice(0, 6)) : Number(fraction) * 10 ** (6 - fraction.length);
  return Number(seconds) * 1_000_000 + micros;
}

export function monthIndex(name: string): number | undefined {
  return MONTHS[name];
}

/** Calendar fields taken as UTC → microseconds since the epoch. */
export function calendarToMicros(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  fraction = '',
): number {
  const micros = fraction === '' ? 0 : secondsFractionToMicros('0', fraction);
  return Date.UTC(year, month, day, hour, minute, second) * 1000 + micros;
}

/** A year-less stamp → microseconds since Jan 1 00:00 of an unknown year (clock `wall-yearless`). */
export function yearlessToMicros(month: number, day: number, hour: number, minute: number, second: number, fraction = ''): number {
  return calendarToMicros(YEARLESS_CALENDAR_YEAR, month, day, hour, minute, second, fraction) - YEARLESS_ORIGIN_MS * 1000;
}

const ISO = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(Z|[+-]\d\d:?\d\d)?$/;

/** ISO-8601 / RFC 3339 text → microseconds since the epoch; `zoned` tells whether it had a zone. */
export function isoToMicros(text: string): { micros: number; zoned: boolean } | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  let micros = calendarToMicros(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7] ?? '');
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    micros -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000_000;
  }
  return { micros, zoned: zone !== undefined };
}
