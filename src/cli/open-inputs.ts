/** FILE arguments → input sources; `-` is standard input (at most once). */
import type { InputSource } from '../core/ingest';
import { fileSource, stdinSource } from '../node/inputs';
import { UsageError } from './usage';

export async function openInputs(files: string[]): Promise<InputSource[]> {
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('standard input (-) can be given only once');
  const sources: InputSource[] = [];
  for (const file of files) sources.push(file === '-' ? await stdinSource() : await fileSource(file));
  return sources;
}
