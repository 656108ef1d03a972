/**
 * One virtio-mem device in the model: its geometry as learnt so far and the state of its
 * subblocks, indexed from the region start. The store grows (also downwards) when the logs
 * name addresses outside what was known.
 */
import { type Geometry, GeometryBuilder } from './geometry';
import { SubblockStore } from './state';

/** 2^22 subblocks: 8 TiB of 2 MiB subblocks, more than any virtio-mem device holds. */
const MAX_SUBBLOCKS = 1n << 22n;

/** The last state of every subblock of a device, as columns (for the tree and the timeline). */
export interface DeviceSnapshot {
  device: string;
  /** Address of subblock 0; exact in a double (physical addresses stay below 2^52). */
  base: number;
  subblockSize: number;
  tuples: Uint16Array;
  lastInput: Int16Array;
  lastLine: Int32Array;
}

export class DeviceModel {
  readonly geometry: GeometryBuilder;
  private store: SubblockStore | undefined;
  private base = 0n;
  private sb = 0n;
  /** `base` and `sb` as doubles, for the fast path of `cover`. */
  private baseNumber = 0;
  private sbNumber = 0;

  constructor(readonly id: string) {
    this.geometry = new GeometryBuilder(id);
  }

  /** The geometry as it can be stated now. */
  describe(): Geometry {
    return this.geometry.build();
  }

  get subblockSize(): bigint {
    return this.sb || this.describe().subblockSize;
  }

  /** Whether the region start is known or inferable, so that subblocks can be indexed. */
  get resolved(): boolean {
    return this.geometry.resolvedStart !== undefined;
  }

  /**
   * The store, covering at least `[start, end)`; undefined for an empty range or one so far
   * from the rest that it cannot be this device's memory (it would need more than
   * MAX_SUBBLOCKS entries).
   */
  cover(start: bigint, end: bigint): { store: SubblockStore; first: number; last: number } | undefined {
    if (end <= start) return undefined;
    // Inside the store, the index arithmetic is exact in doubles (physical addresses stay
    // below 2^52) and allocates nothing, unlike bigint arithmetic; this is once per event.
    const store = this.store;
    if (store) {
      const s = Number(start);
      const e = Number(end);
      const low = this.baseNumber;
      if (s >= low && e <= low + store.count * this.sbNumber && e <= Number.MAX_SAFE_INTEGER) {
        return { store, first: Math.floor((s - low) / this.sbNumber), last: Math.ceil((e - low) / this.sbNumber) };
      }
    }
    let low: bigint;
    let high: bigint;
    if (this.store) {
      low = this.base;
      high = this.base + BigInt(this.store.count) * this.sb;
    } else {
      // The first use fixes the subblock size and sizes the store to the region, when known.
      const g = this.describe();
      this.sb = g.subblockSize;
      const regionStart = g.startAddress ?? start;
      const regionEnd = g.regionSize !== undefined ? regionStart + g.regionSize : end;
      low = regionStart < start ? regionStart : start;
      high = regionEnd > end ? regionEnd : end;
    }
    const sb = this.sb;
    if (start < low) low = start;
    if (end > high) high = end;
    low = (low / sb) * sb;
    high = ((high + sb - 1n) / sb) * sb;
    const needed = (high - low) / sb;
    if (needed > MAX_SUBBLOCKS) return undefined;
    if (!this.store) {
      this.store = new SubblockStore(Number(needed));
      this.setBase(low);
    } else if (low < this.base || needed > BigInt(this.store.count)) {
      const shift = Number((this.base - low) / sb);
      const grown = new SubblockStore(Math.max(Number(needed), Math.min(this.store.count * 2, Number(MAX_SUBBLOCKS))));
      this.store.copyInto(grown, shift);
      this.store = grown;
      this.setBase(low);
    }
    return {
      store: this.store,
      first: Number((start - this.base) / sb),
      last: Number((end - this.base + sb - 1n) / sb),
    };
  }

  /**
   * Takes over the states `other` learnt for memory of this device before the device was named
   * (a QEMU trace names no device: its requests go to an unnamed model until a guest line names
   * the device that owns the range, e.g. the first kernel's plugs before a kexec). Only into a
   * device with no state of its own yet, in the same subblocks, inside this device's region.
   */
  adopt(other: DeviceModel): boolean {
    const from = other.covered;
    if (!from || !other.store || this.store || from.subblockSize !== this.subblockSize) return false;
    const g = this.describe();
    if (g.startAddress === undefined || from.start < g.startAddress) return false;
    if (g.regionSize !== undefined && from.end > g.startAddress + g.regionSize) return false;
    const cover = this.cover(from.start, from.end);
    if (!cover) return false;
    other.store.copyInto(cover.store, cover.first);
    return true;
  }

  private setBase(base: bigint): void {
    this.base = base;
    this.baseNumber = Number(base);
    this.sbNumber = Number(this.sb);
  }

  snapshot(): DeviceSnapshot | undefined {
    const store = this.store;
    if (!store) return undefined;
    return {
      device: this.id,
      base: Number(this.base),
      subblockSize: Number(this.sb),
      tuples: store.tuples.slice(),
      lastInput: store.lastInput.slice(),
      lastLine: store.lastLine.slice(),
    };
  }

  /** The subblock `addr` falls in, without growing anything (for readers: the replay's inspector). */
  read(addr: bigint): { store: SubblockStore; index: number } | undefined {
    const store = this.store;
    if (!store || addr < this.base) return undefined;
    const index = Number((addr - this.base) / this.sb);
    return index < store.count ? { store, index } : undefined;
  }

  /** The addresses the subblock store covers so far, undefined before the device's first state. */
  get covered(): { start: bigint; end: bigint; subblockSize: bigint } | undefined {
    return this.store ? { start: this.base, end: this.base + BigInt(this.store.count) * this.sb, subblockSize: this.sb } : undefined;
  }

  addressOf(index: number): bigint {
    return this.base + BigInt(index) * this.sb;
  }
}
