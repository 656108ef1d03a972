/** An event's timestamp as its log's clock prints it. */
import { yearlessCalendar } from '../envelope/yearless';
import type { EventTime } from '../events';

/**
 * `5707.392231` for boot clocks, ISO-8601 for wall clocks; a year-less one without a year
 * (`--11-29T04:55:28.000000`, ISO 8601's truncated form) and its New Years since the log began.
 */
export function eventTimeText(time: EventTime): string {
  if (time.clock === 'boot') {
    const seconds = Math.floor(time.micros / 1e6);
    return `${seconds}.${String(time.micros - seconds * 1e6).padStart(6, '0')}`;
  }
  const sub = String(time.micros % 1000).padStart(3, '0');
  if (time.clock === 'wall-yearless') {
    const { years, date } = yearlessCalendar(time.micros);
    const text = `--${date.toISOString().slice(5, 23)}${sub}`;
    return years > 0 ? `${text} (+${years} y)` : text;
  }
  const ms = Math.floor(time.micros / 1000);
  const iso = new Date(ms).toISOString().replace('Z', '');
  return time.clock === 'wall' ? `${iso}${sub}Z` : `${iso}${sub}`;
}
