/** `hotplug-lens events FILE...`: the merged event stream as text or JSON. */
import type { HotplugEvent } from '../../core/events';
import type { InputSummary } from '../../core/ingest';
import { type LentYear, type MergeReport, mergeInputs } from '../../core/merge/index';
import { eventToJson, type JsonValue, writeEventJson } from '../../core/serialize';
import { eventTimeText } from '../../core/text/time';
import { type IntegerRange, integerOption, LINE_BYTES, parseCommandLine } from '../args';
import { visible } from '../format/visible';
import { openInputs } from '../open-inputs';
import { Output, stdoutIsClosed } from '../output';
import { UsageError } from '../usage';

interface EventsOptions {
  format: 'text' | 'json';
  showUnparsed: boolean;
  maxLineBytes?: number;
  maxUnparsed?: number;
}

/** Every unparsed line listed is kept in memory until the end: a bound, if a generous one. */
const UNPARSED: IntegerRange = { min: 0, max: 10_000_000 };

function parse(argv: string[]): { files: string[]; options: EventsOptions } {
  const { values, positionals } = parseCommandLine(argv, {
    format: { type: 'string', default: 'text' },
    'show-unparsed': { type: 'boolean', default: false },
    'max-unparsed': { type: 'string' },
    'max-line-bytes': { type: 'string' },
  });
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`unknown --format '${values.format}' (text or json)`);
  if (positionals.length === 0) throw new UsageError('events needs at least one FILE (or - for standard input)');
  const maxLineBytes = integerOption('max-line-bytes', values['max-line-bytes'], LINE_BYTES);
  const maxUnparsed = integerOption('max-unparsed', values['max-unparsed'], UNPARSED);
  return { files: positionals, options: { format: values.format, showUnparsed: values['show-unparsed'], maxLineBytes, maxUnparsed } };
}

function textLine(event: HotplugEvent): string {
  const json = eventToJson(event);
  const fields: string[] = [];
  for (const [key, value] of Object.entries(json)) {
    if (key === 'path' || key === 'line' || key === 'kind' || key === 'rule' || key === 'time' || key === 'aligned' || key === 'span') continue;
    fields.push(`${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  }
  const time = event.time ? eventTimeText(event.time) : '-';
  return `${visible(event.source.path)}:${event.source.line}\t${time}\t${event.kind}\t${visible(fields.join(' '))}\n`;
}

function inputJson(summary: InputSummary, showUnparsed: boolean): JsonValue {
  const out: { [key: string]: JsonValue } = {
    path: summary.path,
    lines: summary.lines,
    recognized: summary.recognized,
    ignored: summary.ignored,
    unparsed: summary.unparsed,
  };
  if (summary.truncatedLines > 0) out.truncatedLines = summary.truncatedLines;
  if (showUnparsed) out.unparsedLines = summary.unparsedLines.map((u) => ({ line: u.line, text: u.text }));
  return out;
}

/** How to see the unparsed lines of an input that has `count` of them. */
function moreUnparsed(count: number): string {
  return count <= UNPARSED.max ? `--max-unparsed ${count} shows all` : `--max-unparsed shows up to ${UNPARSED.max}`;
}

/** Where a year-less input's year came from, for the JSON alignment. */
function yearJson(lent: LentYear | undefined, report: MergeReport): { [key: string]: JsonValue } {
  return lent ? { year: lent.year, yearFrom: report.inputs[lent.from].path } : {};
}

function textSummary(report: MergeReport, showUnparsed: boolean): string {
  const lines: string[] = [];
  for (const [i, s] of report.inputs.entries()) {
    const a = report.alignment[i];
    const how = a.method === 'offset' ? `offset ${(a.offsetMicros as number) / 1e6}s from ${a.pairs} matched events` : a.method;
    const lent = report.years[i];
    const year = lent ? `; year ${lent.year} from ${visible(report.inputs[lent.from].path)}` : '';
    const path = visible(s.path);
    lines.push(`# ${path}: ${s.lines} lines, ${s.recognized} recognized, ${s.ignored} ignored, ${s.unparsed} unparsed; timeline: ${how}${year}`);
    if (s.truncatedLines > 0) lines.push(`#   ${s.truncatedLines} over-long lines were truncated`);
    if (!showUnparsed) continue;
    for (const u of s.unparsedLines) lines.push(`${path}:${u.line}\tunparsed\t${visible(u.text)}`);
    const notShown = s.unparsed - s.unparsedLines.length;
    if (notShown > 0) lines.push(`#   ${notShown} of ${s.unparsed} unparsed lines not shown (${moreUnparsed(s.unparsed)})`);
  }
  return `${lines.join('\n')}\n`;
}

export async function runEvents(argv: string[]): Promise<number> {
  const { files, options } = parse(argv);
  const sources = await openInputs(files, { readsAgain: false });
  const out = new Output();
  const json = options.format === 'json';
  if (json) out.write('{"events":[');
  let first = true;
  const it = mergeInputs(sources, { maxLineBytes: options.maxLineBytes, maxUnparsedLines: options.maxUnparsed });
  let step = await it.next();
  while (!step.done) {
    if (stdoutIsClosed()) {
      // The reader has gone (`| head`): the rest would be read for nobody.
      await it.return(undefined as never);
      return 0;
    }
    for (const event of step.value) {
      if (json) {
        out.bytes.ascii(first ? '\n' : ',\n');
        writeEventJson(out.bytes, event);
        first = false;
      } else {
        out.write(textLine(event));
      }
    }
    if (out.full) await out.flush();
    step = await it.next();
  }
  const report = step.value;
  if (json) {
    const inputs = report.inputs.map((s) => inputJson(s, options.showUnparsed));
    const alignment = report.alignment.map((a) => ({
      path: report.inputs[a.input].path,
      method: a.method,
      pairs: a.pairs,
      ...(a.offsetMicros !== undefined ? { offsetUs: a.offsetMicros } : {}),
      ...(a.spreadMicros !== undefined ? { spreadUs: a.spreadMicros } : {}),
      ...yearJson(report.years[a.input], report),
    }));
    out.write(`\n],\n"inputs":${JSON.stringify(inputs)},\n"alignment":${JSON.stringify(alignment)}}\n`);
  } else {
    out.write(textSummary(report, options.showUnparsed));
  }
  await out.flush();
  return 0;
}
