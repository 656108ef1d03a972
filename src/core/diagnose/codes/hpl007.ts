import { type FindingDefinition, rangeText, withRemedies } from './definition';

export type RefusalFacts =
  /** QEMU traced its ERROR answer. */
  | { seen: 'qemuAnswer'; op: 'plug' | 'unplug' | 'unplugAll' }
  /** The guest driver logged -EINVAL for its request. */
  | { seen: 'driver'; request: 'an UNPLUG_ALL' | 'a PLUG' | 'an UNPLUG' | 'a request' }
  /** QEMU found the request itself malformed. */
  | { seen: 'malformed'; detail: string };

export const HPL007: FindingDefinition<RefusalFacts> = withRemedies<RefusalFacts>({
  code: 'HPL007',
  name: 'protocol-error',
  severity: 'error',
  cause: 'vmm',
  confidence: 'certain',
  title: 'virtio-mem protocol error',
  joins: 'sameRange',
  help:
    'A request was answered ERROR (double plug, double unplug, misaligned, outside the usable region) or QEMU reported a ' +
    '`virtio-mem protocol violation`.',
  message(facts, place) {
    switch (facts.seen) {
      case 'qemuAnswer': {
        if (facts.op === 'unplugAll') {
          return 'QEMU answered ERROR to an UNPLUG_ALL, which the virtio-mem specification answers only with ACK or BUSY: device and driver disagree about the request.';
        }
        const plug = facts.op === 'plug';
        return `QEMU answered ERROR to ${plug ? 'a PLUG' : 'an UNPLUG'} of ${rangeText(place)}: the range is not entirely ${plug ? 'unplugged' : 'plugged'} in the device (double ${facts.op}), misaligned or outside the usable region.`;
      }
      case 'driver':
        return `${place.device}: the device answered ERROR to ${facts.request}${place.range ? ` of ${rangeText(place)}` : ''}: driver and device disagree about which blocks are plugged, or the range is invalid.`;
      case 'malformed':
        return `QEMU saw a malformed virtio-mem request (${facts.detail}) and marked the device broken.`;
    }
  },
  why: () => 'The device refuses requests for ranges that are not entirely in the opposite state, misaligned, or outside the usable region.',
  remedies: () => [{ text: 'driver and device agreed on the plugged blocks (no migration with mismatched state, no device reset behind the driver)' }],
});
