/**
 * The rows down the side: device → memory block → subblock, collapsible. A device or memory
 * block row summarises its lanes; a subblock row is one lane. Rows hide when the filter
 * leaves none of their lanes.
 */
import type { TimelineMeta } from '../../src/protocol/timeline-data';
import { type Filter, flaggedLanes, isEmpty, lanePasses } from './filter';

export interface Row {
  kind: 'device' | 'block' | 'lane';
  /** Stable across rebuilds: what the expanded set and a saved state remember. */
  key: string;
  laneFrom: number;
  laneTo: number;
  label: string;
  depth: number;
  expanded: boolean;
}

/** Above this many subblocks, memory blocks start collapsed. */
const EXPAND_BLOCKS_UP_TO = 256;

/** The key of a device's row. */
export function deviceKey(device: string): string {
  return `d:${device}`;
}

/** Every device open, no memory block open: "collapse all". */
export function devicesOpen(meta: TimelineMeta): Set<string> {
  return new Set(meta.devices.map((d) => deviceKey(d.device)));
}

export function defaultExpanded(meta: TimelineMeta): Set<string> {
  const expanded = devicesOpen(meta);
  if (meta.lanes <= EXPAND_BLOCKS_UP_TO) for (const row of allBlocks(meta)) expanded.add(row.key);
  return expanded;
}

export function buildRows(meta: TimelineMeta, expanded: ReadonlySet<string>, filter: Filter): Row[] {
  const rows: Row[] = [];
  const filtering = !isEmpty(filter);
  const flagged = filtering ? flaggedLanes(filter, meta) : new Uint8Array(0);
  for (const d of meta.devices) {
    const passes = (lane: number) =>
      !filtering || lanePasses(filter, meta, lane, d.device, d.base + (lane - d.firstLane) * d.subblockSize, d.subblockSize, flagged);
    // Without a filter every lane stays: no per-lane work for blocks that are not open.
    const kept = filtering
      ? blocksOf(d).map((b) => ({ ...b, lanes: range(b.laneFrom, b.laneTo).filter(passes) })).filter((b) => b.lanes.length > 0)
      : blocksOf(d).map((b) => ({ ...b, lanes: undefined }));
    if (kept.length === 0) continue;
    const key = deviceKey(d.device);
    const deviceOpen = expanded.has(key);
    rows.push({ kind: 'device', key, laneFrom: d.firstLane, laneTo: d.firstLane + d.count, label: d.device, depth: 0, expanded: deviceOpen });
    if (!deviceOpen) continue;
    for (const b of kept) {
      const open = expanded.has(b.key);
      rows.push({ kind: 'block', key: b.key, laneFrom: b.laneFrom, laneTo: b.laneTo, label: b.label, depth: 1, expanded: open });
      if (!open) continue;
      for (const lane of b.lanes ?? range(b.laneFrom, b.laneTo)) {
        const address = d.base + (lane - d.firstLane) * d.subblockSize;
        rows.push({ kind: 'lane', key: `l:${lane}`, laneFrom: lane, laneTo: lane + 1, label: hex(address), depth: 2, expanded: false });
      }
    }
  }
  return rows;
}

interface Block {
  key: string;
  label: string;
  laneFrom: number;
  laneTo: number;
}

function blocksOf(d: TimelineMeta['devices'][number]): Block[] {
  const blocks: Block[] = [];
  let lane = d.firstLane;
  const end = d.firstLane + d.count;
  while (lane < end) {
    const address = d.base + (lane - d.firstLane) * d.subblockSize;
    const id = Math.floor(address / d.memoryBlockSize);
    const blockEnd = (id + 1) * d.memoryBlockSize;
    const to = Math.min(end, d.firstLane + Math.ceil((blockEnd - d.base) / d.subblockSize));
    blocks.push({ key: `b:${d.device}:${id}`, label: `memory${id}`, laneFrom: lane, laneTo: to });
    lane = to;
  }
  return blocks;
}

function allBlocks(meta: TimelineMeta): Block[] {
  return meta.devices.flatMap(blocksOf);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
