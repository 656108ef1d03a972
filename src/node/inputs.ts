/**
 * Node-side inputs for the core: files (gzip detected by its magic bytes and decompressed
 * transparently) and standard input. Shared by the CLI and the analysis worker.
 */
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
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
 * Checks that `path` can be read, so that bad usage fails before any output is written. Big
 * files are read on a worker thread while this one replays and diagnoses. Events and errors
 * name the input `label`.
 */
export async function fileSource(path: string, label = path): Promise<InputSource> {
  const source = await plainFileSource(path, label);
  if (source.size < INGEST_ON_WORKER_BYTES) return source;
  return { ...source, ingestElsewhere: (index, options) => ingestElsewhere(path, label, index, options, (message) => new InputError(message)) };
}

/** `fileSource` read on this thread only; `size` is the file's (0 for a pipe, which only this thread can read). */
export async function plainFileSource(path: string, label = path): Promise<InputSource & { size: number }> {
  let gzip: boolean;
  let size: number;
  try {
    // A pipe (`<(zcat …)`, /dev/stdin) can neither be read at an offset nor read twice: it is
    // taken in whole, like standard input.
    const info = await stat(path);
    if (!info.isFile() && !info.isDirectory()) return { ...(await bufferedSource(label, await readFile(path))), size: 0 };
    gzip = await isGzip(path);
    size = info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(describe(error, label));
  }
  return {
    path: label,
    size,
    async *open() {
      const raw = createReadStream(path, { highWaterMark: CHUNK_BYTES });
      const stream = gzip ? raw.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : raw;
      if (gzip) raw.on('error', (error) => stream.destroy(error));
      try {
        for await (const chunk of stream) yield chunk as Buffer;
      } catch (error) {
        throw new InputError(describe(error, label));
      }
    },
  };
}

/**
 * Standard input, read once and kept: a merge of several inputs reads each twice. Logs piped
 * in are expected to be small; big ones should be passed as files.
 */
export async function stdinSource(label = '-'): Promise<InputSource> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return bufferedSource(label, Buffer.concat(chunks));
}

/** Input held in memory, gunzipped first when it is gzip data. */
export async function bufferedSource(label: string, data: Buffer): Promise<InputSource> {
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) {
    const { gunzipSync } = await import('node:zlib');
    try {
      data = gunzipSync(data);
    } catch (error) {
      throw new InputError(describe(error, label));
    }
  }
  return {
    path: label,
    async *open() {
      for (let pos = 0; pos < data.length; pos += CHUNK_BYTES) yield data.subarray(pos, pos + CHUNK_BYTES);
    },
  };
}
