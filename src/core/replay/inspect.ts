/**
 * The replay's state as records for people and expressions: a subblock, a memory block, a
 * device, the findings so far, the current event. Read-only: nothing here creates a device or
 * grows a store (the model's own lookups would).
 *
 * DOMAIN names map onto the model's components: `plug` is `dev` (QEMU's bitmap bit); `sept`
 * (TDX S-EPT) and `rmp` (SEV-SNP RMP) are views of `accept`: accepted and stale are MAPPED /
 * VALIDATED (a stale page is still accepted after an UNPLUG that did not discard it), pending
 * is PENDING / ASSIGNED, free is FREE.
 */
import { codeInfo } from '../diagnose/catalog';
import type { Analyzer } from '../diagnose/analyzer';
import type { HotplugEvent } from '../events';
import type { DeviceModel } from '../model/device';
import { type Geometry, memoryBlockId } from '../model/geometry';
import { COMPONENT_NAMES, type Tuple, tupleText } from '../model/state';
import { basename } from '../paths';
import { hexString } from '../text/hex';
import type { Rec, Value } from './expr/evaluate';

const SEPT: Record<Tuple['accept'], string> = { unknown: 'unknown', free: 'FREE', pending: 'PENDING', accepted: 'MAPPED', stale: 'MAPPED' };
const RMP: Record<Tuple['accept'], string> = { unknown: 'unknown', free: 'FREE', pending: 'ASSIGNED', accepted: 'VALIDATED', stale: 'VALIDATED' };


/** The device whose region holds `addr`; with one device only, that one. */
export function deviceOf(analyzer: Analyzer, addr: bigint, id?: string): DeviceModel | undefined {
  const devices = [...analyzer.model.devices.values()];
  if (id !== undefined) return devices.find((d) => d.id === id);
  const holding = devices.find((d) => {
    const g = d.geometry;
    const start = g.resolvedStart;
    return start !== undefined && addr >= start && (g.regionSize === undefined || addr < start + g.regionSize);
  });
  return holding ?? (devices.length === 1 ? devices[0] : undefined);
}

/** A subblock's state as a record; undefined when no device holds the address or nothing is known of it yet. */
export function subblockRecord(analyzer: Analyzer, addr: bigint, paths: readonly string[], id?: string): Rec | undefined {
  const d = deviceOf(analyzer, addr, id);
  return d && subblockOf(d, d.describe(), addr, paths);
}

/** `subblockRecord` for a device and geometry already at hand (a memory block reads 64 of them). */
function subblockOf(d: DeviceModel, g: Geometry, addr: bigint, paths: readonly string[]): Rec | undefined {
  const at = d.read(addr);
  if (!at) return undefined;
  const { store, index } = at;
  const tuple = store.get(index);
  const address = d.addressOf(index);
  const line = store.lastLine[index];
  const text = tupleText(tuple);
  const record: Rec = {
    summary: text,
    device: d.id,
    address,
    block: memoryBlockId(address, g),
    state: text,
    tuple: BigInt(store.tupleNumber(index)),
    plug: tuple.dev,
    sept: SEPT[tuple.accept],
    rmp: RMP[tuple.accept],
    inferred: store.inferred[index] === 1,
    setBy: line >= 0 ? `${basename(paths[store.lastInput[index]] ?? '?')}:${line}` : null,
  };
  for (const c of COMPONENT_NAMES) record[c] = tuple[c];
  return record;
}

/** A memory block (`mb` id as the driver counts: address / memory block size) and how its subblocks stand. */
export function memoryBlockRecord(analyzer: Analyzer, id: bigint, paths: readonly string[], deviceId?: string): Rec | undefined {
  const devices = [...analyzer.model.devices.values()].filter((d) => deviceId === undefined || d.id === deviceId);
  for (const d of devices) {
    const g = d.describe();
    const start = id * g.memoryBlockSize;
    const covered = d.covered;
    if (!covered || start < covered.start || start >= covered.end) continue;
    const end = start + g.memoryBlockSize;
    const counts = new Map<string, number>();
    const subblocks: Value[] = [];
    for (let a = start; a < end && a < covered.end; a += covered.subblockSize) {
      const sb = subblockOf(d, g, a, paths);
      if (!sb) continue;
      subblocks.push(sb);
      counts.set(sb.state as string, (counts.get(sb.state as string) ?? 0) + 1);
    }
    const count = (component: string, value: string): bigint => BigInt(subblocks.filter((s) => (s as Rec)[component] === value).length);
    return {
      summary: [...counts].map(([state, n]) => `${n} × ${state}`).join(', '),
      device: d.id,
      id,
      start,
      end,
      plugged: count('dev', 'plugged'),
      accepted: count('accept', 'accepted'),
      stale: count('accept', 'stale'),
      subblocks,
    };
  }
  return undefined;
}

export function deviceRecord(analyzer: Analyzer, id: string): Rec | undefined {
  const d = analyzer.model.devices.get(id);
  if (!d) return undefined;
  const g = d.describe();
  const covered = d.covered;
  let plugged = 0n;
  if (covered) {
    for (let a = covered.start; a < covered.end; a += covered.subblockSize) {
      const at = d.read(a);
      if (at && at.store.get(at.index).dev === 'plugged') plugged += covered.subblockSize;
    }
  }
  return {
    summary: `${id}: ${hexString(plugged)} plugged${g.startAddress !== undefined ? ` at ${hexString(g.startAddress)}` : ''}`,
    id,
    start: g.startAddress ?? null,
    regionSize: g.regionSize ?? null,
    blockSize: g.deviceBlockSize,
    memoryBlockSize: g.memoryBlockSize,
    subblockSize: g.subblockSize,
    mode: g.mode,
    geometry: g.geometry,
    plugged,
  };
}

/** The findings drafted so far; `filter` is a code (`HPL001`) or a severity (`error`). */
export function findingRecords(analyzer: Analyzer, paths: readonly string[], filter?: string): Rec[] {
  return analyzer.drafts
    .filter((d) => filter === undefined || d.code === filter || codeInfo(d.code).severity === filter)
    .map((d) => ({
      summary: `${d.code} ${basename(paths[d.at.input] ?? '?')}:${d.at.line}: ${analyzer.messageOf(d)}`,
      code: d.code,
      name: codeInfo(d.code).name,
      severity: codeInfo(d.code).severity,
      message: analyzer.messageOf(d),
      path: paths[d.at.input] ?? null,
      line: BigInt(d.at.line),
      ...(d.range ? { start: d.range.start, end: d.range.end } : {}),
    }));
}

/** The fields of an event as a record: its kind, rule and place, then what it says. */
export function eventRecord(e: HotplugEvent, position: number): Rec {
  const record: Rec = {
    summary: `${e.kind} (${e.rule}) ${basename(e.source.path)}:${e.source.line}`,
    position: BigInt(position),
    kind: e.kind,
    rule: e.rule,
    path: e.source.path,
    line: BigInt(e.source.line),
  };
  if (e.time) record.time = `${(e.time.micros / 1e6).toFixed(6)} s (${e.time.clock})`;
  for (const [k, v] of Object.entries(e)) {
    if (k in record || k === 'source' || k === 'input' || k === 'aligned' || k === 'time') continue;
    record[k] = toValue(v);
  }
  return record;
}

function toValue(v: unknown): Value {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : String(v);
  if (Array.isArray(v)) return v.map(toValue);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, toValue(x)]));
  return String(v);
}

