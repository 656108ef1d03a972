/**
 * Messages between the timeline webview and whoever answers it (the extension host, or the
 * standalone report page itself). One union per direction; requests carry an id that the
 * reply repeats. Both sides import this file; the host validates every message it receives.
 */
import type { ChangeRow, Inspection, TimelineMeta, WindowData } from './timeline-data';

/** From the webview. */
export type ViewMessage =
  | { type: 'ready' }
  | { type: 'window'; id: number; t0: number; t1: number; bins: number; rows: Uint32Array }
  | { type: 'inspect'; id: number; laneFrom: number; laneTo: number; time: number }
  | { type: 'changes'; id: number; input: number; line: number }
  /** `focus`: the user asked to go to the line (Enter, the *open line* link), so the editor takes the keyboard; otherwise it only shows the line. */
  | { type: 'reveal'; input: number; line: number; focus: boolean }
  | { type: 'replayTo'; input: number; line: number }
  /** Something went wrong in the page (a CSP violation, an exception): the host logs it. */
  | { type: 'problem'; text: string };

export type ViewRequest = Extract<ViewMessage, { id: number }>;

/** Answers, by request type. */
export interface Replies {
  window: WindowData;
  inspect: (Inspection & { text?: string }) | undefined;
  changes: { input: number; line: number; text?: string; rows: ChangeRow[] };
}

/** From the host. */
export type HostMessage =
  /** `run`: what the host needs to reopen the panel after a reload; the page keeps it in its saved state. */
  | { type: 'meta'; meta: TimelineMeta; title: string; canReplay: boolean; run?: string[] }
  | { type: 'reply'; id: number; request: keyof Replies; body: Replies[keyof Replies] }
  | { type: 'cursor'; time: number; input: number; line: number }
  | { type: 'empty'; message: string };

/** The most rows and bins one window may ask for: more than any screen shows. */
export const MAX_ROWS = 8192;

const isInt = (v: unknown, min = 0, max = 2 ** 31 - 1): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The message if it is one the webview may send, well formed; otherwise undefined. */
export function parseViewMessage(raw: unknown): ViewMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'window': {
      if (!isInt(m.id) || !isTime(m.t0) || !isTime(m.t1) || !isInt(m.bins, 1, 16_384)) return undefined;
      const rows = toRows(m.rows);
      return rows ? { type: 'window', id: m.id, t0: m.t0, t1: m.t1, bins: m.bins, rows } : undefined;
    }
    case 'inspect':
      return isInt(m.id) && isInt(m.laneFrom) && isInt(m.laneTo) && isTime(m.time)
        ? { type: 'inspect', id: m.id, laneFrom: m.laneFrom, laneTo: m.laneTo, time: m.time }
        : undefined;
    case 'changes':
      return isInt(m.id) && isInt(m.input, 0, 4095) && isInt(m.line, 1) ? { type: 'changes', id: m.id, input: m.input, line: m.line } : undefined;
    case 'reveal':
      return isInt(m.input, 0, 4095) && isInt(m.line, 1) && typeof m.focus === 'boolean' ? { type: 'reveal', input: m.input, line: m.line, focus: m.focus } : undefined;
    case 'replayTo':
      return isInt(m.input, 0, 4095) && isInt(m.line, 1) ? { type: 'replayTo', input: m.input, line: m.line } : undefined;
    case 'problem':
      return typeof m.text === 'string' ? { type: 'problem', text: m.text.slice(0, 2000) } : undefined;
    default:
      return undefined;
  }
}

function toRows(v: unknown): Uint32Array | undefined {
  const rows = v instanceof Uint32Array ? v : Array.isArray(v) && v.every((x) => isInt(x)) ? Uint32Array.from(v as number[]) : undefined;
  if (!rows || rows.length % 2 !== 0 || rows.length / 2 > MAX_ROWS) return undefined;
  for (let i = 0; i < rows.length; i += 2) if (rows[i + 1] < rows[i]) return undefined;
  return rows;
}
