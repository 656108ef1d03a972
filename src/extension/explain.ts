/**
 * "Explain Finding": a Markdown page about a root cause, shown in the Markdown preview. The
 * evidence lines are quoted from the logs, and each disputed policy is tried by replaying the
 * logs with it, so the page can say what each fix would have changed.
 */
import * as vscode from 'vscode';
import { explainPage, type WhatIfAnswer } from '../core/diagnose/explain-page';
import { codeInfo } from '../core/diagnose/catalog';
import { remediesNamed } from '../core/diagnose/codes/definition';
import { type Finding, findingKey, type RootCause } from '../core/diagnose/finding';
import { type Policies, POLICY_DOCS, type PolicyName, policiesText } from '../core/model/policy';
import { openInputSpec } from '../node/input-spec';
import { quoteLines } from '../node/quotes';
import type { AnalysisService, RunResult } from './analysis-service';

export const EXPLAIN_SCHEME = 'hotplug-lens-explain';

/** The policies argued about upstream: what the VMM and the guest do with accepted memory on unplug. */
const DISPUTED: PolicyName[] = ['vmm.discardPrivate', 'guest.convertSharedOnUnplug', 'guest.releaseOnUnplug'];

/**
 * What to replay for a root cause: the world of each remedy it names that a policy models (so
 * the page says whether each fix argued upstream would have prevented it); for a cause with
 * none (an unexplained failure), each disputed policy flipped from what the logs showed.
 */
function whatIfsOf(rootCause: Pick<RootCause, 'code' | 'wouldNotHappenIf'>, policies: ReadonlyArray<{ name: PolicyName; value: string }>): Array<{ policies: Partial<Policies>; meaning: string }> {
  const remedies = remediesNamed(codeInfo(rootCause.code), rootCause.wouldNotHappenIf).flatMap((r) => (r.policies ? [{ policies: r.policies, meaning: r.text }] : []));
  if (remedies.length > 0) return remedies;
  return DISPUTED.map((name) => {
    const value = policies.find((p) => p.name === name)?.value === 'yes' ? 'no' : 'yes';
    return { policies: { [name]: value }, meaning: POLICY_DOCS.find((d) => d.name === name)?.meaning ?? '' };
  });
}

export class ExplainPages implements vscode.TextDocumentContentProvider {
  private readonly pages = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly service: AnalysisService) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.pages.get(uri.toString()) ?? '# Hotplug Lens\n\nThis explanation is no longer available: run "Explain Finding" again.\n';
  }

  /** Writes the page of one root cause and returns its URI. */
  async page(result: RunResult, rootCauseId: string, token?: vscode.CancellationToken): Promise<vscode.Uri> {
    const { run, analysis } = result;
    const rootCause = analysis.rootCauses.find((r) => r.id === rootCauseId);
    if (!rootCause) throw new Error(`no root cause ${rootCauseId} in the analysis of ${run.name}`);
    const findings = analysis.findings.filter((f) => f.rootCause === rootCauseId);
    const quotes = await quoteEvidence(this.service, result, findings);
    const whatIf: WhatIfAnswer[] = [];
    for (const { policies, meaning } of whatIfsOf(rootCause, analysis.policies)) {
      if (token?.isCancellationRequested) break;
      const tried = await this.service.whatIf(run, policies);
      const removed = new Set((tried.whatIf?.removed ?? []).filter((f) => f.rootCause === rootCauseId).map(findingKey));
      whatIf.push({
        policy: policiesText(policies),
        meaning,
        remaining: rootCause.findingCount - removed.size,
        added: tried.whatIf?.added.length ?? 0,
      });
    }
    const text = explainPage({
      rootCause,
      findings,
      quotes,
      link: (at) => (run.uris[at.input] ?? vscode.Uri.file(at.path)).with({ fragment: `L${at.line}` }).toString(),
      whatIf,
    });
    const uri = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/${rootCause.code} ${rootCause.title}.md`, query: `${run.key}#${rootCauseId}` });
    this.pages.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }
}

/** The text of every line the findings point at, read again from the logs as the analysis read them. */
async function quoteEvidence(service: AnalysisService, result: RunResult, findings: Finding[]): Promise<Map<string, string>> {
  const wanted = new Map<string, Set<number>>();
  for (const at of findings.flatMap((f) => [f.location, ...f.related])) {
    const key = String(at.input);
    if (!wanted.has(key)) wanted.set(key, new Set());
    wanted.get(key)?.add(at.line);
  }
  const sources = await Promise.all(
    result.run.uris.map(async (uri, i) => (await openInputSpec({ ...(await service.inputSpec(uri)), path: String(i) })).source),
  );
  return quoteLines(sources, wanted);
}
