/**
 * `--out PATH`: the report is written to a temporary file beside PATH and renamed over it only
 * when complete. An interrupted (Ctrl+C) or failed run leaves a report already at PATH as it
 * was, and readers of PATH never see half a report. Temporary files not renamed are removed
 * when the process exits, however it exits (an error, a signal): the commands need no cleanup.
 */
import { randomBytes } from 'node:crypto';
import { close, fchmod, fsync, openSync, rmSync, writeFile } from 'node:fs';
import { realpath, rename, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { InputError } from '../node/inputs';

/** Temporary files not yet renamed or removed: what a signal or an exit must clean up. */
const pending = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function removePending(): void {
  for (const temp of pending) rmSync(temp, { force: true });
  pending.clear();
}

/** Cleans up, then dies of the signal as it would have without us, so that a calling shell sees it. */
function onSignal(signal: NodeJS.Signals): void {
  removePending();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.kill(process.pid, signal);
}

let installed = false;
function cleanUpOnExit(): void {
  if (installed) return;
  installed = true;
  process.on('exit', removePending);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function cannotWrite(path: string, error: unknown): InputError {
  return new InputError(`${path}: cannot write the report (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
}

export class OutFile {
  private constructor(
    readonly path: string,
    private readonly target: string,
    private readonly temp: string,
    private readonly fd: number,
  ) {}

  /**
   * Creates the temporary file at once, before any work, so that an unwritable PATH fails
   * first. A PATH that is a symbolic link keeps being one: the file it points to is replaced.
   */
  static async create(path: string): Promise<OutFile> {
    const target = await realpath(path).catch(() => path);
    const temp = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    // Said now, not after the analysis, when the rename would fail.
    if ((await stat(target).catch(() => undefined))?.isDirectory()) throw new InputError(`${path}: cannot write the report (EISDIR)`);
    cleanUpOnExit();
    let fd: number;
    try {
      // Synchronously, in the same turn as it is registered: a signal handled between the
      // file's creation and its registration would leave it behind.
      fd = openSync(temp, 'wx');
    } catch (error) {
      throw cannotWrite(path, error);
    }
    pending.add(temp);
    return new OutFile(path, target, temp, fd);
  }

  /** Writes `text` with PATH's permissions (set first: a private report is never readable), then puts it in place of PATH. */
  async commit(text: string): Promise<void> {
    try {
      const mode = await stat(this.target).then((s) => s.mode & 0o7777, () => undefined);
      if (mode !== undefined) await promisify(fchmod)(this.fd, mode);
      await promisify(writeFile)(this.fd, text);
      // On disk before the rename, or a crash could leave PATH empty.
      await promisify(fsync)(this.fd);
      await promisify(close)(this.fd);
      await rename(this.temp, this.target);
      pending.delete(this.temp);
    } catch (error) {
      throw cannotWrite(this.path, error);
    }
  }
}
