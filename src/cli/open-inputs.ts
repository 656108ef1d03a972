/** FILE arguments → input sources; `-` is standard input (at most once); each file read once. */
import { fstatSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { InputSource } from '../core/ingest';
import { fileSource, InputError, stdinSource } from '../node/inputs';
import { visible } from './format/visible';
import { UsageError } from './usage';

/** Standard input that cannot be read (closed, or open for writing only: `0>file`, `<&1`) is said so in one line. */
function unreadableStdin(error: unknown): unknown {
  return (error as NodeJS.ErrnoException).code === 'EBADF' ? new InputError('-: standard input is closed or not open for reading') : error;
}

/**
 * Standard input as a source. Read errors are translated both when it is opened and when it is
 * read, as standard input may be read up front or as the analysis goes.
 */
export async function standardInput(): Promise<InputSource> {
  try {
    if (fstatSync(0).isDirectory()) throw new InputError('-: standard input is a directory');
    const source = await stdinSource();
    return {
      ...source,
      async *open() {
        try {
          yield* source.open();
        } catch (error) {
          throw unreadableStdin(error);
        }
      },
    };
  } catch (error) {
    throw unreadableStdin(error);
  }
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

export async function openInputs(files: string[]): Promise<InputSource[]> {
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('standard input (-) can be given only once');
  /** Each file's identity, with the name it was first given as. */
  const seen = new Map<string, string>();
  const sources: InputSource[] = [];
  for (const file of files) {
    const id = await fileIdentity(file);
    const first = id === undefined ? undefined : seen.get(id);
    if (first !== undefined) {
      // Read twice, every event and finding would be there twice.
      process.stderr.write(`hotplug-lens: ${visible(file)} is the same file as ${visible(first)}: ignored\n`);
      continue;
    }
    if (id !== undefined) seen.set(id, file);
    sources.push(file === '-' ? await standardInput() : await fileSource(file));
  }
  return sources;
}
