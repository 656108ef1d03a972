/**
 * Device geometry (DOMAIN.md §2): where a virtio-mem device's region starts, how big it is,
 * and its device block, memory block and subblock sizes. Taken from the driver's init lines
 * (or the HMP `info memory-devices` output) when logged; otherwise inferred and marked so.
 */
import { ADDRESS_SPACE, BEYOND, blockSizeProblem, hexText, PAGE_SIZE, PHYSICAL_LIMIT } from './block-size';

export interface Geometry {
  device: string;
  startAddress?: bigint;
  regionSize?: bigint;
  deviceBlockSize: bigint;
  memoryBlockSize: bigint;
  subblockSize: bigint;
  mode: 'sbm' | 'bbm';
  node?: number;
  /** `logged` when every field used came from the logs; `inferred` otherwise. */
  geometry: 'logged' | 'inferred';
  /** How each inferred field was arrived at, in words. */
  inferredFrom: string[];
}

export const MiB = 1n << 20n;
export const GiB = 1n << 30n;
/** Common x86-64 values, used only when a log does not say (and then said to be assumed). */
const DEFAULT_MEMORY_BLOCK = 128n * MiB;
const DEFAULT_SUBBLOCK = 2n * MiB;
/** An inferred region start is the lowest address seen, aligned down to this. */
const START_ALIGNMENT = GiB;

/** What the logs said about one device's geometry, field by field. */
export class GeometryBuilder {
  startAddress?: bigint;
  regionSize?: bigint;
  deviceBlockSize?: bigint;
  memoryBlockSize?: bigint;
  subblockSize?: bigint;
  bigBlockSize?: bigint;
  node?: number;
  /** Lowest address any event of this device named, for inferring the start. */
  lowestAddress?: bigint;
  highestAddress?: bigint;

  constructor(readonly device: string) {}

  sawAddress(start: bigint, end: bigint): void {
    if (this.lowestAddress === undefined || start < this.lowestAddress) this.lowestAddress = start;
    if (this.highestAddress === undefined || end > this.highestAddress) this.highestAddress = end;
  }

  /** The start address, when it is logged or can be inferred now. */
  get resolvedStart(): bigint | undefined {
    if (this.startAddress !== undefined) return this.startAddress;
    if (this.lowestAddress === undefined) return undefined;
    return (this.lowestAddress / START_ALIGNMENT) * START_ALIGNMENT;
  }

  /** The device block size, logged or assumed: what a request's `nb_blocks` counts. */
  get blockSize(): bigint {
    return this.deviceBlockSize ?? this.subblockSize ?? DEFAULT_SUBBLOCK;
  }

  /** The fields the last `build` was made from, and what it made: asked once per size line. */
  private built?: { from: unknown[]; geometry: Geometry };

  /** The geometry as it can be stated now (the same object while nothing changed: do not modify it). */
  build(): Geometry {
    const from = [this.startAddress, this.regionSize, this.deviceBlockSize, this.memoryBlockSize, this.subblockSize, this.bigBlockSize, this.node, this.lowestAddress, this.highestAddress];
    const last = this.built;
    if (last && from.every((value, i) => value === last.from[i])) return last.geometry;
    const geometry = this.make();
    this.built = { from, geometry };
    return geometry;
  }

  private make(): Geometry {
    const inferredFrom: string[] = [];
    const memoryBlockSize = this.memoryBlockSize ?? DEFAULT_MEMORY_BLOCK;
    if (this.memoryBlockSize === undefined) inferredFrom.push('memory block size assumed 0x8000000 (128 MiB, the x86-64 default): no init line');
    const deviceBlockSize = this.blockSize;
    if (this.deviceBlockSize === undefined) inferredFrom.push(`device block size assumed 0x${deviceBlockSize.toString(16)}`);
    const bbm = this.bigBlockSize !== undefined;
    let subblockSize = this.subblockSize ?? this.bigBlockSize;
    if (subblockSize === undefined) {
      subblockSize = deviceBlockSize > DEFAULT_SUBBLOCK ? deviceBlockSize : DEFAULT_SUBBLOCK;
      inferredFrom.push(`subblock size assumed 0x${subblockSize.toString(16)} (max of device block size and 2 MiB)`);
    }
    const start = this.resolvedStart;
    if (this.startAddress === undefined && start !== undefined) {
      inferredFrom.push(`region assumed to start at 0x${start.toString(16)}: the lowest address seen, aligned down to 1 GiB`);
    }
    let regionSize = this.regionSize;
    // Addresses below a logged start say nothing about the region's size.
    if (regionSize === undefined && start !== undefined && this.highestAddress !== undefined && this.highestAddress > start) {
      regionSize = ((this.highestAddress - start + memoryBlockSize - 1n) / memoryBlockSize) * memoryBlockSize;
      inferredFrom.push(`region size assumed 0x${regionSize.toString(16)}: up to the highest address seen`);
    }
    return {
      device: this.device,
      ...(start !== undefined ? { startAddress: start } : {}),
      ...(regionSize !== undefined ? { regionSize } : {}),
      deviceBlockSize,
      memoryBlockSize,
      subblockSize,
      mode: bbm ? 'bbm' : 'sbm',
      ...(this.node !== undefined ? { node: this.node } : {}),
      geometry: inferredFrom.length === 0 ? 'logged' : 'inferred',
      inferredFrom,
    };
  }
}

/** The geometry fields the driver prints at probe (V1, V2, V3, V9, V10, V11). */
export type GeometryField = 'startAddress' | 'regionSize' | 'deviceBlockSize' | 'memoryBlockSize' | 'subblockSize' | 'bigBlockSize';

/** As the driver's lines name them. */
export const GEOMETRY_FIELD_NAMES: Record<GeometryField, string> = {
  startAddress: 'start address',
  regionSize: 'region size',
  deviceBlockSize: 'device block size',
  memoryBlockSize: 'memory block size',
  subblockSize: 'subblock size',
  bigBlockSize: 'big block size',
};

const h = hexText;

/**
 * Why `value` cannot be the `field` of a device whose geometry so far is `g`, or undefined
 * when it can (drivers/virtio/virtio_mem.c: every block size is a power of two of at least a
 * page; the subblock size is max(device block size, pageblock size) and, in SBM, at most a
 * memory block; a big block is at least a memory block and a device block; the region is made
 * of device blocks and lies in the physical address space). What the driver only warns about
 * (a start or end not aligned to a memory block) is possible. A value is checked against the
 * fields logged before it; see `regionNoLongerPossible` for a region size logged first.
 */
export function impossibleGeometry(field: GeometryField, value: bigint, g: GeometryBuilder): string | undefined {
  if (value < 0n || value >= ADDRESS_SPACE) return 'it does not fit in 64 bits';
  if (field === 'startAddress') return value >= PHYSICAL_LIMIT ? BEYOND : undefined;
  if (field === 'regionSize') return regionImpossible(g.startAddress ?? 0n, value, g);
  const problem = blockSizeProblem(value);
  if (problem !== undefined) return problem;
  const mustBe = (relation: 'at least' | 'at most', other: GeometryField): string | undefined => {
    const bound = g[other];
    if (bound === undefined || (relation === 'at least' ? value >= bound : value <= bound)) return undefined;
    return `it is ${relation === 'at least' ? 'smaller' : 'bigger'} than the ${GEOMETRY_FIELD_NAMES[other]} ${h(bound)}`;
  };
  switch (field) {
    case 'deviceBlockSize':
      return mustBe('at most', 'subblockSize') ?? mustBe('at most', 'bigBlockSize');
    case 'memoryBlockSize':
      return mustBe('at least', 'subblockSize') ?? mustBe('at most', 'bigBlockSize');
    case 'subblockSize':
      return mustBe('at least', 'deviceBlockSize') ?? mustBe('at most', 'memoryBlockSize');
    case 'bigBlockSize':
      return mustBe('at least', 'deviceBlockSize') ?? mustBe('at least', 'memoryBlockSize');
  }
}

/**
 * Why the region size taken before is impossible with the start address or device block size
 * logged after it (the driver prints the region size before the block size), or undefined. The
 * region size is the one not believed: a block size passed stricter checks (a power of two,
 * within bounds) than a size that only has to be a multiple of something.
 */
export function regionNoLongerPossible(g: GeometryBuilder): string | undefined {
  return g.regionSize === undefined ? undefined : regionImpossible(g.startAddress ?? 0n, g.regionSize, g);
}

function regionImpossible(start: bigint, size: bigint, g: GeometryBuilder): string | undefined {
  if (size === 0n) return 'a region cannot be empty';
  if (start + size > ADDRESS_SPACE) return `the region from ${h(start)} would wrap around 2^64`;
  if (start + size > PHYSICAL_LIMIT) return `the region from ${h(start)} would end past 2^56, beyond any physical address space`;
  const block = g.deviceBlockSize ?? PAGE_SIZE;
  if (size % block !== 0n) return `it is not a multiple of the ${g.deviceBlockSize !== undefined ? 'device block size' : 'page size'} ${h(block)}`;
  return undefined;
}

/** Memory block id of an address: `addr / memory_block_size` (virtio_mem_phys_to_mb_id). */
export function memoryBlockId(addr: bigint, g: Pick<Geometry, 'memoryBlockSize'>): bigint {
  return addr / g.memoryBlockSize;
}
