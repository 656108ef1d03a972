import { hexString as hex } from '../../text/hex';
import { errnoText } from '../../text/errno';
import { type FindingDefinition, rangeText, withRemedies } from './definition';

/** The first page the kernel could not move, as `migrating pfn … failed` and dump_page() tell it. */
export interface StuckPage {
  pfn: bigint;
  step: 'migrate' | 'isolate';
  ret?: number;
  refcount?: number;
  mapcount?: number;
}

export type StallFacts =
  /** The guest could not offline or remove memory the device was asked to unplug. */
  | { side: 'unplug'; step: string; errno: number; times: number; page?: StuckPage }
  /** The guest could not add memory the device was asked to plug. */
  | { side: 'add'; reason: string; errno?: number; times: number };

export const HPL018: FindingDefinition<StallFacts> = withRemedies({
  code: 'HPL018',
  name: 'resize-stalled',
  severity: 'warning',
  cause: 'guest-kernel',
  confidence: 'likely',
  title: 'device does not reach its requested size',
  help:
    'The device does not reach its requested size and the logs say why: the guest cannot offline or unplug memory ' +
    '(`offlining and removing memory failed: -16`, `migrating pfn … failed`, unmovable or pinned pages), or cannot add it ' +
    '(`Some device memory is not addressable/pluggable`, a range beyond what the kernel can map, `-ENOSPC`).',
  message(facts, place) {
    const device = place.device ?? 'The device';
    const times = facts.times > 1 ? `, ${facts.times} times` : '';
    if (facts.side === 'add') {
      return `${device} cannot add ${place.range ? rangeText(place) : 'memory'}${facts.errno !== undefined ? ` (${errnoText(facts.errno)})` : ''}${times}: ${facts.reason}; it stays below its requested size.`;
    }
    const p = facts.page;
    const page = p
      ? `: the page at pfn ${hex(p.pfn)} could not be ${p.step === 'migrate' ? 'migrated' : 'isolated'}${p.ret !== undefined ? ` (ret ${p.ret})` : ''}${p.refcount !== undefined ? `, refcount ${p.refcount}${p.mapcount !== undefined ? `, mapcount ${p.mapcount}` : ''}` : ''}`
      : '';
    return `${device} cannot unplug ${place.range ? rangeText(place) : 'memory'}: ${facts.step} failed with ${errnoText(facts.errno)}${times}${page}; it stays above its requested size.`;
  },
  why: (_platform, facts) =>
    facts?.side === 'add'
      ? 'The guest adds plugged memory to Linux only where the kernel can map it and the memory block fits; memory beyond the addressable range (the VM\'s physical address bits, maxmem) stays unusable however much is plugged.'
      : 'To unplug online memory the guest must offline it first, migrating every page away; pages that cannot move (pinned for DMA, in use by the kernel, memory onlined to ZONE_NORMAL) make offlining fail with -EBUSY, and the driver retries later.',
  // No policy models these worlds: the remedies are advice, not what-ifs.
  remedies: (_platform, facts) =>
    facts?.side === 'add'
      ? [{ text: 'the device region lay within what the guest can address (more physical address bits, or a smaller maxmem)' }]
      : [
          { text: 'the memory was onlined to ZONE_MOVABLE (memhp_default_state=online_movable, or the virtio_mem online policy)' },
          { text: 'nothing pinned the pages (no long-term DMA pins in that range)' },
        ],
});
