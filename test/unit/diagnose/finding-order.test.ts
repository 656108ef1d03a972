/**
 * A finding's identity across two replays and the order findings are reported in
 * (diagnose/finding.ts, and the what-if difference of run-state.ts built on it).
 */
import { strict as assert } from 'node:assert';
import { compareFindings, type Finding, findingKey, lessSure } from '../../../src/core/diagnose/finding';
import { findingsDiff } from '../../../src/core/run-state';

function finding(code: string, line: number, sequence: number, range?: [bigint, bigint], severity: Finding['severity'] = 'error'): Finding {
  return {
    code,
    name: 'n',
    severity,
    cause: 'vmm',
    confidence: 'likely',
    message: 'm',
    location: { input: 0, path: 'guest.log', line },
    ...(range ? { range: { start: range[0], end: range[1] } } : {}),
    related: [],
    rule: 'P1',
    rootCause: 'RC1',
    sequence,
  };
}

describe('finding identity and order', () => {
  it('a finding is the same across replays by code, input, line and range, whatever its words', () => {
    assert.equal(findingKey(finding('HPL001', 16, 3, [0x108000000n, 0x110000000n])), 'HPL001|0|16|4429185024-4563402752');
    assert.equal(findingKey(finding('HPL015', 1, 0)), 'HPL015|0|1|');
  });

  it('the what-if difference: removed and added findings, one moved range is both', () => {
    const before = [finding('HPL001', 16, 3, [0x108000000n, 0x110000000n]), finding('HPL005', 7, 1, [0x108000000n, 0x110000000n])];
    const after = [finding('HPL001', 16, 3, [0x108000000n, 0x10c000000n]), { ...finding('HPL005', 7, 9, [0x108000000n, 0x110000000n]), message: 'other words' }];
    const diff = findingsDiff(before, after);
    assert.deepEqual(diff.removed, [before[0]]);
    assert.deepEqual(diff.added, [after[0]]);
  });

  it('errors first, then in the order things happened, then by code', () => {
    const list = [finding('HPL016', 9, 1, undefined, 'info'), finding('HPL005', 7, 5, undefined, 'warning'), finding('HPL007', 8, 4), finding('HPL001', 16, 2), finding('HPL003', 16, 2)];
    assert.deepEqual(
      [...list].sort(compareFindings).map((f) => f.code),
      ['HPL001', 'HPL003', 'HPL007', 'HPL005', 'HPL016'],
    );
    assert.ok(compareFindings(finding('HPL007', 1, 2), finding('HPL007', 1, 5)) < 0);
    assert.ok(compareFindings(finding('HPL007', 1, 5), finding('HPL007', 1, 2)) > 0);
  });

  it('one step less sure, and never below possible', () => {
    assert.deepEqual(
      (['certain', 'likely', 'possible'] as const).map(lessSure),
      ['likely', 'possible', 'possible'],
    );
  });
});
