import { hexString as hex } from '../../text/hex';
import { type FindingDefinition, withRemedies } from './definition';

export type SizeMismatchFacts = { seen: 'driverWarn' } | { seen: 'pluggedSize'; size: bigint; off: bigint };

export const HPL009: FindingDefinition<SizeMismatchFacts> = withRemedies<SizeMismatchFacts>({
  code: 'HPL009',
  name: 'plugged-size-mismatch',
  severity: 'warning',
  cause: 'vmm',
  confidence: 'likely',
  title: 'plugged size disagrees with the requests',
  help:
    "The device's `plugged size` disagrees with what the acknowledged requests add up to, or the driver WARNs in " +
    '`virtio_mem_refresh_config`.',
  message(facts, place) {
    if (facts.seen === 'driverWarn') {
      return 'The driver WARNs in virtio_mem_refresh_config: the device reports a plugged size different from what the driver plugged.';
    }
    return `${place.device} reports ${hex(facts.size)} plugged, ${hex(facts.off)} off from what the acknowledged requests add up to.`;
  },
  why: () => "The device's plugged size changes only through acknowledged requests; a different value means the device and the driver disagree.",
  remedies: () => [],
});
