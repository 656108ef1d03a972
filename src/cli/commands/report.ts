/** `hotplug-lens report FILE... --out report.html`: the timeline and findings as one self-contained HTML file. */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeForViews } from '../../core/analyze-for-views';
import { InputError } from '../../node/inputs';
import { referencedLines, reportHtml } from '../../node/report';
import { openInputs } from '../open-inputs';
import { UsageError } from '../usage';

/** Where the built page (media/build/report.js) and its styles are, next to dist/cli.js. */
const MEDIA = path.join(__dirname, '..', 'media');

export async function runReport(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' }, title: { type: 'string' } },
  });
  if (positionals.length === 0) throw new UsageError('report needs at least one FILE (or - for standard input)');
  // The page carries the text of the lines its timeline refers to.
  const sources = await openInputs(positionals, { readsAgain: true });
  const { analysis, timeline } = await analyzeForViews(sources);
  const title = values.title ?? `Hotplug Lens: ${positionals.map((p) => path.basename(p)).join(' + ')}`;
  const html = await reportHtml({ title, timeline, lines: await referencedLines(sources, timeline) }, MEDIA);
  if (values.out === undefined) {
    process.stdout.write(html);
    return 0;
  }
  try {
    await writeFile(values.out, html);
  } catch (error) {
    throw new InputError(`${values.out}: cannot write the report (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const { errors, warnings, infos } = analysis.summary;
  process.stderr.write(`hotplug-lens: wrote ${values.out} (${(html.length / 1024).toFixed(0)} KB): ${errors} errors, ${warnings} warnings, ${infos} infos on ${timeline.intervals.lanes} subblocks\n`);
  return 0;
}
