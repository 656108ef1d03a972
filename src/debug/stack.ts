/**
 * The call stack of a replay: the top frame is the event just applied (its log line is what the
 * editor highlights); the frames below are the earlier events that changed the subblock it is
 * about, latest first — the evidence chain of that subblock's state.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { ReplayCursor } from '../core/replay/cursor';
import { basename } from '../core/paths';
import { hexString } from '../core/text/hex';
import type { Span, Touch } from '../core/replay/touches';
import { tupleChanges } from '../core/model/state';

/** Evidence frames shown below the current event at most. */
export const MAX_EVIDENCE = 30;

export interface Frame {
  id: number;
  /** Index of the event the frame shows. */
  event: number;
  name: string;
}

/** What an event changed, in a few words: `virtio5 [0x108000000, 0x110000000) accept: accepted → stale`. */
function changeText(t: Touch): string {
  const changes = tupleChanges(t.before, t.after);
  return `${t.device} [${hexString(t.start)}, ${hexString(t.end)})${changes.length > 0 ? ` ${changes.join(', ')}` : ''}`;
}

/**
 * The subblock an event is about: the first one it changed. Step Into follows it and the
 * evidence chain is its story; a whole range would drown it (an accept of a memory block has
 * 64 subblocks, each converted by an event of its own).
 */
export function focusOf(cursor: ReplayCursor, index: number): Span | undefined {
  const first = cursor.touches.of(index)[0];
  if (!first) return undefined;
  const size = cursor.analyzer.model.devices.get(first.device)?.covered?.subblockSize ?? first.end - first.start;
  return { device: first.device, start: first.start, end: first.start + size < first.end ? first.start + size : first.end };
}

export function frames(cursor: ReplayCursor): Frame[] {
  const events = cursor.events;
  if (events.length === 0) return [];
  if (cursor.position === 0) return [{ id: 1, event: 0, name: `start: nothing applied yet (next: ${events[0].kind})` }];
  const index = cursor.position - 1;
  const own = cursor.touches.of(index);
  const top: Frame = { id: 1, event: index, name: `${events[index].kind} (${events[index].rule})${own.length > 0 ? ` — ${changeText(own[0])}${own.length > 1 ? ` +${own.length - 1}` : ''}` : ''}` };
  const focus = focusOf(cursor, index);
  const chain = focus ? cursor.touches.earlier(index, [focus], MAX_EVIDENCE) : [];
  // What changed leads: the Call Stack view is narrow, and the file and line show beside the name.
  const evidence = (t: Touch, e: number): string => {
    const changes = tupleChanges(t.before, t.after);
    return `${changes.length > 0 ? changes.join(', ') : 'unchanged'} ← ${events[e].kind} (${events[e].rule}) ${t.device} [${hexString(t.start)}, ${hexString(t.end)})`;
  };
  return [top, ...chain.map((c, i) => ({ id: i + 2, event: c.event, name: evidence(c.touch, c.event) }))];
}

export function toStackFrame(frame: Frame, cursor: ReplayCursor, line: (l: number) => number): DebugProtocol.StackFrame {
  const e = cursor.events[frame.event];
  return {
    id: frame.id,
    name: frame.name,
    source: { name: basename(e.source.path), path: e.source.path },
    line: line(e.source.line),
    // Evidence frames stay 'normal': VS Code folds 'subtle' ones away behind "Show More Stack Frames".
    column: 1,
  };
}
