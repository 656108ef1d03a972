/**
 * One input, line by line: envelope → group records / table rows → events, with console-wrap
 * rejoining and the accounting `recognized + ignored + unparsed = lines`.
 */
import { hasNoise, withoutNoise } from '../envelope/noise';
import { parseEnvelope, parseEnvelopeWithoutNoise } from '../envelope/parse';
import type { Envelope } from '../envelope/types';
import { YearRollover } from '../envelope/yearless';
import type { EventBody, HotplugEvent } from '../events';
import type { PhysicalLine } from './lines';
import { type GroupMatch, type GroupRecord, matchGroupRow } from '../sources/group';
import { KeywordScanner } from './keyword-scanner';
import { MemoryBlockIds } from './memory-block-ids';
import { escape, GROUP_FAMILIES, LOOK_WORDS, matchRow, SUBJECT } from '../sources/index';

export interface InputCounts {
  lines: number;
  recognized: number;
  ignored: number;
  unparsed: number;
}

export interface UnparsedLine {
  line: number;
  text: string;
}

/** A wrapped record is rejoined from at most this many physical lines. */
const MAX_WRAP_LINES = 3;
/** Unparsed lines kept for `--show-unparsed` unless told otherwise; all of them are counted. */
const DEFAULT_MAX_UNPARSED_LINES = 10_000;
/**
 * Lines that may open a group record without naming one of our subjects: a splat's cut line, a
 * register dump, GLib's assertion report, a shell's report of a signal anywhere in the line, die()'s headline.
 */
const GROUP_OPENER = /^\s*(?:-+\[ cut here|[ER]AX=[0-9a-fA-F]|\*\*\s*$|(?:[\w-]+:)?ERROR:[^\s:]+:\d+:)|: line \d+: +\d+ |: [0-9a-fA-F]{4} \[#\d+\]/;
/**
 * The words of lines the parser must look at (see `line`), as a test and as a byte scanner. A
 * `*` in the regex's alternation (GLib's `**` line) would make it several times slower on every
 * line, so words with one are looked for with `includes`.
 */
const WORTH_A_LOOK = new RegExp(LOOK_WORDS.filter((word) => !word.includes('*')).map(escape).join('|'));
const STAR_WORDS = LOOK_WORDS.filter((word) => word.includes('*'));
const worthALook = (text: string): boolean => WORTH_A_LOOK.test(text) || STAR_WORDS.some((word) => text.includes(word));
export const LOOK_SCANNER = new KeywordScanner(LOOK_WORDS);
/** Quick test before trying the group tables: the words every start or head row has. */
const MAY_OPEN_GROUP = /cut here|WARNING: |BUG|Oops: |Kernel panic|[ER]AX=|Memory device \[|SEAMCALL|RMPUPDATE|PFN|migrating pfn|to isolate pfn|\*\*|ERROR:|Assertion|: line \d| \[#\d/;

interface Pending {
  first: PhysicalLine;
  env: Envelope;
  /** The continuation lines seen so far, replayed if no join matches. */
  rest: PhysicalLine[];
  joined: string;
}

interface OpenGroup {
  record: GroupRecord;
  first: PhysicalLine;
  env: Envelope;
  lines: number;
  /** Events from lines inside the record, emitted after the record's own event. */
  held: HotplugEvent[];
  /**
   * The line taken as the WARN message after a `cut here`, until the report's head confirms it:
   * a record that closes without one gives the line back, to be read on its own.
   */
  unconfirmed?: { pl: PhysicalLine; env: Envelope; event?: HotplugEvent };
}

/** The group row that `text` would open a record with, if any (body and end lines open nothing). */
function opensGroup(text: string): GroupMatch | undefined {
  if (!MAY_OPEN_GROUP.test(text)) return undefined;
  const hit = matchGroupRow(GROUP_FAMILIES, text);
  return hit && (hit.row.role === 'start' || hit.row.role === 'head' || hit.row.role === 'item') ? hit : undefined;
}

export class InputParser {
  readonly counts: InputCounts = { lines: 0, recognized: 0, ignored: 0, unparsed: 0 };
  readonly unparsedLines: UnparsedLine[] = [];
  /** Records rejoined from console-wrapped lines, and the first line of the first one. */
  rejoined = 0;
  firstRejoinedLine?: number;
  private pending: Pending | undefined;
  private group: OpenGroup | undefined;
  /** Old memory-block-id lines become address ranges with this input's own geometry lines. */
  private readonly blockIds = new MemoryBlockIds();
  /** Year-less stamps count on into the next year after New Year. */
  private readonly years = new YearRollover();

  constructor(
    private readonly path: string,
    private readonly input: number,
    private readonly emit: (event: HotplugEvent) => void,
    private readonly maxUnparsedLines = DEFAULT_MAX_UNPARSED_LINES,
  ) {}

  /** True when no record is open: lines without any look word can be ignored unseen. */
  canSkip(): boolean {
    return this.pending === undefined && this.group === undefined;
  }

  /** Counts `lines` lines the reader passed over because they hold no look word. */
  skipped(lines: number): void {
    this.counts.lines += lines;
    this.counts.ignored += lines;
  }

  line(pl: PhysicalLine): void {
    this.counts.lines += 1;
    if (this.pending || this.group) {
      // Whether a line continues the open record depends on all of it: read it without noise.
      this.process(pl, parseEnvelopeWithoutNoise(pl.text));
      return;
    }
    // Most lines of a console log are about other things. When no record is open, a line
    // without any subject word, QEMU program name or dump marker is ignored without parsing
    // its envelope: its message, a part of it, cannot contain one either.
    if (!worthALook(pl.text)) {
      const clean = withoutNoise(pl.text);
      if (clean === pl.text || !worthALook(clean)) {
        this.counts.ignored += 1;
        return;
      }
      this.process(pl, parseEnvelopeWithoutNoise(pl.text));
      return;
    }
    this.process(pl, parseEnvelope(pl.text), true);
  }

  /** Flushes whatever is still open at the end of the input. */
  end(): void {
    // Replaying the lines held after an abandoned line, or a message line a record gave back,
    // may leave one of them pending or open a record.
    for (;;) {
      while (this.pending) this.abandonPending();
      if (!this.group) return;
      this.closeGroupAndReplay();
    }
  }

  /**
   * `asItIs`: `env` is of the line with its noise, if any (envelope/noise.ts), and no record is
   * open. Most lines are taken as they are: looking for noise in each would cost more than the
   * rest of reading a dense trace. A line that no row takes as it is (see `matchRow`) is read
   * again without noise.
   */
  private process(pl: PhysicalLine, env: Envelope, asItIs = false): void {
    if (this.pending) {
      if (!env.startsRecord && this.continuePending(pl, env)) return;
      this.abandonPending();
      // The replayed lines may have left a new pending line or an open record: this line
      // must meet that state, or it would overwrite it.
      this.process(pl, env);
      return;
    }
    const message = env.message;
    if (this.group && this.continueGroup(pl, env, message)) return;
    // Rows first: no row's line opens a record, and most lines that get here match a row.
    const special = env.origin === 'qemu-report' || env.origin === 'monitor';
    const body = matchRow(message, asItIs);
    if (body) {
      this.counts.recognized += 1;
      this.deliver(this.makeEvent(body, pl, env, 1));
      return;
    }
    if (asItIs && hasNoise(pl.text)) {
      // Nothing was changed yet: no record was open and none was opened.
      this.process(pl, parseEnvelopeWithoutNoise(pl.text));
      return;
    }
    const subject = SUBJECT.test(message);
    if (!subject && !special && !GROUP_OPENER.test(message)) {
      this.counts.ignored += 1;
    } else if (this.openGroup(pl, env, message)) {
      return;
    } else if (subject) {
      this.pending = { first: pl, env, rest: [], joined: message.trimEnd() };
    } else {
      this.counts.ignored += 1;
    }
  }

  /** Tries to complete a pending line with `pl` as its console-wrapped continuation. */
  private continuePending(pl: PhysicalLine, env: Envelope): boolean {
    const pending = this.pending as Pending;
    const continuation = env.message.trim();
    if (continuation === '' || matchRow(continuation) || opensGroup(continuation)) return false;
    for (const separator of [' ', '']) {
      const joined = pending.joined + separator + continuation;
      const body = matchRow(joined);
      if (body) {
        const span = pending.rest.length + 2;
        this.rejoined += 1;
        this.firstRejoinedLine ??= pending.first.lineNo;
        this.counts.recognized += span;
        this.pending = undefined;
        this.deliver(this.makeEvent(body, pending.first, pending.env, span));
        return true;
      }
    }
    if (pending.rest.length + 2 >= MAX_WRAP_LINES) return false;
    pending.rest.push(pl);
    pending.joined = `${pending.joined} ${continuation}`;
    return true;
  }

  /** The pending line is unparsed after all; lines held as its continuation are processed anew. */
  private abandonPending(): void {
    const pending = this.pending as Pending;
    this.pending = undefined;
    this.counts.unparsed += 1;
    if (this.unparsedLines.length < this.maxUnparsedLines) {
      this.unparsedLines.push({ line: pending.first.lineNo, text: pending.first.text });
    }
    for (const pl of pending.rest) this.process(pl, parseEnvelopeWithoutNoise(pl.text));
  }

  private continueGroup(pl: PhysicalLine, env: Envelope, message: string): boolean {
    const open = this.group as OpenGroup;
    const record = open.record;
    const text = message.trim();
    const hit = matchGroupRow(GROUP_FAMILIES, text, record.family);
    const continues =
      hit !== undefined &&
      hit.family === record.family &&
      (hit.row.role === 'body' || hit.row.role === 'end' || hit.row.role === 'item' || (hit.row.role === 'head' && !record.hasHead));
    if (continues) {
      if (hit.row.role === 'head') {
        record.hasHead = true;
        record.headLine ??= pl.lineNo;
        if (open.unconfirmed?.event) open.held.push(open.unconfirmed.event);
        open.unconfirmed = undefined;
      }
      hit.row.collect?.(hit.m, record);
      this.counts.recognized += 1;
      open.lines += 1;
      if (hit.row.role === 'end' || open.lines >= record.family.maxLines) this.closeGroupAndReplay();
      return true;
    }
    const takesMessage =
      hit === undefined &&
      record.family.takesMessage &&
      !record.hasHead &&
      record.message === undefined &&
      open.lines === 1 &&
      record.family.rows.some((row) => row.id === record.openedBy && row.role === 'start');
    if (takesMessage && text !== '') {
      // WARN(1, fmt): the formatted message sits between `cut here` and the WARNING line.
      record.message = text;
      this.counts.recognized += 1;
      open.lines += 1;
      const body = matchRow(message);
      open.unconfirmed = { pl, env, ...(body ? { event: this.makeEvent(body, pl, env, 1) } : {}) };
      return true;
    }
    if (!this.closeGroupAndReplay()) return false;
    // The line given back may have opened a record or left a line pending: this line meets that state.
    this.process(pl, env);
    return true;
  }

  private openGroup(pl: PhysicalLine, env: Envelope, message: string): boolean {
    const hit = opensGroup(message.trim());
    if (!hit) return false;
    const record: GroupRecord = {
      family: hit.family,
      openedBy: hit.row.id,
      hasHead: hit.row.role === 'head',
      ...(hit.row.role === 'head' ? { headLine: pl.lineNo } : {}),
      fields: {},
    };
    hit.row.collect?.(hit.m, record);
    this.counts.recognized += 1;
    this.group = { record, first: pl, env, lines: 1, held: [] };
    return true;
  }

  /** Closes the open record; a message line no head confirmed is read again on its own. Says whether one was. */
  private closeGroupAndReplay(): boolean {
    const open = this.group;
    if (!open) return false;
    this.group = undefined;
    const giveBack = open.unconfirmed;
    if (giveBack) {
      open.record.message = undefined;
      open.lines -= 1;
      this.counts.recognized -= 1;
    }
    this.emit(this.makeEvent(open.record.family.build(open.record), open.first, open.env, open.lines));
    for (const event of open.held) this.emit(event);
    if (giveBack) this.process(giveBack.pl, giveBack.env);
    return giveBack !== undefined;
  }

  private deliver(event: HotplugEvent): void {
    if (this.group) this.group.held.push(event);
    else this.emit(event);
  }

  /** Called in line order, also for events held inside a record: geometry comes before its use. */
  private makeEvent(body: EventBody, pl: PhysicalLine, env: Envelope, span: number): HotplugEvent {
    const event = this.blockIds.resolve(body) as HotplugEvent;
    event.source = {
      path: this.path,
      line: pl.lineNo,
      span,
      column: env.column,
      endColumn: pl.text.length,
      offset: pl.offset,
    };
    if (env.time) {
      event.time = env.time.clock === 'wall-yearless' ? { clock: 'wall-yearless', micros: this.years.place(env.time.micros) } : env.time;
    }
    event.input = this.input;
    return event;
  }
}
