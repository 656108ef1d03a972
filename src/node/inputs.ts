/**
 * Node-side inputs for the core: files, pipes, devices and standard input, all streamed (gzip
 * detected by its magic bytes and decompressed transparently). Shared by the CLI and the
 * analysis worker.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { type FileHandle, open, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { InputSource } from '../core/ingest';
import { ingestElsewhere } from './ingest-elsewhere';

const CHUNK_BYTES = 1 << 20;
/** Files from this size on are read on a worker thread: starting one costs more than a small log. */
export const INGEST_ON_WORKER_BYTES = 16 << 20;

/** A file that cannot be read, with a message fit for one line of output. */
export class InputError extends Error {}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

function describe(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return `${path}: no such file`;
    case 'EACCES':
    case 'EPERM':
      return `${path}: permission denied`;
    case 'EISDIR':
      return `${path}: is a directory`;
    case 'EBADF':
      // Standard input closed, or open for writing only (`0>file`, `<&1`).
      return `${path}: ${path === '-' ? 'standard input is closed or not open for reading' : 'not open for reading'}`;
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
      return `${path}: corrupt gzip data (${(error as Error).message})`;
    default:
      return `${path}: ${(error as Error).message}`;
  }
}

/**
 * How many bytes reading `path` yields, for progress: the file size, or for gzip the size its
 * trailer records (ISIZE, modulo 4 GiB, of the last member: an estimate for multi-member files).
 */
export async function contentSize(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isFile() || info.size < 18 || !(await isGzip(path))) return info.size;
  const handle = await open(path, 'r');
  try {
    const trailer = Buffer.alloc(4);
    await handle.read(trailer, 0, 4, info.size - 4);
    return trailer.readUInt32LE(0);
  } finally {
    await handle.close();
  }
}

/**
 * How a source that can be read only once (a pipe, a device, standard input) is to be used.
 * `readOnce`: its reader opens it only once (a single input, nothing quoted afterwards), so
 * that no copy of it is kept for a second reading.
 */
export interface OnceReadable {
  readOnce?: boolean;
  /** The most bytes copied for a second reading (SPILL_LIMIT_BYTES). */
  spillLimitBytes?: number;
}

/**
 * Checks that `path` can be read, so that bad usage fails before any output is written. Big
 * files are read on a worker thread while this one replays and diagnoses. Events and errors
 * name the input `label`.
 */
export async function fileSource(path: string, label = path, options: OnceReadable = {}): Promise<InputSource> {
  const source = await plainFileSource(path, label, options);
  if (source.size < INGEST_ON_WORKER_BYTES) return source;
  return { ...source, ingestElsewhere: (index, options) => ingestElsewhere(path, label, index, options, (message) => new InputError(message)) };
}

/** `fileSource` read on this thread only; `size` is the file's (0 for a pipe, which only this thread can read). */
export async function plainFileSource(path: string, label = path, options: OnceReadable = {}): Promise<InputSource & { size: number }> {
  let info: Stats;
  try {
    info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (error) {
    throw new InputError(describe(error, label));
  }
  // A pipe (`<(zcat …)`, /dev/stdin) or a device can neither be read at an offset nor twice.
  if (!info.isFile()) return { ...onceReadableSource(label, () => createReadStream(path, { highWaterMark: CHUNK_BYTES }), options), size: 0 };
  return {
    path: label,
    size: info.size,
    open: () => decoded(createReadStream(path, { highWaterMark: CHUNK_BYTES }), label),
  };
}

/** Standard input, streamed like a pipe given by path. */
export async function stdinSource(label = '-', options: OnceReadable = {}): Promise<InputSource> {
  return onceReadableSource(label, () => process.stdin, options);
}

/**
 * A stream that can be read only once (standard input, a FIFO, a device) as a source that can
 * be opened again. Keeping it in memory, as was done, cost a 9 MB gzip bomb 4.3 GB; keeping only
 * what a second reading needs is not possible, since the merge of several inputs and the quotes
 * of the text report both want lines they only know of after the first reading. So the first
 * `open` streams it and copies its raw bytes (still compressed, when gzip) to a temporary file
 * that later opens read back. Measured on a 200 MiB piped log (bench/stdin.js), the copy cost a
 * fifth of the time when each chunk waited for its write, nearly nothing written behind the
 * reading; a reader that opens the source only once (`readOnce`) skips it altogether.
 *
 * The file is unlinked as soon as it is created: the system frees it when the process ends,
 * however it ends (an error, Ctrl-C, a kill), with no handler to run. An input longer than
 * `spillLimitBytes` (an endless device, say) is still read to its end with flat memory, but is
 * not kept: opening it again is then a one-line error.
 */
export function onceReadableSource(label: string, openRaw: () => Readable, { readOnce = false, spillLimitBytes = SPILL_LIMIT_BYTES }: OnceReadable = {}): InputSource {
  let state: { spill?: FileHandle; lost?: string } | undefined;
  return {
    path: label,
    open() {
      if (state === undefined && readOnce) {
        state = { lost: 'a pipe or device can be read only once here' };
        return decoded(openRaw(), label);
      }
      if (state === undefined) {
        state = {};
        return decoded(spilled(openRaw(), state, spillLimitBytes), label);
      }
      const { spill, lost } = state;
      if (!spill) return failing(new InputError(`${label}: ${lost ?? 'cannot be read again while it is being read'}`));
      return decoded(spill.createReadStream({ start: 0, autoClose: false, highWaterMark: CHUNK_BYTES }), label);
    },
  };
}

/**
 * Past this many bytes, a once-readable input is not kept for a second reading: as much as the
 * editor analyses by default (hotplugLens.maxFileSizeMB), and a bound on the disk an endless
 * device can fill.
 */
export const SPILL_LIMIT_BYTES = 4 * 2 ** 30;
/** The copy is written behind the reading, by at most this many bytes. */
const SPILL_BEHIND_BYTES = 4 << 20;

/**
 * The chunks of `raw`, copied as they pass to a temporary file that ends up in `state.spill`
 * when all of them were; `state.lost` says why not otherwise. Failing to keep the copy never
 * fails this first reading.
 */
async function* spilled(raw: Readable, state: { spill?: FileHandle; lost?: string }, limit: number): AsyncGenerator<Buffer> {
  let file: FileHandle | undefined;
  let bytes = 0;
  let behind = 0;
  let writes = Promise.resolve();
  const drop = async (why: string): Promise<void> => {
    state.lost ??= why;
    const dropped = file;
    file = undefined;
    await dropped?.close().catch(() => undefined);
  };
  const copy = async (target: FileHandle, chunk: Buffer): Promise<void> => {
    try {
      if (file === target) await target.writeFile(chunk);
    } catch (error) {
      await drop(`cannot be read again: keeping a copy in ${tmpdir()} failed (${errorCode(error)})`);
    } finally {
      behind -= chunk.length;
    }
  };
  try {
    file = await unlinkedTempFile().catch((error: unknown) => {
      state.lost = `cannot be read again: no temporary file in ${tmpdir()} to keep it in (${errorCode(error)})`;
      return undefined;
    });
    for await (const chunk of raw as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (file && bytes > limit) await drop(`more than ${limit / 2 ** 20} MiB from a pipe or device, too big to keep for a second reading (pass it as a file)`);
      if (file) {
        // Written while the chunk is parsed (a stream's chunks are never reused).
        const target = file;
        behind += chunk.length;
        writes = writes.then(() => copy(target, chunk));
        if (behind > SPILL_BEHIND_BYTES) await writes;
      }
      yield chunk;
    }
    await writes;
    state.spill = file;
    file = undefined;
  } finally {
    await writes;
    if (file) await drop('cannot be read again: its first reading stopped before the end');
  }
}

async function unlinkedTempFile(): Promise<FileHandle> {
  const path = join(tmpdir(), `hotplug-lens-${process.pid}-${randomUUID()}`);
  const file = await open(path, 'wx+', 0o600);
  try {
    await unlink(path);
  } catch (error) {
    await file.close();
    throw error;
  }
  return file;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

async function* failing(error: Error): AsyncGenerator<Buffer> {
  throw error;
}

/**
 * The text `raw` holds: gunzipped when it starts with gzip's magic bytes. Every input is read
 * through here, so a decompressed stream is consumed at the reader's pace (the line splitter
 * keeps at most --max-line-bytes of a line): a gzip bomb costs time, not memory.
 */
async function* decoded(raw: AsyncIterable<Buffer>, label: string): AsyncGenerator<Buffer> {
  const it = raw[Symbol.asyncIterator]();
  try {
    let head: Buffer = Buffer.alloc(0);
    let ended = false;
    while (head.length < 2 && !ended) {
      const step = await it.next();
      if (step.done) ended = true;
      else head = head.length === 0 ? step.value : Buffer.concat([head, step.value]);
    }
    const all = async function* (): AsyncGenerator<Buffer> {
      if (head.length > 0) yield head;
      if (!ended) yield* { [Symbol.asyncIterator]: () => it };
    };
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
      const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
      // pipeline: an error of either side ends both; a reader that stops early closes the input.
      pipeline(Readable.from(all(), { objectMode: false }), gunzip, () => undefined);
      yield* gunzip as AsyncIterable<Buffer>;
    } else {
      yield* all();
    }
  } catch (error) {
    throw error instanceof InputError ? error : new InputError(describe(error, label));
  } finally {
    await it.return?.();
  }
}

/** Input held in memory (an editor's unsaved text, a virtual file), read like any other input. */
export async function bufferedSource(label: string, data: Buffer): Promise<InputSource> {
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let pos = 0; pos < data.length; pos += CHUNK_BYTES) yield data.subarray(pos, pos + CHUNK_BYTES);
  }
  return { path: label, open: () => decoded(chunks(), label) };
}
