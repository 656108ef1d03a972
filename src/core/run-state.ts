/**
 * One run of the analysis, one event at a time: the analyzer and, per input, the watch for
 * signs that the input is incomplete (HPL015). The whole analysis (`analyze`) applies every
 * event and asks for the result once; the replay cursor applies them one by one, copies the
 * state for its snapshots and asks at any position. Both step alike because both step here.
 */
import { Analyzer } from './diagnose/analyzer';
import { codeInfo } from './diagnose/catalog';
import { type Finding, findingKey, type RootCause } from './diagnose/finding';
import { CompletenessWatch, incompleteDrafts } from './diagnose/completeness';
import { buildReport } from './diagnose/report';
import type { HotplugEvent } from './events';
import type { InputSummary } from './ingest';
import type { Alignment, MergeReport } from './merge/index';
import type { DeviceSnapshot } from './model/device';
import type { Geometry } from './model/geometry';
import type { Policies, PolicyEvidence, PolicyName } from './model/policy';

export interface Analysis {
  inputs: InputSummary[];
  alignment: Alignment[];
  devices: Geometry[];
  findings: Finding[];
  rootCauses: RootCause[];
  policies: Array<{ name: PolicyName } & PolicyEvidence>;
  summary: { errors: number; warnings: number; infos: number };
  whatIf?: { policies: Partial<Policies>; removed: Finding[]; added: Finding[] };
  /** With `finalState`: each device's subblocks as the logs left them. */
  states?: DeviceSnapshot[];
}

export interface RunOptions {
  /** Policies taken as given instead of inferred (`--policy`, the replay's `policies`). */
  forced?: Partial<Policies>;
  /** Replaying to see what forced policies would have prevented (the what-if rows apply). */
  whatIf?: boolean;
}

/**
 * The state of a run after some events. Plain fields only (no closures, no streams): the replay
 * deep-copies it for its snapshots (replay/clone.ts).
 */
export class RunState {
  readonly analyzer: Analyzer;
  /** One per input: the signs that it is incomplete, as seen so far. */
  readonly watches: CompletenessWatch[];

  constructor(inputs: number, options: RunOptions = {}) {
    this.analyzer = new Analyzer({ forced: options.forced ?? {}, whatIf: options.whatIf === true });
    this.watches = Array.from({ length: inputs }, () => new CompletenessWatch());
  }

  apply(event: HotplugEvent): void {
    this.watches[event.input].see(event);
    this.analyzer.event(event);
  }

  /** The analyzer's last word, once the inputs have ended; the state takes no more events after it. */
  finish(): void {
    this.analyzer.finish();
  }

  /**
   * What the run has found so far, as an analysis: the findings under their root causes. The
   * finished result after `finish()`; `merge` is the report of the merge that gave the events.
   */
  analysis(merge: MergeReport, finalState = false): Analysis {
    const { analyzer, watches } = this;
    const devices = [...analyzer.model.devices.values()].map((d) => d.describe());
    const byId = new Map(devices.map((g) => [g.device, g]));
    const inputs = merge.inputs.map((summary, i) => watches[i].facts(summary, i, analyzer.impossibleValues.filter((r) => r.at.input === i)));
    const { findings, rootCauses } = buildReport([...analyzer.drafts, ...incompleteDrafts(inputs)], {
      inputs,
      geometry: (device) => byId.get(device),
      platform: analyzer.platform.platform,
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
      // Every policy in dispute is about private memory: without a confidential guest only those given count.
      policies: [...analyzer.policyEvidence].filter(([, evidence]) => analyzer.coco || evidence.how === 'forced').map(([name, evidence]) => ({ name, ...evidence })),
      summary: { errors: count('error'), warnings: count('warning'), infos: count('info') },
      ...(finalState
        ? { states: [...analyzer.model.devices.values()].flatMap((d) => d.snapshot() ?? []) }
        : {}),
    };
  }
}

/** Which findings a run with other policies no longer has, and which it has in addition (check --what-if, the replay's what-if). */
export function findingsDiff(asLogged: readonly Finding[], tried: readonly Finding[]): { removed: Finding[]; added: Finding[] } {
  const before = new Set(asLogged.map(findingKey));
  const after = new Set(tried.map(findingKey));
  return { removed: asLogged.filter((f) => !after.has(findingKey(f))), added: tried.filter((f) => !before.has(findingKey(f))) };
}
