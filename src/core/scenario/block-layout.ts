/**
 * What the driver (driver.ts) and its two block layouts (sbm.ts, bbm.ts) share: the errnos
 * their passes return, the layout interface the driver calls, and the requests a layout makes
 * of the driver. Here, so that the layouts need not import the driver that creates them.
 */
import type { AcceptancePolicy, Extent } from './acceptance';
import type { Context } from './context';
import type { DriverLines } from './formats';
import type { Chunk } from './logs';

export { EAGAIN, EBUSY, EINVAL, ENOMEM, ENOSPC, ETXTBSY } from '../text/errno';
/** Not an errno: the pass ended because the VM stopped (acceptance.ts halted it). */
export const STOPPED = 1;

/** How the driver lays memory out: subblocks of memory blocks (SBM) or big blocks (BBM). */
export interface BlockLayout {
  /** Plugs up to `amount` more bytes; 0 or a negative errno (or STOPPED). */
  plug(amount: number): Generator<Chunk, number, void>;
  unplug(amount: number): Generator<Chunk, number, void>;
  /** Leftovers of earlier passes (BBM: big blocks removed but still plugged). */
  cleanup(): number;
  /** An admin writes offline then online to /sys/devices/system/memory/memoryN/state. */
  offlineOnline(mbId: number): void;
  /** The usable region size read from the config. */
  setUsable(usable: number): void;
}

/** The driver as a layout sees it: its state and the requests it sends for a layout. */
export interface LayoutDriver {
  readonly ctx: Context;
  readonly lines: DriverLines;
  readonly policy: AcceptancePolicy;
  /** Memory added to Linux but not online (offline_size). */
  offlineSize: number;
  /** A PLUG request for `range`; 0 or the errno the driver maps the answer to. */
  plugRange(range: Extent): number;
  /** An UNPLUG request for `range`; 0 or an errno. */
  unplugRange(range: Extent): number;
  /** add_memory_driver_managed() of `range`: offline until onlined. */
  addMemory(range: Extent): void;
  /** Whether `size` more bytes may be added while the offline memory stays within the threshold. */
  couldAdd(size: number): boolean;
  /** Whether online memory in `range` holds unmovable allocations. */
  unmovable(range: Extent): boolean;
  /** Time spent on `range`, `min` to `max` milliseconds per 128 MiB, in microseconds. */
  cost(range: Extent, min: number, max: number): number;
}
