/**
 * The "Explain" page of a root cause, as Markdown: what happened, the evidence quoted with
 * links, whose fault it most likely is and why, what each alternative argued upstream would
 * have changed (answered by replaying with that policy), and what to collect next.
 */
import { causeText } from './catalog';
import type { Finding, Location, RootCause } from './finding';

export interface WhatIfAnswer {
  /** `vmm.discardPrivate=yes` */
  policy: string;
  meaning: string;
  /** Findings of this root cause that remain when the logs are replayed with the policy. */
  remaining: number;
  /** Findings the replay adds elsewhere. */
  added: number;
}

export interface ExplainInput {
  rootCause: Omit<RootCause, 'findings'> & { findingCount: number };
  findings: Finding[];
  /** Quoted log text by `input:line`. */
  quotes: Map<string, string>;
  /** A link target for a place in the inputs. */
  link: (at: Location) => string;
  whatIf: WhatIfAnswer[];
}

/** Quoted log text may hold anything: inline code with a fence longer than any backtick run in it. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${text} ${fence}`;
}

/** Link text is the file name and line: escaped so that a path cannot close the link. */
function linkText(text: string): string {
  return text.replace(/[\\[\]()*_`<>]/g, (ch) => `\\${ch}`);
}

function place(input: ExplainInput, at: Location): string {
  const quote = input.quotes.get(`${at.input}:${at.line}`);
  const name = at.path.split('/').pop() ?? at.path;
  return `[${linkText(`${name}:${at.line}`)}](${input.link(at)})${quote !== undefined ? ` ${code(quote)}` : ''}`;
}

export function explainPage(input: ExplainInput): string {
  const r = input.rootCause;
  const out: string[] = [];
  out.push(`# ${r.code} ${r.title}`, '');
  out.push(`**Most likely cause:** ${causeText(r.cause, r.otherCauses)} (${r.confidence}) · ${r.findingCount} finding${r.findingCount === 1 ? '' : 's'}`, '');
  out.push('## What happened', '', r.summary, '');
  out.push('## Evidence', '');
  for (const f of input.findings) {
    out.push(`- ${place(input, f.location)}  `, `  ${f.code} ${f.message}`);
    for (const rel of f.related) out.push(`  - ${place(input, rel)}: ${rel.message}`);
  }
  if (r.omitted > 0) out.push(`- …and ${r.omitted} more findings of the same kind, counted but not listed.`);
  out.push('', '## Why this is the cause', '', r.why, '');
  if (r.wouldNotHappenIf.length > 0) {
    out.push('## What each party could have done', '', 'From the upstream discussion, this would not have happened if:', '');
    for (const alt of r.wouldNotHappenIf) out.push(`- ${alt}`);
    out.push('');
  }
  if (input.whatIf.length > 0) {
    out.push('## What if', '', 'The same logs replayed with one disputed policy changed:', '');
    out.push('| Policy | Meaning | Findings of this cause left | New findings |', '|---|---|---|---|');
    for (const w of input.whatIf) {
      out.push(`| \`${w.policy}\` | ${w.meaning} | ${w.remaining} of ${r.findingCount}${w.remaining === 0 ? ' (prevented)' : ''} | ${w.added} |`);
    }
    out.push('');
  }
  if (r.toConfirm) out.push('## To confirm', '', r.toConfirm, '');
  return `${out.join('\n')}\n`;
}
