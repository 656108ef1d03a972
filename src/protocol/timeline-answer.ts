/** How a host answers a timeline's requests: the same for the extension and a standalone report. */
import type { LineRef, Timeline } from '../core/store/timeline';
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
