/**
 * One analysis with everything a view keeps beyond the findings: the history of every state
 * change, the outline, each device's last states and the timeline's columns. The editor's
 * worker and the standalone report both run it, so both show the same run the same way.
 */
import { type Analysis, type AnalysisOptions, analyze } from './analyze';
import type { InputSource } from './ingest';
import { type HistoryColumns, HistoryRecorder, MAX_HISTORY_RECORDS } from './model/history';
import { type DeviceOutline, OutlineCollector } from './outline';
import { EventTableRecorder } from './store/event-table';
import { buildIntervals } from './store/intervals';
import { placeFindings, type TimelineData } from './store/timeline';

export interface ViewAnalysis {
  analysis: Analysis;
  history: HistoryColumns;
  /** Per input: its devices and their resize phases. */
  outline: DeviceOutline[][];
  timeline: TimelineData;
}

export async function analyzeForViews(sources: InputSource[], options: Omit<AnalysisOptions, 'observe'> = {}): Promise<ViewAnalysis> {
  const events = new EventTableRecorder();
  const recorder = new HistoryRecorder(MAX_HISTORY_RECORDS, () => events.count - 1);
  const outline = new OutlineCollector();
  const analysis = await analyze(sources, {
    ...options,
    observe: {
      history: recorder,
      event: (e) => {
        outline.see(e);
        events.see(e);
      },
      finalState: true,
    },
  });
  const history = recorder.columns();
  const eventColumns = events.columns(analysis.alignment.find((a) => a.method === 'reference')?.input ?? 0);
  const intervals = buildIntervals({ history, events: eventColumns, states: analysis.states ?? [], devices: analysis.devices });
  return {
    analysis,
    history,
    outline: sources.map((_, i) => outline.outline(i)),
    timeline: {
      inputs: sources.map((s) => s.path),
      events: eventColumns,
      intervals,
      history,
      findings: placeFindings(analysis.findings, intervals, eventColumns),
    },
  };
}
