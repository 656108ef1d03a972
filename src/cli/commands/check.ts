/** `hotplug-lens check FILE...`: findings with causes, as text, JSON or SARIF (DIAGNOSTICS.md). */
import { analyze } from '../../core/analyze';
import { type Policies, parsePolicy } from '../../core/model/policy';
import { formatJson } from '../format/json';
import { formatSarif } from '../format/sarif';
import { formatText } from '../format/text';
import { integerOption, LINE_BYTES, parseCommandLine } from '../args';
import { openInputs } from '../open-inputs';
import { OutFile } from '../out-file';
import { print } from '../output';
import { quoteLines } from '../../node/quotes';
import { UsageError } from '../usage';

function policies(values: string[] | undefined, flag: string): Partial<Policies> {
  const out: Record<string, string> = {};
  for (const text of values ?? []) {
    const p = parsePolicy(text);
    if ('error' in p) throw new UsageError(`${flag}: ${p.error}`);
    out[p.name] = p.value;
  }
  return out as Partial<Policies>;
}

export async function runCheck(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    format: { type: 'string', default: 'text' },
    policy: { type: 'string', multiple: true },
    'what-if': { type: 'string', multiple: true },
    out: { type: 'string' },
    'max-line-bytes': { type: 'string' },
  });
  const format = values.format;
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`unknown --format '${format}' (text, json or sarif)`);
  if (positionals.length === 0) throw new UsageError('check needs at least one FILE (or - for standard input)');
  const maxLineBytes = integerOption('max-line-bytes', values['max-line-bytes'], LINE_BYTES);
  const forced = policies(values.policy, '--policy');
  const whatIf = policies(values['what-if'], '--what-if');
  // The text report quotes the lines its findings cite.
  const sources = await openInputs(positionals, { readsAgain: format === 'text' });
  const out = values.out !== undefined ? await OutFile.create(values.out) : undefined;
  const analysis = await analyze(sources, { policies: forced, whatIf, maxLineBytes });

  let text: string;
  if (format === 'json') {
    text = formatJson(analysis);
  } else if (format === 'sarif') {
    text = formatSarif(analysis);
  } else {
    const wanted = new Map<string, Set<number>>();
    const want = (path: string, line: number) => {
      let set = wanted.get(path);
      if (!set) wanted.set(path, (set = new Set()));
      set.add(line);
    };
    for (const r of analysis.rootCauses) {
      for (const f of r.findings.slice(0, 8)) {
        want(f.location.path, f.location.line);
        for (const rel of f.related.slice(0, 4)) want(rel.path, rel.line);
      }
    }
    const quotes = await quoteLines(sources, wanted);
    const tty = values.out === undefined && process.stdout.isTTY === true;
    const color = tty && !process.env.NO_COLOR;
    text = formatText(analysis, {
      color,
      width: Math.min(process.stdout.columns ?? 100, 110),
      quote: (path, line) => quotes.get(`${path}:${line}`),
    });
  }
  if (out) await out.commit(text);
  else print(text);
  // The exit status is about the logs as they are: a what-if is a question, not a fix.
  const w = analysis.whatIf;
  const errors = w
    ? analysis.summary.errors + w.removed.filter((f) => f.severity === 'error').length - w.added.filter((f) => f.severity === 'error').length
    : analysis.summary.errors;
  return errors > 0 ? 1 : 0;
}
