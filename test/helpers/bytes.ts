/** Shared helpers for tests of the byte → line → event path: chunking, in-memory sources, log generators. */
import * as fc from 'fast-check';
import type { InputSource } from '../../src/core/ingest';
import { type LineReaderOptions, LineSplitter, type PhysicalLine } from '../../src/core/ingest/lines';

/** Real lines of the three kinds of input (guest dmesg, QEMU trace, host dmesg) and their envelopes. */
export const REAL_LINES: readonly string[] = [
  '[ 5707.392231] virtio_mem virtio5: plugged size: 0x80000000',
  '[ 5707.392240] virtio_mem virtio5: requested size: 0x80000000',
  '[   10.000000] virtio_mem virtio5: plugging memory: 0x100000000 - 0x107ffffff',
  '4321@1774365707.392231:virtio_mem_plug_request addr=0x100000000 nb_blocks=64',
  '2026-03-24T15:21:47.392231Z virtio_mem_send_response type=0',
  '[ 5708.000001] tdx: Failed to accept memory [0x108000000, 0x110000000)',
  '[    1.0] virtio_mem virtio5: some future message',
  '<4>[ 12.5] virtio_mem virtio5: unplugging memory: 0x100000000 - 0x107ffffff',
  'Nov 29 04:55:28 host kernel: virtio_mem virtio5: plugged size: 0x0',
  '------------[ cut here ]------------',
  'WARNING: CPU: 0 PID: 1 at mm/memory_hotplug.c:1234 add_memory_resource+0x1/0x2',
  'Modules linked in: virtio_mem',
  '---[ end trace 0000000000000000 ]---',
  '(qemu) qom-set vm0 requested-size 4G',
  'qemu-system-x86_64: warning: virtio-mem: something odd',
  '[  100.1] ACPI: bus type PCI registered',
  '',
];

/** Byte sequences that are not valid UTF-8 (lone continuation, cut sequences, overlong, surrogate, > U+10FFFF). */
export const INVALID_UTF8: readonly number[][] = [[0xff], [0x80], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]];

export function utf8(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * Cuts `bytes` into chunks whose sizes cycle through `sizes`. The chunks are plain Uint8Array
 * views (not Buffers) into one larger buffer, at a non-zero byte offset, as a reader might hand out.
 */
export function chunk(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const padded = new Uint8Array(bytes.length + 3);
  padded.set(bytes, 3);
  const out: Uint8Array[] = [];
  let i = 0;
  for (let pos = 0; pos < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length]);
    out.push(padded.subarray(3 + pos, 3 + Math.min(bytes.length, pos + size)));
    pos += size;
  }
  return out;
}

/** All lines of `bytes` through one LineSplitter, fed in the given chunks. */
export function splitAll(chunks: readonly Uint8Array[], options?: LineReaderOptions): PhysicalLine[] {
  const splitter = new LineSplitter(options);
  const lines: PhysicalLine[] = [];
  const emit = (line: PhysicalLine): void => {
    lines.push(line);
  };
  for (const c of chunks) splitter.push(c, emit);
  splitter.end(emit);
  return lines;
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export async function* yieldAll<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** An input held in memory, handed out in the given chunk sizes on every `open`. */
export function memorySource(path: string, bytes: Uint8Array, sizes: readonly number[] = [1 << 16]): InputSource {
  return { path, open: () => yieldAll(chunk(bytes, sizes)) };
}

/** Chunk size patterns: single bytes, small random sizes, one big chunk. */
export const chunkSizesArb: fc.Arbitrary<readonly number[]> = fc.oneof(
  fc.constant([1]),
  fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }),
  fc.constant([1 << 20]),
);

/** Raw input: a random mix of real lines, line breaks, NULs, invalid UTF-8, multi-byte text and noise. */
export const messyBytesArb: fc.Arbitrary<Uint8Array> = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...REAL_LINES).map(utf8) },
      { weight: 4, arbitrary: fc.constantFrom('\n', '\r\n', '\r', '\n\n', '\r\r\n', '\0').map(utf8) },
      { weight: 1, arbitrary: fc.constantFrom(...INVALID_UTF8).map((b) => new Uint8Array(b)) },
      { weight: 1, arbitrary: fc.constantFrom('é', '€', '😀', 'ü\r', '\t').map(utf8) },
      { weight: 2, arbitrary: fc.uint8Array({ maxLength: 24 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }).map(utf8) },
    ),
    { maxLength: 40 },
  )
  .map(concatBytes);

/** Log lines for the parser: real ones with random values, wrapped records, splats, noise. */
const hex = fc.bigInt({ min: 0n, max: (1n << 48n) - 1n }).map((v) => `0x${v.toString(16)}`);
const stamp = fc.tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 999999 })).map(([s, u]) => `[${String(s).padStart(5)}.${String(u).padStart(6, '0')}]`);

export const logLineArb: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...REAL_LINES).map((l) => [l]) },
  { weight: 2, arbitrary: fc.tuple(stamp, hex).map(([t, v]) => [`${t} virtio_mem virtio5: plugged size: ${v}`]) },
  { weight: 2, arbitrary: fc.tuple(stamp, hex, hex).map(([t, a, b]) => [`${t} virtio_mem virtio5: plugging memory: ${a} - ${b}`]) },
  // A record cut by the console in two lines.
  { weight: 2, arbitrary: fc.tuple(stamp, hex, hex).map(([t, a, b]) => [`${t} virtio_mem virtio5: plugging memory: ${a} -`, b]) },
  { weight: 1, arbitrary: fc.tuple(stamp, hex).map(([t, a]) => [`${t} virtio_mem virtio5: plugging`, `memory: ${a} -`, `${a}`]) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 99999 }), hex, fc.integer({ min: 0, max: 4096 }))
      .map(([tid, a, n]) => [`${tid}@1774365707.${String(tid % 1000000).padStart(6, '0')}:virtio_mem_plug_request addr=${a} nb_blocks=${n}`]),
  },
  { weight: 1, arbitrary: fc.tuple(stamp, hex, hex).map(([t, a, b]) => [`${t} tdx: Failed to accept memory [${a}, ${b})`]) },
  {
    weight: 1,
    arbitrary: fc
      .subarray(['RIP: 0010:add_memory+0x1/0x2', 'Call Trace:', ' <TASK>', ' virtio_mem_probe+0x10/0x20', ' </TASK>', 'RAX: 0000000000000000 RBX: 0000000000000001'])
      .map((body) => ['------------[ cut here ]------------', 'WARNING: CPU: 1 PID: 7 at mm/memory_hotplug.c:99 add_memory+0x1/0x2', ...body, '---[ end trace 0000000000000000 ]---']),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }).map((s) => [s.replace(/[\r\n]/g, ' ')]) },
  { weight: 1, arbitrary: fc.constantFrom('[ 1.0] virtio_mem virtio5: ', 'virtio_mem', 'RAX=0', '(qemu) ', 'qemu-system-x86_64: ').map((l) => [l]) },
);

/** A whole log: records joined by LF or CRLF, with or without a final line break. */
export const logTextArb: fc.Arbitrary<Uint8Array> = fc
  .tuple(fc.array(logLineArb, { maxLength: 30 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([records, eol, finalBreak]) => {
    const lines = records.flat();
    const text = lines.join(eol) + (finalBreak && lines.length > 0 ? eol : '');
    return utf8(text);
  });
