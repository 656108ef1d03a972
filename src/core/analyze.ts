/**
 * The whole analysis: merge the inputs, replay them through the model, report findings under
 * root causes. With `whatIf`, the same inputs are replayed again with policies forced, and the
 * difference says which findings the policies would have prevented or caused.
 */
import { drain } from './drain';
import type { HotplugEvent } from './events';
import type { InputSource } from './ingest';
import type { ChangeObserver } from './model/history';
import type { Policies } from './model/policy';
import { type MergeOptions, mergeInputs } from './merge/index';
import { type Analysis, findingsDiff, RunState } from './run-state';

export type { Analysis } from './run-state';

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

async function replay(sources: InputSource[], options: AnalysisOptions, forced: Partial<Policies>, whatIf: boolean, observe: Observers = {}): Promise<Analysis> {
  const run = new RunState(sources.length, { forced, whatIf });
  run.analyzer.model.observer = observe.history;
  const seeEvent = observe.event;
  const merge = await drain(mergeInputs(sources, options), (batch) => {
    for (const event of batch) {
      // The viewer sees the event before the model changes for it: the history's ordinal counts it.
      seeEvent?.(event);
      run.apply(event);
    }
  });
  run.finish();
  return run.analysis(merge, observe.finalState === true);
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
