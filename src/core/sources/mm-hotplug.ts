/**
 * Guest memory hotplug core lines (DOMAIN.md §1.5 M1–M3, and M4–M7 below), printed without a
 * prefix by mm/memory_hotplug.c and mm/page_alloc.c. `%#llx` prints `0x` + digits, but a bare
 * `0` for zero; `%#010llx` pads to ten characters.
 */
import type { MmRangeFailedEvent } from '../events';
import { ascending, DYNDBG_DECORATION, type Family, hex, type Row, whole } from './table';

const HEX = '0x([0-9a-fA-F]+)';
/** `%#llx` / `%#lx`: zero is printed without its `0x`. */
const HEX0 = '(0x[0-9a-fA-F]+|0)';
/** `%lx` / `%016llx`: digits only. */
const DIGITS = '([0-9a-fA-F]+)';
const PAGE_SHIFT = 12n;

/** A failure about `[first, last]` (inclusive, as printed) of kind `kind`, with an optional reason group. */
function rangeFailed(id: string, pattern: string, kind: MmRangeFailedEvent['kind'], reason?: (m: RegExpExecArray) => string | undefined): Row {
  return {
    id,
    pattern: whole(pattern),
    valid: ascending(1, 2),
    build: (m) => {
      const why = reason?.(m);
      return { kind, rule: id, start: hex(m[1]), end: hex(m[2]) + 1n, ...(why !== undefined ? { reason: why } : {}) };
    },
  };
}

export const mmHotplug: Family = {
  name: 'mm hotplug',
  // M1, M2 and M7 are pr_debug: dynamic debug may decorate them.
  prefix: new RegExp(`${DYNDBG_DECORATION}(?=online_pages|memory offlining|Block size|Hotplug|alloc_contig_range|removing memory fails|Unable to reserve )`, 'y'),
  rows: [
    rangeFailed('M1', `online_pages \\[mem ${HEX}-${HEX}\\] failed`, 'mm.onlineFailed'),
    // offline_pages(), v4.20+: every failure path says why.
    rangeFailed('M2', `memory offlining \\[mem ${HEX}-${HEX}\\] failed due to (.+?)`, 'mm.offlineFailed', (m) => m[3]),
    // Before v4.20 the same line had no reason.
    rangeFailed('M2-old', `memory offlining \\[mem ${HEX}-${HEX}\\] failed`, 'mm.offlineFailed'),
    {
      // check_hotplug_memory_range(), v4.20+ (`%#lx`/`%#llx`: a zero size prints as `0`).
      id: 'M3',
      pattern: whole(`Block size \\[${HEX0}\\] unaligned hotplug range: start ${HEX0}, size ${HEX0}`),
      build: (m) => ({ kind: 'mm.unalignedRange', rule: 'M3', blockSize: hex(m[1]), start: hex(m[2]), size: hex(m[3]) }),
    },
    {
      // mhp_range_allowed(), v5.12+: both ends as `[start-end]` with `end` exclusive (start + size).
      id: 'M4',
      pattern: whole(`Hotplug memory \\[${HEX0}-${HEX0}\\] exceeds maximum addressable range \\[${HEX0}-${HEX0}\\]`),
      valid: ascending(1, 2),
      build: (m) => ({
        kind: 'mm.notAddressable',
        rule: 'M4',
        start: hex(m[1]),
        end: hex(m[2]),
        // mhp_get_pluggable_range()'s end is inclusive.
        allowed: { start: hex(m[3]), end: hex(m[4]) + 1n },
      }),
    },
    {
      // check_hotplug_memory_addressable(), v5.8–v5.11, inside a WARN: the last byte, inclusive.
      id: 'M4-old',
      pattern: whole(`Hotplugged memory exceeds maximum addressable address, range=${HEX0}-${HEX0}, maximum=${HEX0}`),
      valid: ascending(1, 2),
      build: (m) => ({
        kind: 'mm.notAddressable',
        rule: 'M4',
        start: hex(m[1]),
        end: hex(m[2]) + 1n,
        allowed: { start: 0n, end: hex(m[3]) + 1n },
      }),
    },
    {
      // alloc_contig_range() (alloc_contig_range_noprof() with allocation profiling): pfns, end exclusive.
      id: 'M5',
      pattern: whole(`alloc_contig_range(?:_noprof)?: \\[${DIGITS}, ${DIGITS}\\) PFNs busy`),
      valid: (m) => hex(m[2]) > hex(m[1]),
      build: (m) => ({ kind: 'mm.contigBusy', rule: 'M5', start: hex(m[1]) << PAGE_SHIFT, end: hex(m[2]) << PAGE_SHIFT }),
    },
    // check_memblock_offlined_cb() (`%pa`: 0x and 16 digits): remove_memory() found the block online.
    rangeFailed('M6', `removing memory fails, because memory \\[${HEX}-${HEX}\\] is onlined`, 'mm.removeFailed', () => 'memory is online'),
    {
      // register_memory_resource(): add_memory() could not claim the range (`%016llx`, end
      // exclusive). v5.8 prints `System RAM`; later kernels the resource's name (`%s`), which
      // for virtio-mem is `System RAM (virtio_mem)`: the one pattern reads both.
      id: 'M7',
      pattern: whole(`Unable to reserve (System RAM(?: \\([\\w-]+\\))?) region: ${DIGITS}->${DIGITS}`),
      valid: (m) => hex(m[3]) > hex(m[2]),
      build: (m) => ({ kind: 'mm.addFailed', rule: 'M7', start: hex(m[2]), end: hex(m[3]), reason: `${m[1]} region busy` }),
    },
  ],
};
