/** Messages between the analysis worker thread and whoever started it. */
import type { Analysis } from '../core/analyze';
import type { RootCause } from '../core/diagnose/finding';
import type { DeviceSnapshot } from '../core/model/device';
import type { HistoryColumns } from '../core/model/history';
import type { Policies } from '../core/model/policy';
import type { DeviceOutline } from '../core/outline';
import type { TimelineData } from '../core/store/timeline';

import type { InputSpec } from '../node/input-spec';

export type { InputSpec };

/** The whole analysis, with what the editor needs to show it. */
export interface AnalyzeRequest {
  job: 'analyze';
  inputs: InputSpec[];
  policies?: Partial<Policies>;
  whatIf?: Partial<Policies>;
  maxLineBytes?: number;
}

/** An analysis as the editor receives it. Root causes carry their findings by count, not again. */
export interface AnalysisPayload extends Omit<Analysis, 'rootCauses' | 'states'> {
  rootCauses: Array<Omit<RootCause, 'findings'> & { findingCount: number }>;
  /** Per input: its devices and their resize phases. */
  outline: DeviceOutline[][];
  history: HistoryColumns;
  states: DeviceSnapshot[];
  /** The timeline's columns (its `history` is the same object as above). */
  timeline: TimelineData;
}

export type WorkerMessage =
  | { type: 'progress'; bytes: number; totalBytes: number }
  | { type: 'analysis'; analysis: AnalysisPayload }
  | { type: 'error'; message: string };
