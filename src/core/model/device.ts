/**
 * One virtio-mem device in the model: its geometry as learnt so far and the state of its
 * subblocks, indexed from the region start. The store grows (also downwards) when the logs
 * name addresses outside what was known.
 */
import { type Geometry, GeometryBuilder } from './geometry';
import { SubblockStore } from './state';

export class DeviceModel {
  readonly geometry: GeometryBuilder;
  private store: SubblockStore | undefined;
  private base = 0n;
  private sb = 0n;

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

  /** The store, covering at least `[start, end)`. */
  cover(start: bigint, end: bigint): { store: SubblockStore; first: number; last: number } {
    const g = this.describe();
    if (this.sb === 0n) this.sb = g.subblockSize;
    const regionStart = g.startAddress ?? start;
    if (!this.store) {
      this.base = (regionStart / this.sb) * this.sb;
      const regionEnd = g.regionSize !== undefined ? regionStart + g.regionSize : end;
      this.store = new SubblockStore(Number(((regionEnd > end ? regionEnd : end) - this.base + this.sb - 1n) / this.sb));
    }
    const lowest = start < this.base ? (start / this.sb) * this.sb : this.base;
    const needed = Number((end - lowest + this.sb - 1n) / this.sb);
    const shift = Number((this.base - lowest) / this.sb);
    if (shift > 0 || needed > this.store.count) {
      const grown = new SubblockStore(Math.max(needed, this.store.count + shift, this.store.count * 2));
      this.store.copyInto(grown, shift);
      this.store = grown;
      this.base = lowest;
    }
    return {
      store: this.store,
      first: Number((start - this.base) / this.sb),
      last: Number((end - this.base + this.sb - 1n) / this.sb),
    };
  }

  /** The existing store and its base, if any subblock was touched yet. */
  get current(): { store: SubblockStore; base: bigint; sb: bigint } | undefined {
    return this.store ? { store: this.store, base: this.base, sb: this.sb } : undefined;
  }

  addressOf(index: number): bigint {
    return this.base + BigInt(index) * this.sb;
  }

  /** Region subblock range `[first, last)` in store indexes, covering the whole region when known. */
  regionIndexes(): { first: number; last: number } | undefined {
    const g = this.describe();
    if (g.startAddress === undefined || g.regionSize === undefined) return undefined;
    const { first, last } = this.cover(g.startAddress, g.startAddress + g.regionSize);
    return { first, last };
  }
}
