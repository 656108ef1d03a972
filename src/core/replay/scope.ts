/** The functions and names expressions see at the cursor's position (docs/replay.md). */
import type { ReplayCursor } from './cursor';
import { type EvalScope, ExprError, type Value } from './expr/evaluate';
import { deviceRecord, eventRecord, findingRecords, memoryBlockRecord, subblockRecord } from './inspect';

function address(v: Value, what: string): bigint {
  if (typeof v !== 'bigint') throw new ExprError(`${what} takes a number (an address like 0x108000000)`);
  return v;
}

function optionalDevice(v: Value | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ExprError("a device is named by a string: 'virtio5'");
  return v;
}

/** `cursor` may be a getter: a debug session swaps its cursor when a what-if re-runs the trace. */
export function replayScope(cursor: ReplayCursor | (() => ReplayCursor)): EvalScope {
  const get = typeof cursor === 'function' ? cursor : () => cursor;
  const paths = get().trace.merge.inputs.map((i) => i.path);
  const a = () => get().analyzer;
  return {
    functions: {
      sb: (addr, device) => subblockRecord(a(), address(addr, 'sb()'), paths, optionalDevice(device)) ?? null,
      mb: (id, device) => memoryBlockRecord(a(), address(id, 'mb()'), paths, optionalDevice(device)) ?? null,
      device: (id) => {
        const name = optionalDevice(id);
        if (name === undefined) throw new ExprError("device() takes a name: device('virtio5')");
        return deviceRecord(a(), name) ?? null;
      },
      findings: (filter) => {
        if (filter !== undefined && typeof filter !== 'string') throw new ExprError("findings() takes a code or a severity: findings('HPL001')");
        return findingRecords(a(), paths, filter);
      },
    },
    names: {
      event: () => {
        const c = get();
        return c.current ? eventRecord(c.current, c.position) : null;
      },
      position: () => BigInt(get().position),
    },
  };
}
