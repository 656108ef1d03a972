/** FILE arguments → input sources; `-` is standard input (at most once). */
import type { InputSource } from '../core/ingest';
import { fileSource, stdinSource } from '../node/inputs';
import { UsageError } from './usage';

/**
 * `readsAgain`: the command reads its inputs again after the analysis (to quote lines). A pipe
 * is then copied to a temporary file as it is read, as it is for a merge of several inputs,
 * which reads each twice; a single input read once streams straight through.
 */
export async function openInputs(files: string[], { readsAgain }: { readsAgain: boolean }): Promise<InputSource[]> {
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('standard input (-) can be given only once');
  const options = { readOnce: files.length === 1 && !readsAgain };
  const sources: InputSource[] = [];
  for (const file of files) sources.push(file === '-' ? await stdinSource('-', options) : await fileSource(file, file, options));
  return sources;
}
