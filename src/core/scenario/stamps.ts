/**
 * The timestamp prefixes of DOMAIN.md §1.0, exactly as the kernel, journald and QEMU print them.
 * The calendar part is cached per second: most lines share their second with the one before.
 */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));
const six = (n: number): string => String(n).padStart(6, '0');

/** dmesg `[%5lu.%06lu] ` from microseconds since boot. */
export function dmesgStamp(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  return `[${String(seconds).padStart(5)}.${six(micros - seconds * 1_000_000)}] `;
}

/** A calendar rendering computed once per second. */
class PerSecond {
  private second = NaN;
  private text = '';

  constructor(private readonly render: (date: Date) => string) {}

  at(wallMicros: number): string {
    const second = Math.floor(wallMicros / 1_000_000);
    if (second !== this.second) {
      this.second = second;
      this.text = this.render(new Date(second * 1000));
    }
    return this.text;
  }
}

const time = (d: Date): string => `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;

const dmesgWall = new PerSecond(
  (d) => `[${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${time(d)} ${d.getUTCFullYear()}] `,
);
const syslogWall = new PerSecond((d) => `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${time(d)}`);
const isoWall = new PerSecond((d) => `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${time(d)}`);

/** `dmesg -T`: `[Tue Mar 24 16:20:12 2026] ` (the wall clock is taken as local time = UTC). */
export function dmesgWallStamp(wallMicros: number): string {
  return dmesgWall.at(wallMicros);
}

/** journald / syslog short format: `Mar 24 16:20:12 HOST kernel: `. */
export function syslogPrefix(wallMicros: number, host: string): string {
  return `${syslogWall.at(wallMicros)} ${host} kernel: `;
}

/** QEMU master with `-msg timestamp=on`: `2026-03-24T15:21:47.392231Z `. */
export function isoStamp(wallMicros: number): string {
  return `${isoWall.at(wallMicros)}.${six(wallMicros % 1_000_000)}Z `;
}

/** QEMU 9.2 trace log backend with `-msg timestamp=on`: `4321@1774365707.392231:`. */
export function tidStamp(threadId: number, wallMicros: number): string {
  const seconds = Math.floor(wallMicros / 1_000_000);
  return `${threadId}@${seconds}.${six(wallMicros - seconds * 1_000_000)}:`;
}
