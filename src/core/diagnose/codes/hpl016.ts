import { type FindingDefinition, withRemedies } from './definition';

export const HPL016: FindingDefinition<{ count: number; answer: 'BUSY' | 'NACK' }> = withRemedies<{ count: number; answer: 'BUSY' | 'NACK' }>({
  code: 'HPL016',
  name: 'request-retry-storm',
  severity: 'info',
  cause: 'vmm',
  confidence: 'certain',
  title: 'requests retried many times',
  help: 'BUSY or NACK answers repeated beyond the driver’s retry pattern (migration running, requested size shrinking).',
  message: (facts, place) =>
    `${place.device}: ${facts.count} requests in a row were answered ${facts.answer} (migration running, or the requested size shrinking while the driver plugs).`,
  why: () => 'The driver retries BUSY after 50 s, doubling up to 300 s, and NACK at once; many in a row mean the device keeps refusing.',
  remedies: () => [{ text: 'the migration had finished' }, { text: 'the requested size stayed put while the driver plugged' }],
});
