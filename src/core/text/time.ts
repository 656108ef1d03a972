/** An event's timestamp as its log's clock prints it. */
import type { EventTime } from '../events';

/** `5707.392231` for boot clocks, ISO-8601 for wall clocks. */
export function eventTimeText(time: EventTime): string {
  if (time.clock === 'boot') {
    const seconds = Math.floor(time.micros / 1e6);
    return `${seconds}.${String(time.micros - seconds * 1e6).padStart(6, '0')}`;
  }
  const ms = Math.floor(time.micros / 1000);
  const iso = new Date(ms).toISOString().replace('Z', '');
  const sub = String(time.micros % 1000).padStart(3, '0');
  return time.clock === 'wall' ? `${iso}${sub}Z` : `${iso}${sub}`;
}
