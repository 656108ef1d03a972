/**
 * Year-less wall clocks (RFC 3164 syslog, `journalctl` short, `dmesg -T` without its year): no
 * year is invented, a log counts on over New Year, and a year given later dates every stamp.
 */
import { strict as assert } from 'node:assert';
import { withYear, YearRollover, yearNear } from '../../../src/core/envelope/yearless';
import type { HotplugEvent } from '../../../src/core/events';
import { ingestAll } from '../../../src/core/ingest';
import { eventTimeText } from '../../../src/core/text/time';

/** Days before each month in a leap year: year-less stamps count from Jan 1 as in one. */
const LEAP_DAYS_BEFORE = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335];
const DAY = 86_400_000_000;

function yearless(month: number, day: number, h: number, m: number, s: number, micros = 0): number {
  return (((LEAP_DAYS_BEFORE[month - 1] + day - 1) * 24 + h) * 3600 + m * 60 + s) * 1_000_000 + micros;
}

function utc(year: number, month: number, day: number, h: number, m: number, s: number, micros = 0): number {
  return Date.UTC(year, month - 1, day, h, m, s) * 1000 + micros;
}

function placeAll(stamps: number[]): number[] {
  const years = new YearRollover();
  return stamps.map((micros) => years.place(micros));
}

describe('year-less clocks: New Year inside one log', () => {
  it('Dec 31 → Jan 1 counts on into the next year: two seconds later, not a year earlier', () => {
    const [last, first] = placeAll([yearless(12, 31, 23, 59, 59), yearless(1, 1, 0, 0, 1)]);
    assert.equal(first - last, 2_000_000);
  });

  it('the days after New Year stay in the new year', () => {
    const placed = placeAll([yearless(12, 31, 23, 0, 0), yearless(1, 1, 0, 0, 1), yearless(1, 3, 8, 0, 0), yearless(2, 1, 0, 0, 0)]);
    // 2001 (the year after the leap year the count starts in) is a common year: 366 days from Jan 1 to Jan 1.
    assert.deepEqual(placed.slice(1), [366 * DAY + 1_000_000, 368 * DAY + 8 * 3_600_000_000, 397 * DAY]);
  });

  it('two New Years in one log', () => {
    const placed = placeAll([yearless(12, 31, 0, 0, 0), yearless(6, 1, 0, 0, 0), yearless(12, 31, 0, 0, 0), yearless(1, 2, 0, 0, 0)]);
    assert.equal(placed[1], 366 * DAY + yearless(6, 1, 0, 0, 0) - DAY, 'Jun 1 of the common year after');
    assert.equal(placed[3], 366 * DAY + 365 * DAY + DAY, 'Jan 2 of the third year');
  });

  it('a line written out of order across a month end is not a New Year', () => {
    const placed = placeAll([yearless(2, 1, 0, 0, 1), yearless(1, 31, 23, 59, 59), yearless(2, 1, 0, 0, 2)]);
    assert.deepEqual(placed, [yearless(2, 1, 0, 0, 1), yearless(1, 31, 23, 59, 59), yearless(2, 1, 0, 0, 2)]);
  });

  it('going back within the same month is not a New Year', () => {
    const placed = placeAll([yearless(3, 5, 0, 0, 0), yearless(3, 1, 0, 0, 0)]);
    assert.deepEqual(placed, [yearless(3, 5, 0, 0, 0), yearless(3, 1, 0, 0, 0)]);
  });

  it('the month going back after a long silence is a New Year (Mar → Feb)', () => {
    const [, feb] = placeAll([yearless(3, 10, 0, 0, 0), yearless(2, 1, 0, 0, 0)]);
    assert.equal(feb, 366 * DAY + yearless(2, 1, 0, 0, 0));
  });
});

describe('year-less clocks: dating with a year from elsewhere', () => {
  it('withYear gives the calendar time in that year, Feb 29 included in a leap year', () => {
    assert.equal(withYear(yearless(11, 29, 4, 55, 28, 123_456), 2024), utc(2024, 11, 29, 4, 55, 28, 123_456));
    assert.equal(withYear(yearless(2, 29, 12, 0, 0), 2028), utc(2028, 2, 29, 12, 0, 0));
    assert.equal(withYear(yearless(3, 1, 0, 0, 0), 2026), utc(2026, 3, 1, 0, 0, 0), 'Mar 1 of a common year');
  });

  it('withYear puts a stamp after New Year in the following year', () => {
    const [, jan] = placeAll([yearless(12, 31, 23, 59, 59), yearless(1, 1, 0, 0, 1)]);
    assert.equal(withYear(jan, 2026), utc(2027, 1, 1, 0, 0, 1));
  });

  it('yearNear takes the year that puts the other input inside the log, or nearest to it', () => {
    const mar24 = yearless(3, 24, 16, 21, 47);
    assert.equal(yearNear(mar24, mar24, utc(2026, 3, 24, 15, 21, 47)), 2026);
    const dec31 = yearless(12, 31, 23, 59, 50);
    assert.equal(yearNear(dec31, dec31, utc(2027, 1, 1, 0, 0, 10)), 2026, 'the log began the evening before');
    const jan1 = yearless(1, 1, 0, 0, 5);
    assert.equal(yearNear(jan1, jan1, utc(2026, 12, 31, 23, 59, 50)), 2027, 'the log began just after');
    // A log from June to April of the next year, the other input in March: inside the log's span.
    const [jun, apr] = placeAll([yearless(6, 1, 0, 0, 0), yearless(4, 30, 0, 0, 0)]);
    assert.equal(yearNear(jun, apr, utc(2027, 3, 10, 0, 0, 0)), 2026);
  });
});

async function eventsOf(lines: string[]): Promise<HotplugEvent[]> {
  const events: HotplugEvent[] = [];
  const summary = await ingestAll(
    {
      path: 'syslog',
      async *open() {
        yield Buffer.from(`${lines.join('\n')}\n`);
      },
    },
    0,
    (event) => events.push(event),
  );
  assert.equal(summary.recognized + summary.ignored + summary.unparsed, summary.lines);
  assert.equal(summary.unparsed, 0);
  return events;
}

describe('year-less clocks: a syslog read over New Year', () => {
  it('gives events counted on from Dec 31, and shows them without a year', async () => {
    const events = await eventsOf([
      'Dec 31 23:59:58 td-guest kernel: virtio_mem virtio5: plugged size: 0x0',
      'Dec 31 23:59:59 td-guest kernel: virtio_mem virtio5: requested size: 0x8000000',
      'Jan  1 00:00:01 td-guest kernel: virtio_mem virtio5: plugging memory: 0x100000000 - 0x107ffffff',
    ]);
    assert.deepEqual(
      events.map((e) => e.time),
      [
        { clock: 'wall-yearless', micros: yearless(12, 31, 23, 59, 58) },
        { clock: 'wall-yearless', micros: yearless(12, 31, 23, 59, 59) },
        { clock: 'wall-yearless', micros: 366 * DAY + 1_000_000 },
      ],
    );
    assert.deepEqual(
      events.map((e) => (e.time ? eventTimeText(e.time) : '-')),
      ['--12-31T23:59:58.000000', '--12-31T23:59:59.000000', '--01-01T00:00:01.000000 (+1 y)'],
    );
  });
});
