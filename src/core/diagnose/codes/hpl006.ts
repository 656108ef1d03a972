import { type FindingDefinition, withRemedies } from './definition';

export const HPL006: FindingDefinition = withRemedies({
  code: 'HPL006',
  name: 'memory-leaked',
  severity: 'warning',
  cause: 'guest-kernel',
  confidence: 'likely',
  title: 'memory leaked after failed unplug',
  help: '`CoCo set_encrypted failed, leaking memory`: the unplug failed and re-accepting failed; the subblock stays plugged and unusable.',
  message: (_facts, place) =>
    `${place.device ?? 'The device'}: unplugging failed and converting the memory back to private failed too; the subblock stays plugged, fake-offline and unusable (leaked).`,
  why: () => 'After a failed UNPLUG the CoCo RFC re-encrypts the memory; when that fails too the subblock cannot be used or unplugged again.',
  remedies: () => [{ text: 'the UNPLUG had not failed (no migration running)' }, { text: 'the re-accept succeeded' }],
});
