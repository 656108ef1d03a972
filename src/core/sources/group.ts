/**
 * Multi-line records (kernel splats, QEMU register dumps, `info memory-devices` entries, host
 * SEAMCALL reports, SNP RMP dumps) as tables too: each row says whether its line starts, heads,
 * continues or ends a record, or is an item that continues one or stands alone; the family
 * builds one event from what its rows collected.
 */
import type { EventBody } from '../events';

export type GroupRole =
  /** Always opens a new record (`------------[ cut here ]------------`). */
  | 'start'
  /** The record's main line; opens a record unless the open one has no head yet. */
  | 'head'
  /** Continues an open record; never opens one. */
  | 'body'
  /** Continues and closes an open record. */
  | 'end'
  /**
   * Continues an open record of its family, or opens one of its own when none is open: a line
   * that follows a failure report when there is one and also comes alone (an RMP entry dump).
   */
  | 'item';

export interface GroupRow {
  id: string;
  role: GroupRole;
  /** Matched against the message with indentation removed. */
  pattern: RegExp;
  collect?(m: RegExpExecArray, record: GroupRecord): void;
}

export interface GroupRecord {
  family: GroupFamily;
  /** The id of the row that opened the record. */
  openedBy: string;
  hasHead: boolean;
  /** Line number of the head row (the `WARNING: … at FILE:LINE FUNC` line), when there is one. */
  headLine?: number;
  /** Text of the first free-form line after a `start` row (the WARN(1, fmt) message). */
  message?: string;
  fields: Record<string, string>;
}

export interface GroupFamily {
  name: string;
  rows: GroupRow[];
  /** A `start` row may be followed by one free-form message line (WARN with a format). */
  takesMessage: boolean;
  /** The record closes by itself after this many lines (a dump cut off by the ring buffer). */
  maxLines: number;
  build(record: GroupRecord): EventBody;
}

export interface GroupMatch {
  family: GroupFamily;
  row: GroupRow;
  m: RegExpExecArray;
}

/** Finds the group row matching `text` among `families`, trying `preferred` first. */
export function matchGroupRow(families: readonly GroupFamily[], text: string, preferred?: GroupFamily): GroupMatch | undefined {
  if (preferred) {
    const hit = matchIn(preferred, text);
    if (hit) return hit;
  }
  for (const family of families) {
    if (family === preferred) continue;
    const hit = matchIn(family, text);
    if (hit) return hit;
  }
  return undefined;
}

function matchIn(family: GroupFamily, text: string): GroupMatch | undefined {
  for (const row of family.rows) {
    const m = row.pattern.exec(text);
    if (m) return { family, row, m };
  }
  return undefined;
}
