/** `hotplug-lens report FILE... --out report.html`: the timeline and findings as one self-contained HTML file. */
import * as path from 'node:path';
import { analyzeForViews } from '../../core/analyze-for-views';
import { referencedLines, reportHtml } from '../../node/report';
import { parseCommandLine } from '../args';
import { visible } from '../format/visible';
import { openInputs } from '../open-inputs';
import { OutFile } from '../out-file';
import { print } from '../output';
import { UsageError } from '../usage';

/** Where the built page (media/build/report.js) and its styles are, next to dist/cli.js. */
const MEDIA = path.join(__dirname, '..', 'media');

export async function runReport(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { out: { type: 'string' }, title: { type: 'string' } });
  if (positionals.length === 0) throw new UsageError('report needs at least one FILE (or - for standard input)');
  // The page carries the text of the lines its timeline refers to.
  const sources = await openInputs(positionals, { readsAgain: true });
  const out = values.out !== undefined ? await OutFile.create(values.out) : undefined;
  const { analysis, timeline } = await analyzeForViews(sources);
  const title = values.title ?? `Hotplug Lens: ${sources.map((s) => path.basename(s.path)).join(' + ')}`;
  const html = await reportHtml({ title, timeline, lines: await referencedLines(sources, timeline) }, MEDIA);
  if (!out) {
    print(html);
    return 0;
  }
  await out.commit(html);
  const { errors, warnings, infos } = analysis.summary;
  process.stderr.write(`hotplug-lens: wrote ${visible(out.path)} (${(html.length / 1024).toFixed(0)} KB): ${errors} errors, ${warnings} warnings, ${infos} infos on ${timeline.intervals.lanes} subblocks\n`);
  return 0;
}
