/**
 * Scenario time. One clock drives all three logs, so they agree: the guest prints seconds since
 * its kernel booted, QEMU prints the wall clock from a fixed base, the host prints its uptime.
 */

/** Wall-clock time of the first guest boot: 2026-03-24T15:00:00Z, in microseconds. */
const WALL_BASE_MICROS = Date.UTC(2026, 2, 24, 15, 0, 0) * 1000;

export class Clock {
  /** Microseconds since the first guest boot. */
  now = 0;
  /** `now` when the running guest kernel booted (dmesg time 0). */
  guestBoot = 0;

  constructor(
    /** Host uptime at the first guest boot, in microseconds. */
    private readonly hostUptimeAtStart: number,
  ) {}

  advance(micros: number): void {
    this.now += Math.round(micros);
  }

  /** Moves on to `micros` (never back). */
  advanceTo(micros: number): void {
    this.now = Math.max(this.now, Math.round(micros));
  }

  guestMicros(): number {
    return this.now - this.guestBoot;
  }

  wallMicros(): number {
    return WALL_BASE_MICROS + this.now;
  }

  hostMicros(): number {
    return this.hostUptimeAtStart + this.now;
  }
}
