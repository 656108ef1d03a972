/** Bytes of one input → batches of events, with the input's accounting. */
import { drain } from '../drain';
import type { ClockKind } from '../envelope/types';
import type { HotplugEvent } from '../events';
import { type InputCounts, InputParser, LOOK_SCANNER, type UnparsedLine } from './input-parser';
import { type LineReaderOptions, LineSplitter } from './lines';

const SLICE_BYTES = 64 * 1024;

/** One log to read. `open` may be called more than once (the merge reads multi-input runs twice). */
export interface InputSource {
  path: string;
  open(): AsyncIterable<Uint8Array>;
  /**
   * The same events, read on another thread (big files); returns undefined, before any batch,
   * to have the input read here after all.
   */
  ingestElsewhere?(index: number, options: IngestOptions): AsyncGenerator<HotplugEvent[], InputSummary | undefined>;
}

export interface InputSummary extends InputCounts {
  path: string;
  /** Lines about our subjects that no row took (capped; `unparsed` has the full count). */
  unparsedLines: UnparsedLine[];
  /** Bytes read, for progress. */
  bytes: number;
  /** Lines longer than the line bound, kept only in part. */
  truncatedLines: number;
  /** Records rejoined from console-wrapped lines, and where the first one starts. */
  rejoined: number;
  firstRejoinedLine?: number;
  /** Clock kinds of the timestamps seen, with how many events carried each. */
  clocks: Partial<Record<ClockKind, number>>;
}

export interface IngestOptions extends LineReaderOptions {
  /** Unparsed lines to keep in the summary (default 10,000: input-parser.ts); all are counted. */
  maxUnparsedLines?: number;
  /** Called after each chunk with its size in bytes (a merge reads several inputs, some twice). */
  onProgress?(chunkBytes: number): void;
}

/**
 * Parses one input; yields the events of each chunk as one batch (never one promise per
 * event), and returns the summary when done.
 */
export async function* ingest(
  source: InputSource,
  index: number,
  options: IngestOptions = {},
): AsyncGenerator<HotplugEvent[], InputSummary> {
  if (source.ingestElsewhere) {
    const summary = yield* source.ingestElsewhere(index, options);
    if (summary) return summary;
  }
  return yield* ingestHere(source, index, options);
}

async function* ingestHere(source: InputSource, index: number, options: IngestOptions): AsyncGenerator<HotplugEvent[], InputSummary> {
  let batch: HotplugEvent[] = [];
  const clocks: Partial<Record<ClockKind, number>> = {};
  const parser = new InputParser(source.path, index, (event) => {
    if (event.time) clocks[event.time.clock] = (clocks[event.time.clock] ?? 0) + 1;
    batch.push(event);
  }, options.maxUnparsedLines);
  let truncatedLines = 0;
  const onLine = (line: Parameters<InputParser['line']>[0]): void => {
    if (line.truncated) truncatedLines += 1;
    parser.line(line);
  };
  const splitter = new LineSplitter(options, {
    scanner: LOOK_SCANNER,
    canSkip: () => parser.canSkip(),
    skipped: (lines, overLong) => {
      parser.skipped(lines);
      truncatedLines += overLong;
    },
  });
  let bytes = 0;
  for await (const chunk of source.open()) {
    // Small slices, each batch handed on at once: events die young, in the cheap part of the
    // garbage collector, instead of a whole megabyte's worth surviving into the old space.
    for (let pos = 0; pos < chunk.byteLength; pos += SLICE_BYTES) {
      splitter.push(chunk.subarray(pos, pos + SLICE_BYTES), onLine);
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
    }
    bytes += chunk.byteLength;
    options.onProgress?.(chunk.byteLength);
  }
  splitter.end(onLine);
  parser.end();
  if (batch.length > 0) yield batch;
  return {
    path: source.path,
    ...parser.counts,
    unparsedLines: parser.unparsedLines,
    bytes,
    truncatedLines,
    clocks,
    rejoined: parser.rejoined,
    ...(parser.firstRejoinedLine !== undefined ? { firstRejoinedLine: parser.firstRejoinedLine } : {}),
  };
}

/** Drains `ingest` into a callback; returns the summary. */
export async function ingestAll(
  source: InputSource,
  index: number,
  onEvent: (event: HotplugEvent) => void,
  options: IngestOptions = {},
): Promise<InputSummary> {
  return drain(ingest(source, index, options), (batch) => {
    for (const event of batch) onEvent(event);
  });
}
