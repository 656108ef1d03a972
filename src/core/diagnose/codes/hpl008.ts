import { type FindingDefinition, withRemedies } from './definition';

/** What virtio_mem_run_wq's errno says about the failure behind it. */
const MEANING: Record<number, string> = {
  [-22]: 'EINVAL: the device answered ERROR, or a RELEASE failed',
  [-5]: 'EIO: converting plugged memory to private failed (accept)',
  [-12]: 'ENOMEM: an unexpected answer or allocation failure',
};

export const HPL008: FindingDefinition<{ errno: number }> = withRemedies<{ errno: number }>({
  code: 'HPL008',
  name: 'device-broken',
  severity: 'error',
  cause: 'guest-kernel',
  confidence: 'certain',
  title: 'virtio-mem device marked broken',
  help: '`unknown error, marking device broken: N`: the driver stops serving requests for this device until it is reloaded.',
  message: (facts, place) =>
    `${place.device} is marked broken (${facts.errno}, ${MEANING[facts.errno] ?? 'unexpected error'}): the driver stops serving plug and unplug requests.`,
  why: () => 'virtio_mem_run_wq marks the device broken on any error it does not retry; from then on the work queue returns at once.',
  remedies: () => [{ text: 'the error behind it had not happened (see the related lines)' }],
});
