/**
 * Helpers for the diagnosis tests that build their logs in memory: a guest dmesg and a QEMU
 * trace from message texts, the analysis of them, a finding in one line of text, and the state
 * a subblock was left in. Every wording is a real one (the source tables of src/core/sources/).
 */
import type { Analysis, AnalysisOptions } from '../../../src/core/analyze';
import { analyze } from '../../../src/core/analyze';
import type { Finding } from '../../../src/core/diagnose/finding';
import { TUPLES, tupleText } from '../../../src/core/model/state';
import { memorySource, utf8 } from '../../helpers/bytes';

/** A guest dmesg from message texts, one per line (line n is `messages[n - 1]`), timestamps 1 s apart. */
export function dmesg(...messages: string[]): string {
  return messages.map((m, i) => `[  ${(100 + i).toFixed(6)}] ${m}\n`).join('');
}

/** A QEMU trace (log backend, `-D`) from event texts, one per line, without the `pid@time:` prefix. */
export function trace(...events: string[]): string {
  return events.map((e) => `${e}\n`).join('');
}

/** virtio5's init lines (drivers/virtio/virtio_mem.c, virtio_mem_init / virtio_mem_init_hotplug): a 4 GiB region at 4 GiB. */
export const VIRTIO5_PROBE = [
  'virtio_mem virtio5: start address: 0x100000000',
  'virtio_mem virtio5: region size: 0x100000000',
  'virtio_mem virtio5: device block size: 0x200000',
  'virtio_mem virtio5: nid: 0',
  'virtio_mem virtio5: memory block size: 0x8000000',
  'virtio_mem virtio5: subblock size: 0x200000',
];

/** virtio6's start and size only: a 1 GiB region right above virtio5's. */
export const VIRTIO6_PROBE = ['virtio_mem virtio6: start address: 0x200000000', 'virtio_mem virtio6: region size: 0x40000000'];

/** In-memory logs, `[path, text]`, analysed with the final states kept. */
export function analyzeLogs(inputs: Array<[string, string]>, options: AnalysisOptions = {}): Promise<Analysis> {
  return analyze(
    inputs.map(([path, text]) => memorySource(path, utf8(text))),
    { ...options, observe: { ...options.observe, finalState: true } },
  );
}

/** A finding in one line: `CODE path:line (cause, confidence) message`. */
export function line(f: Finding): string {
  return `${f.code} ${f.location.path}:${f.location.line} (${f.cause}, ${f.confidence}) ${f.message}`;
}

/** A finding's related lines, `path:line message`. */
export function related(f: Finding): string[] {
  return f.related.map((r) => `${r.path}:${r.line} ${r.message}`);
}

export function hexRange(f: Finding): string | undefined {
  return f.range ? `0x${f.range.start.toString(16)}-0x${f.range.end.toString(16)}` : undefined;
}

/** The state the logs left the subblock at `address` of `device` in (`tupleText`), or undefined when the device holds no state. */
export function stateAt(a: Analysis, device: string, address: bigint): string | undefined {
  const s = a.states?.find((d) => d.device === device);
  if (!s) return undefined;
  const index = Number((address - BigInt(s.base)) / BigInt(s.subblockSize));
  if (index < 0 || index >= s.tuples.length) return undefined;
  return tupleText(TUPLES[s.tuples[index]]);
}
