/** FILE arguments → input sources; `-` is standard input (at most once); each file read once. */
import { fstatSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { InputSource } from '../core/ingest';
import { fileSource, InputError, stdinSource } from '../node/inputs';
import { visible } from './format/visible';
import { UsageError } from './usage';

/** Standard input as a source; a directory given as standard input is said so in one line. */
export async function standardInput(options: { readOnce: boolean } = { readOnce: true }): Promise<InputSource> {
  if (fstatSync(0).isDirectory()) throw new InputError('-: standard input is a directory');
  return stdinSource('-', options);
}

/** What makes two names the same file (a symbolic link, `./x` and `x`, a hard link); undefined when it cannot be told. */
async function fileIdentity(file: string): Promise<string | undefined> {
  try {
    const info = file === '-' ? fstatSync(0, { bigint: true }) : await stat(file, { bigint: true });
    return `${info.dev}:${info.ino}`;
  } catch {
    // Opening the file says what is wrong with it.
    return undefined;
  }
}

/**
 * `readsAgain`: the command reads its inputs again after the analysis (to quote lines). A pipe
 * is then copied to a temporary file as it is read, as it is for a merge of several inputs,
 * which reads each twice; a single input read once streams straight through.
 */
export async function openInputs(files: string[], { readsAgain }: { readsAgain: boolean }): Promise<InputSource[]> {
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('standard input (-) can be given only once');
  /** Each file's identity, with the name it was first given as. */
  const seen = new Map<string, string>();
  const unique: string[] = [];
  for (const file of files) {
    const id = await fileIdentity(file);
    const first = id === undefined ? undefined : seen.get(id);
    if (first !== undefined) {
      // Read twice, every event and finding would be there twice.
      process.stderr.write(`hotplug-lens: ${visible(file)} is the same file as ${visible(first)}: ignored\n`);
      continue;
    }
    if (id !== undefined) seen.set(id, file);
    unique.push(file);
  }
  const options = { readOnce: unique.length === 1 && !readsAgain };
  const sources: InputSource[] = [];
  for (const file of unique) sources.push(file === '-' ? await standardInput(options) : await fileSource(file, file, options));
  return sources;
}
