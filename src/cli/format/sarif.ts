/** `check --format sarif`: SARIF 2.1.0, one rule per finding code, evidence as relatedLocations. */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Analysis } from '../../core/analyze';
import { CATALOG, type Severity } from '../../core/diagnose/catalog';
import type { Location } from '../../core/diagnose/finding';
import { hexString } from '../../core/text/hex';
import { VERSION } from '../version';

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

function uri(path: string): string {
  if (path === '-') return 'stdin';
  return isAbsolute(path) ? pathToFileURL(path).href : path.split('\\').join('/');
}

function physical(l: Location) {
  return { artifactLocation: { uri: uri(l.path) }, region: { startLine: l.line } };
}

export function formatSarif(a: Analysis): string {
  const rules = [...CATALOG.values()];
  const index = new Map(rules.map((r, i) => [r.code, i]));
  const doc = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'hotplug-lens',
            version: VERSION,
            rules: rules.map((r) => ({
              id: r.code,
              name: r.name,
              shortDescription: { text: r.title },
              fullDescription: { text: r.help },
              help: { text: r.help },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { cause: r.cause },
            })),
          },
        },
        artifacts: a.inputs.map((i) => ({ location: { uri: uri(i.path) } })),
        results: a.findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: index.get(f.code),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [{ physicalLocation: physical(f.location) }],
          relatedLocations: f.related.map((r, i) => ({ id: i + 1, physicalLocation: physical(r), message: { text: r.message } })),
          properties: {
            cause: f.cause,
            ...(f.otherCauses ? { otherCauses: f.otherCauses } : {}),
            confidence: f.confidence,
            rootCause: f.rootCause,
            rule: f.rule,
            ...(f.device ? { device: f.device } : {}),
            ...(f.range ? { range: { start: hexString(f.range.start), end: hexString(f.range.end) } } : {}),
          },
        })),
      },
    ],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
