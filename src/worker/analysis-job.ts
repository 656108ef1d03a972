/**
 * One analysis as the editor wants it: findings plus the history, the last states, the
 * outline and the timeline's columns. Runs in the worker thread, or in the caller's thread
 * when the worker is turned off.
 */
import { analyzeForViews } from '../core/analyze-for-views';
import { historyBuffers } from '../core/model/history';
import { eventBuffers } from '../core/store/event-table';
import { intervalBuffers } from '../core/store/intervals';
import { openInputSpec } from '../node/input-spec';
import type { AnalysisPayload, AnalyzeRequest } from './protocol';

/** Bytes a run will read: a merge of several inputs reads each twice (anchors, then events). */
function bytesToRead(sizes: number[]): number {
  return sizes.reduce((a, b) => a + b, 0) * (sizes.length > 1 ? 2 : 1);
}

export async function runAnalysis(
  request: AnalyzeRequest,
  onProgress: (bytes: number, totalBytes: number) => void,
): Promise<{ analysis: AnalysisPayload; transfer: ArrayBuffer[] }> {
  const opened = await Promise.all(request.inputs.map(openInputSpec));
  const totalBytes = bytesToRead(opened.map((o) => o.size));
  let done = 0;
  const { analysis: result, history, outline, timeline } = await analyzeForViews(
    opened.map((o) => o.source),
    {
      ...(request.policies ? { policies: request.policies } : {}),
      ...(request.whatIf ? { whatIf: request.whatIf } : {}),
      ...(request.maxLineBytes ? { maxLineBytes: request.maxLineBytes } : {}),
      // A gzip trailer's size is an estimate: never report more than the whole.
      onProgress: (chunk) => onProgress(Math.min((done += chunk), totalBytes), totalBytes),
    },
  );
  const states = result.states ?? [];
  const analysis: AnalysisPayload = {
    ...result,
    rootCauses: result.rootCauses.map(({ findings, ...r }) => ({ ...r, findingCount: findings.length + r.omitted })),
    outline,
    history,
    states,
    timeline,
  };
  const transfer = [
    ...historyBuffers(history),
    ...eventBuffers(timeline.events),
    ...intervalBuffers(timeline.intervals),
    ...states.flatMap((s) => [s.tuples.buffer, s.lastInput.buffer, s.lastLine.buffer] as ArrayBuffer[]),
  ];
  return { analysis, transfer };
}
