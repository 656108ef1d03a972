/**
 * The Explain page of a root cause (explainPage), built from a real analysis of the bundled
 * example: its headings, the cause in words, the evidence linked through the given link
 * function and quoted, the what-if table; and that quoted log text and file names cannot break
 * the Markdown (backticks in quotes, `](` in paths).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Analysis, analyze } from '../../../src/core/analyze';
import { type ExplainInput, explainPage, type WhatIfAnswer } from '../../../src/core/diagnose/explain-page';
import type { Finding, Location } from '../../../src/core/diagnose/finding';
import { fileSource } from '../../../src/node/inputs';

const EXAMPLE = join(__dirname, '..', '..', '..', '..', 'examples', 'tdx-replug-failure');
const PATHS = [join(EXAMPLE, 'guest.log'), join(EXAMPLE, 'qemu.log')];

const link = (at: Location): string => `vscode://file/input${at.input}#L${at.line}`;

const WHAT_IF: WhatIfAnswer[] = [
  { policy: 'vmm.discardPrivate=yes', meaning: 'the VMM discards private pages on UNPLUG', remaining: 0, added: 0 },
  { policy: 'guest.releaseOnUnplug=yes', meaning: 'the guest releases before unplug', remaining: 3, added: 2 },
];

let analysis: Analysis;

/** The page input for the first root cause of the example, quoting every line its findings point at. */
function exampleInput(whatIf: WhatIfAnswer[] = WHAT_IF): ExplainInput {
  const { findings, ...rootCause } = analysis.rootCauses[0];
  const lines = PATHS.map((p) => readFileSync(p, 'utf8').split('\n'));
  const quotes = new Map<string, string>();
  for (const f of findings) for (const at of [f.location, ...f.related]) quotes.set(`${at.input}:${at.line}`, lines[at.input][at.line - 1]);
  return { rootCause: { ...rootCause, findingCount: findings.length + rootCause.omitted }, findings, quotes, link, whatIf };
}

/** A minimal page input around one finding at `location`, quoting `quote` there. */
function oneFinding(location: Location, quote?: string): ExplainInput {
  const finding: Finding = {
    code: 'HPL001',
    name: 'reaccept-after-unplug',
    severity: 'error',
    cause: 'vmm',
    confidence: 'likely',
    message: 'Accepting failed.',
    rule: 'online-accept',
    location,
    related: [],
    rootCause: 'RC1',
    sequence: 0,
  };
  return {
    rootCause: {
      id: 'RC1',
      code: 'HPL001',
      title: 're-accept after unplug',
      cause: 'vmm',
      confidence: 'likely',
      summary: 'It failed.',
      why: 'Because.',
      wouldNotHappenIf: [],
      omitted: 0,
      findingCount: 1,
    },
    findings: [finding],
    quotes: quote === undefined ? new Map() : new Map([[`${location.input}:${location.line}`, quote]]),
    link,
    whatIf: [],
  };
}

/** The lines of a page under the `## heading`, up to the next heading. */
function section(page: string, heading: string): string[] {
  const lines = page.split('\n');
  const start = lines.indexOf(`## ${heading}`);
  assert.ok(start >= 0, `no section ${heading}`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('#'));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describe('the Explain page', () => {
  before(async () => {
    analysis = await analyze(await Promise.all(PATHS.map((p) => fileSource(p))));
  });

  it('the example has a VMM root cause with findings to explain', () => {
    const rc = analysis.rootCauses[0];
    assert.equal(rc.code, 'HPL001');
    assert.equal(rc.cause, 'vmm');
    assert.ok(rc.findings.length > 1);
  });

  it('has the title, the cause in words with the finding count, and its sections in order', () => {
    const input = exampleInput();
    const page = explainPage(input);
    const r = input.rootCause;
    const lines = page.split('\n');
    assert.equal(lines[0], `# ${r.code} ${r.title}`);
    assert.equal(lines[2], `**Most likely cause:** VMM (${r.confidence}) · ${r.findingCount} findings`);
    const headings = lines.filter((l) => l.startsWith('## '));
    assert.deepEqual(headings, ['## What happened', '## Evidence', '## Why this is the cause', '## What each party could have done', '## What if', ...(r.toConfirm ? ['## To confirm'] : [])]);
    assert.ok(section(page, 'What happened').includes(r.summary));
    assert.ok(section(page, 'Why this is the cause').includes(r.why));
    for (const alt of r.wouldNotHappenIf) assert.ok(section(page, 'What each party could have done').includes(`- ${alt}`));
    assert.ok(page.endsWith('\n'));
  });

  it('links and quotes every finding and every related line of the evidence', () => {
    const input = exampleInput();
    const evidence = section(explainPage(input), 'Evidence');
    for (const f of input.findings) {
      const at = f.location;
      const name = at.path.split('/').pop();
      const quote = input.quotes.get(`${at.input}:${at.line}`);
      const item = evidence.indexOf(`- [${name}:${at.line}](${link(at)}) \` ${quote} \`  `);
      assert.ok(item >= 0, `no evidence item for ${name}:${at.line}`);
      assert.equal(evidence[item + 1], `  ${f.code} ${f.message}`);
      for (const rel of f.related) {
        const relName = rel.path.split('/').pop();
        const relQuote = input.quotes.get(`${rel.input}:${rel.line}`);
        assert.ok(evidence.includes(`  - [${relName}:${rel.line}](${link(rel)}) \` ${relQuote} \`: ${rel.message}`), `no related line ${relName}:${rel.line}`);
      }
    }
  });

  it('quotes guest.log:22, the first failed accept, linked to its place', () => {
    const page = explainPage(exampleInput());
    assert.ok(
      page.includes('- [guest.log:22](vscode://file/input0#L22) ` [ 5714.676296] tdx: Failed to accept memory [0x108000000, 0x110000000) `'),
      page,
    );
  });

  it('writes a what-if row per answer, marking (prevented) only when no finding remains', () => {
    const input = exampleInput();
    const n = input.rootCause.findingCount;
    const rows = section(explainPage(input), 'What if').filter((l) => l.startsWith('| `'));
    assert.deepEqual(rows, [
      `| \`vmm.discardPrivate=yes\` | the VMM discards private pages on UNPLUG | 0 of ${n} (prevented) | 0 |`,
      `| \`guest.releaseOnUnplug=yes\` | the guest releases before unplug | 3 of ${n} | 2 |`,
    ]);
    assert.ok(section(explainPage(input), 'What if').includes('| Policy | Meaning | Findings of this cause left | New findings |'));
  });

  it('leaves out the what-if section without answers', () => {
    const page = explainPage(exampleInput([]));
    assert.ok(!page.includes('## What if'));
    assert.ok(!page.includes('(prevented)'));
  });

  it('counts omitted findings and says "1 finding" in the singular', () => {
    const input = oneFinding({ input: 0, path: '/logs/guest.log', line: 5 }, 'x');
    assert.ok(explainPage(input).includes('**Most likely cause:** VMM (likely) · 1 finding\n'));
    const more = { ...input, rootCause: { ...input.rootCause, omitted: 4, findingCount: 5 } };
    const page = explainPage(more);
    assert.ok(page.includes('· 5 findings\n'));
    assert.ok(page.includes('- …and 4 more findings of the same kind, counted but not listed.'));
    assert.ok(!explainPage(input).includes('more findings of the same kind'));
  });

  it('leaves out the quote of a line it has no text for', () => {
    const evidence = section(explainPage(oneFinding({ input: 0, path: '/logs/guest.log', line: 5 })), 'Evidence');
    assert.equal(evidence[1], `- [guest.log:5](${link({ input: 0, path: '', line: 5 })})  `);
  });

  describe('safety of quoted text and file names', () => {
    for (const quote of ['a`b``c', '```a`b``c```', '`', 'x ```` y']) {
      it(`fences the quote ${quote} with a backtick run longer than any inside it`, () => {
        const evidence = section(explainPage(oneFinding({ input: 0, path: '/logs/guest.log', line: 5 }, quote)), 'Evidence');
        const item = evidence[1];
        const prefix = `- [guest.log:5](${link({ input: 0, path: '', line: 5 })}) `;
        assert.ok(item.startsWith(prefix), item);
        const span = item.slice(prefix.length, -2);
        const fence = /^`+/.exec(span)?.[0] ?? '';
        const longestInside = Math.max(...(quote.match(/`+/g) ?? ['']).map((run) => run.length));
        assert.equal(fence.length, longestInside + 1);
        assert.equal(span, `${fence} ${quote} ${fence}`);
        assert.ok(item.endsWith('  '), 'the Markdown line break after the quote is kept');
      });
    }

    it('escapes a file name with ](, brackets, parentheses and emphasis characters in the link text', () => {
      const at = { input: 0, path: '/tmp/evil](javascript:x)[*_`<b>\\.log', line: 7 };
      const evidence = section(explainPage(oneFinding(at)), 'Evidence');
      assert.equal(evidence[1], `- [evil\\]\\(javascript:x\\)\\[\\*\\_\\\`\\<b\\>\\\\.log:7](${link(at)})  `);
      // Nothing unescaped can close the link text before its end.
      const text = evidence[1].slice(3, evidence[1].indexOf(`](${link(at)})`));
      assert.ok(!/(?<!\\)[[\]()]/.test(text.replace(/\\\\/g, '')), text);
    });

    it('uses only the last part of a path as the link text', () => {
      const at = { input: 1, path: '/a/b/qemu.log', line: 3 };
      assert.equal(section(explainPage(oneFinding(at)), 'Evidence')[1], `- [qemu.log:3](${link(at)})  `);
    });
  });
});
