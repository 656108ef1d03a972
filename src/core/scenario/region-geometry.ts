/** The device region cut into device blocks, memory blocks, subblocks and big blocks (DOMAIN.md §2). */
import type { DeviceConfig } from './types';

export class RegionGeometry {
  readonly addr: number;
  readonly end: number;
  readonly regionSize: number;
  readonly blockSize: number;
  readonly memoryBlockSize: number;
  readonly subblockSize: number;
  /** Big block size in BBM: max(device block, memory block). */
  readonly bigBlockSize: number;
  readonly bbm: boolean;
  readonly deviceBlocks: number;
  readonly memoryBlocks: number;
  readonly subblocksPerMb: number;
  readonly bigBlocks: number;
  /** Linux id of the region's first memory block (`memoryN` in sysfs). */
  readonly firstMbId: number;

  constructor(device: DeviceConfig) {
    this.addr = device.addr;
    this.regionSize = device.regionSize;
    this.end = device.addr + device.regionSize;
    this.blockSize = device.blockSize;
    this.memoryBlockSize = device.memoryBlockSize;
    this.subblockSize = device.subblockSize;
    this.bbm = device.bbm;
    this.bigBlockSize = Math.max(device.blockSize, device.memoryBlockSize);
    this.deviceBlocks = device.regionSize / device.blockSize;
    this.memoryBlocks = device.regionSize / device.memoryBlockSize;
    this.subblocksPerMb = device.memoryBlockSize / device.subblockSize;
    this.bigBlocks = device.regionSize / this.bigBlockSize;
    this.firstMbId = device.addr / device.memoryBlockSize;
  }

  /** Start address of memory block `mb` (0-based within the region). */
  mbStart(mb: number): number {
    return this.addr + mb * this.memoryBlockSize;
  }

  /** Start address of subblock `sb` of memory block `mb`. */
  sbStart(mb: number, sb: number): number {
    return this.mbStart(mb) + sb * this.subblockSize;
  }

  bbStart(bb: number): number {
    return this.addr + bb * this.bigBlockSize;
  }

  /** Index of the device block holding `gpa`. */
  blockIndex(gpa: number): number {
    return Math.floor((gpa - this.addr) / this.blockSize);
  }

  contains(gpa: number): boolean {
    return gpa >= this.addr && gpa < this.end;
  }
}
