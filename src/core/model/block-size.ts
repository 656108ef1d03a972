/**
 * What every block size virtio-mem works with (device, memory, sub- and big block) is: a power
 * of two of at least a page, within the physical address space. Apart from the geometry so that
 * the ingest can check a size without the model.
 */

/** No size the driver works with is smaller than a page. */
export const PAGE_SIZE = 0x1000n;
/** A 2 MiB page (a PMD, RMP_PG_SIZE_2M). */
export const HUGE_PAGE_SIZE = 0x200000n;
/** No architecture virtio-mem runs on addresses more physical memory (x86-64 and arm64: 52 bits; RISC-V: 56). */
export const PHYSICAL_LIMIT = 1n << 56n;
export const ADDRESS_SPACE = 1n << 64n;
export const BEYOND = 'it is at or past 2^56, beyond any physical address space';

export const hexText = (v: bigint): string => `0x${v.toString(16)}`;

/** Why `value` cannot be a block size, or undefined when it can. */
export function blockSizeProblem(value: bigint): string | undefined {
  if (value < 0n || value >= ADDRESS_SPACE) return 'it does not fit in 64 bits';
  if (value < PAGE_SIZE) return `it is below the page size ${hexText(PAGE_SIZE)}`;
  if ((value & (value - 1n)) !== 0n) return 'it is not a power of two';
  if (value >= PHYSICAL_LIMIT) return BEYOND;
  return undefined;
}
