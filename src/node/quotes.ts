/** The text of a few chosen lines of the inputs, read again by streaming (for quoting evidence). */
import type { InputSource } from '../core/ingest';
import { LineSplitter } from '../core/ingest/lines';

/** Quoted lines are cut to this length; a log line is evidence, not a page. */
const QUOTE_CHARS = 160;

export async function quoteLines(sources: InputSource[], wanted: Map<string, Set<number>>): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const source of sources) {
    const lines = wanted.get(source.path);
    if (!lines || lines.size === 0) continue;
    let last = 0;
    for (const line of lines) if (line > last) last = line;
    const splitter = new LineSplitter({ maxLineBytes: QUOTE_CHARS * 4 });
    let done = false;
    const take = (line: { lineNo: number; text: string }) => {
      if (lines.has(line.lineNo)) found.set(`${source.path}:${line.lineNo}`, line.text.slice(0, QUOTE_CHARS));
      if (line.lineNo >= last) done = true;
    };
    for await (const chunk of source.open()) {
      splitter.push(chunk, take);
      if (done) break;
    }
    if (!done) splitter.end(take);
  }
  return found;
}
