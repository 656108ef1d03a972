import { type FindingDefinition, withRemedies } from './definition';

export interface IncompleteFacts {
  path: string;
  reasons: string[];
}

export const HPL015: FindingDefinition<IncompleteFacts> = withRemedies<IncompleteFacts>({
  code: 'HPL015',
  name: 'log-incomplete',
  severity: 'info',
  cause: 'log',
  confidence: 'certain',
  title: 'log incomplete',
  help:
    'The input starts mid-stream, wraps lines, jumps backwards in time, holds lines that look relevant but match no ' +
    'known format, or gives a value no driver could run with (a corrupt geometry line: a subblock size below a page, a ' +
    'region that wraps around 2^64), which is then ignored. States it leaves unexplained are unknown.',
  message: (facts) => `${facts.path} is incomplete: ${facts.reasons.join('; ')}.`,
  why: () => 'States the log does not show are unknown; findings drawn from inferred states are less certain.',
  remedies: () => [],
});
