/** How a host answers a timeline's requests: the same for the extension and a standalone report. */
import { type LineRef, Timeline, type TimelineData, type TimelineMeta } from '../core/store/timeline';
import type { Replies, ViewRequest } from './timeline';

/** Reads a log line's text: from an editor, a file at a byte offset, or a report's embedded lines. */
export type LineText = (ref: LineRef) => Promise<string | undefined> | string | undefined;

export async function answer(timeline: Timeline, request: ViewRequest, lineText: LineText): Promise<Replies[keyof Replies]> {
  switch (request.type) {
    case 'window':
      return timeline.window(request);
    case 'inspect': {
      const inspection = timeline.inspect(request.laneFrom, request.laneTo, request.time);
      if (!inspection?.setBy) return inspection;
      const text = await lineText(inspection.setBy);
      return text === undefined ? inspection : { ...inspection, text };
    }
    case 'changes': {
      const text = await lineText(timeline.lineRef(request.input, request.line));
      return { input: request.input, line: request.line, rows: timeline.changesAt(request.input, request.line), ...(text !== undefined ? { text } : {}) };
    }
  }
}

/** A host inside the page (a standalone report): the run's columns, answered by the same code as the extension's. */
export interface InPageHost {
  meta(): TimelineMeta;
  answer(request: ViewRequest): Promise<Replies[keyof Replies]>;
}

export function inPageHost(data: TimelineData, lineText: LineText): InPageHost {
  const timeline = new Timeline(data);
  return { meta: () => timeline.meta(), answer: (request) => answer(timeline, request, lineText) };
}
