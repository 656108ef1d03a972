import { type FindingDefinition, rangeText, withRemedies } from './definition';

/** TDG.MEM.PAGE.RELEASE exists on TDX only (the L-REL RFC): the words are TDX's. */
export const HPL017: FindingDefinition = withRemedies({
  code: 'HPL017',
  name: 'release-failed',
  severity: 'error',
  cause: 'guest-kernel',
  confidence: 'likely',
  title: 'guest RELEASE of accepted memory failed',
  help:
    '`tdx: Failed to release memory [a, b)` (TDG.MEM.PAGE.RELEASE, L-REL RFC): the guest could not return accepted memory ' +
    'to PENDING before unplug; the driver typically marks the device broken, and a failed re-accept panics the guest.',
  message: (_facts, place) => `The guest could not RELEASE ${rangeText(place)} before unplug (TDG.MEM.PAGE.RELEASE failed).`,
  why: () => 'RELEASE needs a TD configured with TDCS_CONFIG_PAGE_RELEASE; when it fails the driver gives up on the device.',
  remedies: () => [],
});
