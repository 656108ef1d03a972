/**
 * Several inputs (guest dmesg, QEMU trace, host dmesg) → one ordered event stream.
 *
 * One input streams straight through. Several are read twice: a first pass finds the anchors
 * and clocks and decides the alignment; the second pass merges the inputs' streams by aligned
 * time. Keys never decrease within an input, so the order of one source is never changed;
 * ties go to the reference input, then to the lower input index. A year-less input takes its
 * year from another input that has one (years.ts) before its clock is aligned.
 */
import { drain, relay } from '../drain';
import type { HotplugEvent } from '../events';
import { type IngestOptions, type InputSource, type InputSummary, ingest } from '../ingest';
import { type Alignment, alignInputs, type InputClockInfo, KeyClock } from './align';
import { AnchorCollector } from './anchors';
import { dateEvent, datedClockInfo, FirstStamps, type LentYear, lendYears } from './years';

export type { Alignment } from './align';
export type { LentYear } from './years';

export interface MergeReport {
  inputs: InputSummary[];
  /** Index of the input whose clock the merged timeline uses. */
  reference: number;
  alignment: Alignment[];
  /** Per input: the year its year-less stamps were given, and by which input. */
  years: Array<LentYear | undefined>;
}

export interface MergeOptions extends IngestOptions {}

const GUEST_KINDS = /^(?:vmem|tdx|cpa|snp|mm)\./;

/** Reads all inputs once for their anchors and clocks. */
async function survey(
  sources: InputSource[],
  options: MergeOptions,
): Promise<{ infos: InputClockInfo[]; reference: number; years: Array<LentYear | undefined> }> {
  const infos: InputClockInfo[] = [];
  const stamps: FirstStamps[] = [];
  let reference = -1;
  for (const [index, source] of sources.entries()) {
    const collector = new AnchorCollector();
    const first = new FirstStamps();
    let ordinal = 0;
    let guest = false;
    const summary = await drain(ingest(source, index, options), (batch) => {
      for (const event of batch) {
        collector.add(event, ordinal++);
        first.add(event);
        guest ||= GUEST_KINDS.test(event.kind);
      }
    });
    if (guest && reference < 0) reference = index;
    infos.push({ anchors: collector.anchors, clock: dominantClock(summary) });
    stamps.push(first);
  }
  const years = lendYears(stamps);
  return {
    infos: infos.map((info, input) => {
      const lent = years[input];
      return lent ? datedClockInfo(info, lent.year) : info;
    }),
    reference: Math.max(reference, 0),
    years,
  };
}

function dominantClock(summary: InputSummary): InputClockInfo['clock'] {
  let best: InputClockInfo['clock'];
  let count = 0;
  for (const [clock, n] of Object.entries(summary.clocks)) {
    if ((n as number) > count) {
      best = clock as InputClockInfo['clock'];
      count = n as number;
    }
  }
  return best;
}

interface Head {
  input: number;
  rank: number;
  it: AsyncGenerator<HotplugEvent[], InputSummary>;
  clock: KeyClock;
  /** The year this input's year-less stamps are dated in, if another input gave one. */
  year?: number;
  batch: HotplugEvent[];
  keys: number[];
  pos: number;
  ordinal: number;
  summary?: InputSummary;
}

async function refill(head: Head): Promise<boolean> {
  for (;;) {
    const step = await head.it.next();
    if (step.done) {
      head.summary = step.value;
      return false;
    }
    if (step.value.length === 0) continue;
    head.batch = step.value;
    const year = head.year;
    head.keys = head.batch.map((event) => {
      if (year !== undefined) dateEvent(event, year);
      const { key, aligned } = head.clock.next(head.ordinal++, event.time?.micros);
      if (aligned !== undefined) event.aligned = aligned;
      return key;
    });
    head.pos = 0;
    return true;
  }
}

/** Yields the merged events in batches; returns the report when all inputs are read. */
export async function* mergeInputs(
  sources: InputSource[],
  options: MergeOptions = {},
): AsyncGenerator<HotplugEvent[], MergeReport> {
  if (sources.length === 1) {
    const clock = new KeyClock({ input: 0, method: 'reference', pairs: 0 });
    let ordinal = 0;
    const summary = yield* relay(ingest(sources[0], 0, options), (batch) => {
      for (const event of batch) {
        const { aligned } = clock.next(ordinal++, event.time?.micros);
        if (aligned !== undefined) event.aligned = aligned;
      }
    });
    return { inputs: [summary], reference: 0, alignment: [{ input: 0, method: 'reference', pairs: 0 }], years: [undefined] };
  }

  const { infos, reference, years } = await survey(sources, options);
  const alignment = alignInputs(infos, reference);
  const heads: Head[] = sources.map((source, input) => ({
    input,
    rank: input === reference ? -1 : input,
    it: ingest(source, input, options),
    clock: new KeyClock(alignment[input]),
    year: years[input]?.year,
    batch: [],
    keys: [],
    pos: 0,
    ordinal: 0,
  }));
  const live: Head[] = [];
  for (const head of heads) if (await refill(head)) live.push(head);

  const out: HotplugEvent[] = [];
  while (live.length > 0) {
    let best = 0;
    for (let i = 1; i < live.length; i++) {
      const a = live[i];
      const b = live[best];
      const ka = a.keys[a.pos];
      const kb = b.keys[b.pos];
      if (ka < kb || (ka === kb && a.rank < b.rank)) best = i;
    }
    const head = live[best];
    out.push(head.batch[head.pos]);
    head.pos += 1;
    if (head.pos >= head.batch.length && !(await refill(head))) live.splice(best, 1);
    if (out.length >= 4096) yield out.splice(0);
  }
  if (out.length > 0) yield out;
  return { inputs: heads.map((h) => h.summary as InputSummary), reference, alignment, years };
}
