/**
 * The three output logs. Every line advances the clock a little (also lines that are not shown,
 * so that switching visibility does not move anything else); shown lines get the prefix the
 * settings ask for and are buffered until the generator hands them out as one chunk.
 */
import type { Spending } from './budget';
import type { Clock } from './clock';
import type { Random } from './random';
import { dmesgStamp, dmesgWallStamp, isoStamp, syslogPrefix, tidStamp } from './stamps';
import type { LogSettings } from './types';

/** New text of each log since the previous chunk. */
export interface Chunk {
  guest: string;
  qemu: string;
  host: string;
}

export type LogName = keyof Chunk;

/** Buffered characters after which the generator should hand out a chunk. */
const CHUNK_CHARS = 1 << 16;
/** The host name in `guest-timestamps=syslog` prefixes. */
const GUEST_HOST = 'guest';

export class Logs {
  readonly counts: Record<LogName, number> = { guest: 0, qemu: 0, host: 0 };
  private parts: Record<LogName, string[]> = { guest: [], qemu: [], host: [] };
  private size = 0;

  constructor(
    readonly settings: LogSettings,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly spending: Spending,
  ) {}

  /** A guest kernel line; `debug` lines (dev_dbg, pr_debug) only with dynamic debug. */
  guest(message: string, debug = false): void {
    this.tick();
    if (debug && !this.settings.dynamicDebug) return;
    this.push('guest', this.guestPrefix() + message);
  }

  /** A QEMU trace event, emitted by thread `threadId`. */
  trace(threadId: number, message: string): void {
    this.tick();
    if (!this.settings.qemuTrace) return;
    const wall = this.clock.wallMicros();
    const prefix = this.settings.qemuTimestamps === 'iso' ? isoStamp(wall) : this.settings.qemuTimestamps === 'tid' ? tidStamp(threadId, wall) : '';
    this.push('qemu', prefix + message);
  }

  /** A line QEMU writes to stderr with fprintf(): never a prefix. */
  stderr(message: string): void {
    this.tick();
    this.push('qemu', message);
  }

  /** A host kernel line. */
  host(message: string): void {
    this.tick();
    if (!this.settings.host) return;
    this.push('host', dmesgStamp(this.clock.hostMicros()) + message);
  }

  get full(): boolean {
    return this.size >= CHUNK_CHARS;
  }

  /** Hands out what is buffered. */
  take(): Chunk {
    const chunk = { guest: this.parts.guest.join(''), qemu: this.parts.qemu.join(''), host: this.parts.host.join('') };
    this.parts = { guest: [], qemu: [], host: [] };
    this.size = 0;
    return chunk;
  }

  /** The few microseconds a printk or trace call takes. */
  private tick(): void {
    this.clock.advance(this.random.int(2, 40));
  }

  private guestPrefix(): string {
    switch (this.settings.guestTimestamps) {
      case 'dmesg':
        return dmesgStamp(this.clock.guestMicros());
      case 'dmesg-T':
        return dmesgWallStamp(this.clock.wallMicros());
      case 'syslog':
        return syslogPrefix(this.clock.wallMicros(), GUEST_HOST);
      default:
        return '';
    }
  }

  private push(log: LogName, line: string): void {
    this.spending.write(line.length + 1);
    this.parts[log].push(line, '\n');
    this.size += line.length + 1;
    this.counts[log] += 1;
  }
}

/** Yields what is buffered once enough has gathered: the model's loops call it between memory blocks. */
export function* spill(logs: Logs): Generator<Chunk, void, void> {
  if (logs.full) yield logs.take();
}
