import { errnoText } from '../../text/errno';
import { type FindingDefinition, withRemedies } from './definition';

export interface SetupFacts {
  /** What the driver said before it gave up, when it said anything. */
  reason?: string;
  /** The probe's errno, from the driver core's line. */
  errno?: number;
}

export const HPL019: FindingDefinition<SetupFacts> = withRemedies({
  code: 'HPL019',
  name: 'device-setup-failed',
  severity: 'error',
  cause: 'config',
  confidence: 'likely',
  title: 'device could not be set up',
  help:
    'The device could not be set up or added: driver probe failures in every wording (`probe of virtioN failed with error ' +
    '-16`, `probe with driver virtio_mem failed with error -16`, `could not reserve device region`, `reloading the driver is ' +
    'not supported`, a block size the driver cannot use), and VMM-side hot-add failures. Decodes the errno and names the ' +
    'likely configuration error.',
  message(facts, place) {
    const device = place.device ?? 'The device';
    const errno = facts.errno !== undefined ? ` (probe failed with ${errnoText(facts.errno)})` : '';
    return `${device} could not be set up${facts.reason ? `: ${facts.reason}` : ''}${errno}; none of its memory can be plugged.`;
  },
  why: () => 'The driver sets the device up once, at probe: it reserves the device region in the guest\'s physical address map and checks the block sizes; if any of that fails, the device is never used.',
  remedies: () => [],
});

/** What each driver notice that ends a probe says, and whose it is. */
export const SETUP_NOTICES: Record<string, { reason: string; cause: 'config' | 'guest-kernel' }> = {
  reserveFailed: { reason: "its region could not be reserved in the guest's physical address map (it overlaps other memory or devices)", cause: 'config' },
  reloadUnsupported: { reason: 'the driver was unloaded and loaded again, which virtio-mem does not support', cause: 'guest-kernel' },
  blockSizeTooBig: { reason: "the device's block size is bigger than the driver supports", cause: 'config' },
  bbmBlockSizeNotPowerOf2: { reason: 'the bbm_block_size module parameter is not a power of 2', cause: 'config' },
  bbmBlockSizeTooSmall: { reason: 'the bbm_block_size module parameter is smaller than the memory block size', cause: 'config' },
};
