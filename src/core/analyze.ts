/**
 * The whole analysis: merge the inputs, replay them through the model, report findings under
 * root causes. With `whatIf`, the same inputs are replayed again with policies forced, and the
 * difference says which findings the policies would have prevented or caused.
 */
import { Analyzer } from './diagnose/analyzer';
import { codeInfo } from './diagnose/catalog';
import { type Finding, findingKey, type RootCause } from './diagnose/finding';
import { buildReport, type InputFacts } from './diagnose/report';
import type { HotplugEvent } from './events';
import type { InputSource, InputSummary } from './ingest';
import type { DeviceSnapshot } from './model/device';
import type { Geometry } from './model/geometry';
import type { ChangeObserver } from './model/history';
import type { Policies, PolicyEvidence, PolicyName } from './model/policy';
import { type Alignment, type MergeOptions, type MergeReport, mergeInputs } from './merge/index';

/** What a viewer wants kept beyond findings (the editor's hover and tree, the timeline). */
export interface Observers {
  /** Told of every run of subblocks the model touched. */
  history?: ChangeObserver;
  /** Sees every event in merged order. */
  event?: (e: HotplugEvent) => void;
  /** Keep each device's last subblock states in `Analysis.states`. */
  finalState?: boolean;
}

export interface AnalysisOptions extends MergeOptions {
  observe?: Observers;
  /** Policies taken as given instead of inferred (`--policy`). */
  policies?: Partial<Policies>;
  /** Policies to try (`--what-if`): the analysis is redone with them forced. */
  whatIf?: Partial<Policies>;
}

export interface Analysis {
  inputs: InputSummary[];
  alignment: Alignment[];
  devices: Geometry[];
  findings: Finding[];
  rootCauses: RootCause[];
  policies: Array<{ name: PolicyName } & PolicyEvidence>;
  summary: { errors: number; warnings: number; infos: number };
  whatIf?: { policies: Partial<Policies>; removed: Finding[]; added: Finding[] };
  /** With `observe.finalState`: each device's subblocks as the logs left them. */
  states?: DeviceSnapshot[];
}

/** A clock may step back a little (timestamps of different CPUs); more is a log pasted out of order. */
const BACKWARDS_TOLERANCE_US = 1_000_000;

/** Watches one input for signs that it is incomplete (HPL015). */
export class CompletenessWatch {
  backwards?: { input: number; line: number };
  midStream?: { device: string; at: { input: number; line: number } };
  hasQemu = false;
  private lastBoot = Number.NEGATIVE_INFINITY;
  private readonly probed = new Set<string>();
  private readonly seen = new Set<string>();

  see(e: HotplugEvent): void {
    const at = { input: e.input, line: e.source.line };
    if (e.time?.clock === 'boot') {
      if (e.time.micros < this.lastBoot - BACKWARDS_TOLERANCE_US) this.backwards ??= at;
      if (e.time.micros > this.lastBoot) this.lastBoot = e.time.micros;
    }
    if (!this.hasQemu && e.kind.startsWith('qemu.')) this.hasQemu = true;
    if (e.kind === 'vmem.geometry' || e.kind === 'vmem.notice' || e.kind === 'vmem.probeFailed') this.probed.add(e.device);
    else if (e.kind.startsWith('vmem.') && 'device' in e && !this.seen.has(e.device)) {
      this.seen.add(e.device);
      const startedWithPlugged = e.kind === 'vmem.size' && e.which === 'plugged' && e.size > 0n;
      if (!this.probed.has(e.device) && (startedWithPlugged || e.kind !== 'vmem.size')) this.midStream ??= { device: e.device, at };
    }
  }

  /** `told`: what the analysis found wrong in the input's lines themselves (impossible values). */
  facts(summary: InputSummary, index: number, told: InputFacts['incomplete'] = []): InputFacts {
    const incomplete: InputFacts['incomplete'] = [...told];
    if (this.midStream) {
      incomplete.push({ reason: `it starts mid-stream (no probe lines for ${this.midStream.device} before its first state)`, at: this.midStream.at });
    }
    const wraps = summary.rejoined;
    if (wraps > 0) {
      incomplete.push({
        reason: `${wraps} record${wraps > 1 ? 's were' : ' was'} wrapped across lines and rejoined`,
        ...(summary.firstRejoinedLine !== undefined ? { at: { input: index, line: summary.firstRejoinedLine } } : {}),
      });
    }
    if (this.backwards) incomplete.push({ reason: 'its clock jumps backwards', at: this.backwards });
    if (summary.unparsed > 0) {
      const first = summary.unparsedLines[0];
      incomplete.push({
        reason: `${summary.unparsed} line${summary.unparsed > 1 ? 's look' : ' looks'} relevant but match${summary.unparsed > 1 ? '' : 'es'} no known format`,
        ...(first ? { at: { input: index, line: first.line } } : {}),
      });
    }
    if (summary.truncatedLines > 0) incomplete.push({ reason: `${summary.truncatedLines} over-long lines were truncated` });
    return { path: summary.path, incomplete, hasQemu: this.hasQemu };
  }
}

async function replay(sources: InputSource[], options: AnalysisOptions, forced: Partial<Policies>, whatIf: boolean, observe: Observers = {}): Promise<Analysis> {
  const analyzer = new Analyzer({ forced, whatIf });
  analyzer.model.observer = observe.history;
  const watches = sources.map(() => new CompletenessWatch());
  const it = mergeInputs(sources, options);
  const seeEvent = observe.event;
  let step = await it.next();
  while (!step.done) {
    for (const event of step.value) {
      watches[event.input].see(event);
      seeEvent?.(event);
      analyzer.event(event);
    }
    step = await it.next();
  }
  analyzer.finish();
  return analysisOf(analyzer, watches, step.value, observe.finalState === true);
}

/**
 * What an analyzer has found so far, as an analysis: the findings under their root causes.
 * The replay asks this at any position; `replay` above at the end, after `finish()`.
 */
export function analysisOf(analyzer: Analyzer, watches: CompletenessWatch[], merge: MergeReport, finalState = false): Analysis {
  const devices = [...analyzer.model.devices.values()].map((d) => d.describe());
  const byId = new Map(devices.map((g) => [g.device, g]));
  const { findings, rootCauses } = buildReport(analyzer.drafts, {
    inputs: merge.inputs.map((summary, i) => watches[i].facts(summary, i, analyzer.impossibleValues.filter((r) => r.at.input === i))),
    geometry: (device) => byId.get(device),
  }, analyzer.omitted);
  // Counted findings that were not kept count too.
  const count = (severity: string) =>
    findings.filter((f) => f.severity === severity).length +
    [...analyzer.omitted.values()].filter((o) => codeInfo(o.code).severity === severity).reduce((n, o) => n + o.count, 0);
  return {
    inputs: merge.inputs,
    alignment: merge.alignment,
    devices,
    findings,
    rootCauses,
    policies: [...analyzer.policyEvidence].map(([name, evidence]) => ({ name, ...evidence })),
    summary: { errors: count('error'), warnings: count('warning'), infos: count('info') },
    ...(finalState
      ? { states: [...analyzer.model.devices.values()].flatMap((d) => d.snapshot() ?? []) }
      : {}),
  };
}

/** Which findings a replay with other policies no longer has, and which it has in addition (check --what-if, the replay's policies). */
export function findingsDiff(asLogged: readonly Finding[], tried: readonly Finding[]): { removed: Finding[]; added: Finding[] } {
  const before = new Set(asLogged.map(findingKey));
  const after = new Set(tried.map(findingKey));
  return { removed: asLogged.filter((f) => !after.has(findingKey(f))), added: tried.filter((f) => !before.has(findingKey(f))) };
}

export async function analyze(sources: InputSource[], options: AnalysisOptions = {}): Promise<Analysis> {
  const forced = options.policies ?? {};
  const whatIf = options.whatIf ?? {};
  const trying = Object.keys(whatIf).length > 0;
  // Viewers watch the run whose findings they are shown: the what-if one when there is one.
  const asLogged = await replay(sources, options, forced, false, trying ? {} : options.observe);
  if (!trying) return asLogged;
  const tried = await replay(sources, options, { ...forced, ...whatIf }, true, options.observe);
  return { ...tried, whatIf: { policies: whatIf, ...findingsDiff(asLogged.findings, tried.findings) } };
}
