/**
 * A trace to replay: the merged events of a run's inputs, held in memory so that the cursor can
 * go back and forth over them, and the merge's report (input summaries, clock alignment).
 */
import { drain } from '../drain';
import type { HotplugEvent } from '../events';
import type { InputSource } from '../ingest';
import { type MergeOptions, type MergeReport, mergeInputs } from '../merge/index';

export interface Trace {
  events: HotplugEvent[];
  merge: MergeReport;
}

export async function loadTrace(sources: InputSource[], options: MergeOptions = {}): Promise<Trace> {
  const events: HotplugEvent[] = [];
  const merge = await drain(mergeInputs(sources, options), (batch) => {
    for (const e of batch) events.push(e);
  });
  return { events, merge };
}

/** Why a trace cannot be replayed, in words for the user; undefined when it can. */
export function unreplayable(trace: Trace): string | undefined {
  const paths = trace.merge.inputs.map((i) => i.path).join(', ');
  const lines = trace.merge.inputs.reduce((n, i) => n + i.lines, 0);
  if (lines === 0) return `${paths}: the log${trace.merge.inputs.length > 1 ? 's are' : ' is'} empty.`;
  if (trace.events.length === 0) {
    return `${paths}: no virtio-mem, TDX, SEV-SNP or QEMU memory line in ${lines} line${lines === 1 ? '' : 's'}: nothing to replay.`;
  }
  return undefined;
}
