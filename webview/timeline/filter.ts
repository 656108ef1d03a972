/**
 * The filter box: `device:virtio5 addr:0x100000000-0x140000000 state:stale code:HPL001
 * kind:unplug`. Bare words are recognised by their shape (HPL001, virtio5, 0x…, a state or an
 * event kind). Tokens of one key are alternatives; different keys must all hold.
 */
import type { TimelineMeta } from '../../src/protocol/timeline-data';

export interface Filter {
  devices: Set<string>;
  /** Address ranges `[from, to)`. */
  ranges: Array<[number, number]>;
  classMask: number;
  actionMask: number;
  codes: Set<string>;
}

export interface ParsedFilter {
  filter: Filter;
  /** Tokens that meant nothing, to tell the user. */
  unknown: string[];
}

export function parseFilter(text: string, meta: TimelineMeta): ParsedFilter {
  const filter: Filter = { devices: new Set(), ranges: [], classMask: 0, actionMask: 0, codes: new Set() };
  const unknown: string[] = [];
  const classIndex = (v: string) => meta.classes.findIndex((c) => c.id === v || c.label === v);
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const m = /^([a-z]+):(.*)$/i.exec(token);
    const key = m ? m[1].toLowerCase() : guessKey(token, meta);
    const value = m ? m[2] : token;
    const ok = (() => {
      switch (key) {
        case 'device':
        case 'dev':
          return meta.devices.some((d) => d.device === value) && (filter.devices.add(value), true);
        case 'addr':
        case 'address': {
          const range = parseRange(value);
          return range !== undefined && (filter.ranges.push(range), true);
        }
        case 'state': {
          const i = classIndex(value.toLowerCase());
          return i >= 0 && ((filter.classMask |= 1 << i), true);
        }
        case 'code':
          return /^HPL\d{3}$/i.test(value) && (filter.codes.add(value.toUpperCase()), true);
        case 'kind':
        case 'action': {
          const i = meta.actions.indexOf(value);
          return i >= 0 && i < 32 && ((filter.actionMask |= 1 << i), true);
        }
        default:
          return false;
      }
    })();
    if (!ok) unknown.push(token);
  }
  return { filter, unknown };
}

function guessKey(token: string, meta: TimelineMeta): string {
  if (/^HPL\d{3}$/i.test(token)) return 'code';
  if (/^0x[0-9a-f]+/i.test(token)) return 'addr';
  if (meta.devices.some((d) => d.device === token)) return 'device';
  if (meta.classes.some((c) => c.id === token.toLowerCase())) return 'state';
  if (meta.actions.includes(token)) return 'kind';
  return '';
}

/** `0x100000000` (one address) or `0x100000000-0x140000000` (end exclusive). */
function parseRange(v: string): [number, number] | undefined {
  const m = /^(0x[0-9a-f]+)(?:-(0x[0-9a-f]+))?$/i.exec(v);
  if (!m) return undefined;
  const from = Number.parseInt(m[1], 16);
  const to = m[2] ? Number.parseInt(m[2], 16) : from + 1;
  return to > from ? [from, to] : undefined;
}

export function isEmpty(f: Filter): boolean {
  return f.devices.size === 0 && f.ranges.length === 0 && f.classMask === 0 && f.actionMask === 0 && f.codes.size === 0;
}

/** Whether lane `lane` (of device `device`, at `address`, `size` bytes) passes the filter. */
export function lanePasses(f: Filter, meta: TimelineMeta, lane: number, device: string, address: number, size: number, flagged: Uint8Array): boolean {
  if (f.devices.size > 0 && !f.devices.has(device)) return false;
  if (f.ranges.length > 0 && !f.ranges.some(([a, b]) => address < b && address + size > a)) return false;
  if (f.classMask !== 0 && (meta.laneClasses[lane] & f.classMask) === 0) return false;
  if (f.actionMask !== 0 && (meta.laneActions[lane] & f.actionMask) === 0) return false;
  if (f.codes.size > 0 && !flagged[lane]) return false;
  return true;
}

/** Per lane: 1 when a finding with one of the filter's codes covers it. */
export function flaggedLanes(f: Filter, meta: TimelineMeta): Uint8Array {
  const flagged = new Uint8Array(meta.lanes);
  for (const finding of meta.findings) {
    if (!f.codes.has(finding.code) || finding.laneFrom < 0) continue;
    flagged.fill(1, finding.laneFrom, finding.laneTo);
  }
  return flagged;
}
