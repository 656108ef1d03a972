/**
 * Writes a standalone HTML report: the timeline page with its script, its styles and the
 * run's data inline, under a CSP that allows nothing else, so that it opens anywhere — from a
 * bug tracker or a mail — without a network and without the extension.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { TimelineData } from '../core/store/timeline';
import { REPORT_DATA_ID, type ReportData, typedName } from '../protocol/report-data';
import { timelinePage } from '../protocol/timeline-page';
import type { InputSource } from '../core/ingest';
import { quoteLines } from './quotes';

/** Lines quoted in a report at most: every change of a long run, bounded for a huge one. */
export const MAX_REPORT_LINES = 200_000;

/** Text of the lines the timeline refers to (findings first, then state changes), read again from the inputs. */
export async function referencedLines(sources: InputSource[], data: TimelineData): Promise<Record<string, string>> {
  const wanted = new Map(sources.map((s) => [s.path, new Set<number>()]));
  const add = (input: number, line: number) => wanted.get(sources[input]?.path ?? '')?.add(line);
  let budget = MAX_REPORT_LINES;
  for (const f of data.findings) if (budget-- > 0) add(f.input, f.line);
  const h = data.history;
  for (let k = 0; k < h.count && budget-- > 0; k++) add(h.input[k], h.line[k]);
  const quoted = await quoteLines(sources, wanted);
  const out: Record<string, string> = {};
  sources.forEach((s, input) => {
    for (const line of wanted.get(s.path) ?? []) {
      const text = quoted.get(`${s.path}:${line}`);
      if (text !== undefined) out[`${input}:${line}`] = text;
    }
  });
  return out;
}

/** JSON for an inline `<script type="application/json">`: typed arrays as base64, nothing that closes the element. */
export function inlineJson(data: unknown): string {
  const json = JSON.stringify(data, (_key, value: unknown) => {
    const name = typedName(value);
    if (!name) return value;
    const view = value as ArrayBufferView;
    return { $typed: name, base64: Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64') };
  });
  return json.replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export async function reportHtml(data: ReportData, mediaDir: string): Promise<string> {
  // One after the other: when the shipped files are missing, the error names the same one every time.
  const bundle = await fs.readFile(path.join(mediaDir, 'build', 'report.js'), 'utf8');
  const css = await fs.readFile(path.join(mediaDir, 'timeline.css'), 'utf8');
  // Nothing inside may end its element early, or point at a file that is not there.
  const script = bundle.replace(/^\/\/# sourceMappingURL=.*$/m, '').replace(/<\/script/gi, '<\\/script');
  // Hashes, not nonces: the file is static, and a hash names exactly the code it allows.
  const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
  const csp = [
    "default-src 'none'",
    `script-src ${sha(script)}`,
    `style-src ${sha(css)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return timelinePage({
    csp,
    title: data.title,
    styles: `<style>${css}</style>`,
    scripts: `<script type="application/json" id="${REPORT_DATA_ID}">${inlineJson(data)}</script>\n<script>${script}</script>`,
  });
}
