/**
 * The Explain page (diagnose/explain-page.ts), word for word, for a root cause built by hand:
 * every section with its heading and the blank lines Markdown needs around it, the sections
 * that are left out when they have nothing to say (alternatives, what-if answers, what to
 * collect), the count of findings counted but not listed, and the singular of one finding.
 */
import { strict as assert } from 'node:assert';
import { type ExplainInput, explainPage } from '../../../src/core/diagnose/explain-page';
import type { Finding, Location } from '../../../src/core/diagnose/finding';

const link = (at: Location): string => `file:///logs/${at.path}#L${at.line}`;

const HPL005: Finding = {
  code: 'HPL005',
  name: 'unplug-without-private-discard',
  severity: 'warning',
  cause: 'vmm',
  confidence: 'likely',
  message: 'UNPLUG of [0x108000000, 0x110000000) was acknowledged, but only the shared side was discarded.',
  location: { input: 1, path: 'qemu.log', line: 7 },
  related: [{ input: 1, path: 'qemu.log', line: 8, message: 'QEMU discarded the shared side only (ram_block_discard_range)' }],
  rule: 'P1',
  rootCause: 'RC1',
  sequence: 3,
};

function input(overrides: Partial<ExplainInput['rootCause']>, whatIf: ExplainInput['whatIf'] = []): ExplainInput {
  return {
    rootCause: {
      id: 'RC1',
      code: 'HPL005',
      title: 'unplug without private discard',
      cause: 'vmm',
      confidence: 'likely',
      summary: 'virtio5 was asked to unplug to 0x8000000 (128 MiB) at line 13.',
      why: 'QEMU 9.2 serves UNPLUG with ram_block_discard_range.',
      wouldNotHappenIf: ['the VMM discarded the private plane too (QEMU master)', 'the guest converted to shared before unplug'],
      omitted: 0,
      findingCount: 1,
      ...overrides,
    },
    findings: [HPL005],
    quotes: new Map([
      ['1:7', '4321@1774365700.000100:virtio_mem_unplug_request addr=0x108000000 nb_blocks=64'],
      ['1:8', '4321@1774365700.000180:ram_block_discard_range vmem0@0x7f5a50000000 + 0x8000000: madvise: 1 fallocate: 0 ret: 0'],
    ]),
    link,
    whatIf,
  };
}

/** What happened and the evidence, as both pages show them. */
const STORY_AND_EVIDENCE = [
  '## What happened',
  '',
  'virtio5 was asked to unplug to 0x8000000 (128 MiB) at line 13.',
  '',
  '## Evidence',
  '',
  '- [qemu.log:7](file:///logs/qemu.log#L7) ` 4321@1774365700.000100:virtio_mem_unplug_request addr=0x108000000 nb_blocks=64 `  ',
  '  HPL005 UNPLUG of [0x108000000, 0x110000000) was acknowledged, but only the shared side was discarded.',
  '  - [qemu.log:8](file:///logs/qemu.log#L8) ` 4321@1774365700.000180:ram_block_discard_range vmem0@0x7f5a50000000 + 0x8000000: madvise: 1 fallocate: 0 ret: 0 `: QEMU discarded the shared side only (ram_block_discard_range)',
];

describe('the Explain page, word for word', () => {
  it('every section', () => {
    const page = explainPage(
      input({ omitted: 2, findingCount: 3, toConfirm: 'add the QEMU log' }, [
        { policy: 'vmm.discardPrivate=yes', meaning: 'the VMM discards private pages on UNPLUG', remaining: 0, added: 0 },
        { policy: 'guest.releaseOnUnplug=yes', meaning: 'the guest releases before unplug', remaining: 1, added: 2 },
      ]),
    );
    assert.equal(
      page,
      [
        '# HPL005 unplug without private discard',
        '',
        '**Most likely cause:** VMM (likely) · 3 findings',
        '',
        ...STORY_AND_EVIDENCE,
        '- …and 2 more findings of the same kind, counted but not listed.',
        '',
        '## Why this is the cause',
        '',
        'QEMU 9.2 serves UNPLUG with ram_block_discard_range.',
        '',
        '## What each party could have done',
        '',
        'From the upstream discussion, this would not have happened if:',
        '',
        '- the VMM discarded the private plane too (QEMU master)',
        '- the guest converted to shared before unplug',
        '',
        '## What if',
        '',
        'The same logs replayed with one disputed policy changed:',
        '',
        '| Policy | Meaning | Findings of this cause left | New findings |',
        '|---|---|---|---|',
        '| `vmm.discardPrivate=yes` | the VMM discards private pages on UNPLUG | 0 of 3 (prevented) | 0 |',
        '| `guest.releaseOnUnplug=yes` | the guest releases before unplug | 1 of 3 | 2 |',
        '',
        '## To confirm',
        '',
        'add the QEMU log',
        '',
        '',
      ].join('\n'),
    );
  });

  it('one finding, nothing to propose, no what-if, nothing to collect: those sections are left out', () => {
    assert.equal(
      explainPage(input({ wouldNotHappenIf: [] })),
      [
        '# HPL005 unplug without private discard',
        '',
        '**Most likely cause:** VMM (likely) · 1 finding',
        '',
        ...STORY_AND_EVIDENCE,
        '',
        '## Why this is the cause',
        '',
        'QEMU 9.2 serves UNPLUG with ram_block_discard_range.',
        '',
        '',
      ].join('\n'),
    );
  });
});
