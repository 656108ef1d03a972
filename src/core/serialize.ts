/**
 * Events as plain JSON values: `bigint` becomes a `0x` hex string, the source reference is
 * flattened to `path` and `line`. The one serialisation used by the CLI, the worker and tests.
 */
import type { EventTime, HotplugEvent } from './events';
import { GiB, MiB } from './model/geometry';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export function hexString(value: bigint): string {
  return `0x${value.toString(16)}`;
}

/** A size as the logs print it, with the round unit a person would say: `0x80000000 (2 GiB)`. */
export function sizeText(bytes: bigint): string {
  if (bytes !== 0n && bytes % GiB === 0n) return `${hexString(bytes)} (${bytes / GiB} GiB)`;
  if (bytes !== 0n && bytes % MiB === 0n) return `${hexString(bytes)} (${bytes / MiB} MiB)`;
  return hexString(bytes);
}

export function plain(value: unknown): JsonValue {
  switch (typeof value) {
    case 'bigint':
      return hexString(value);
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'object':
      if (value === null) return null;
      if (Array.isArray(value)) return value.map(plain);
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
    default:
      return null;
  }
}

const PIPELINE_FIELDS = new Set(['source', 'time', 'input', 'aligned', 'kind', 'rule']);

export function eventToJson(event: HotplugEvent): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {
    path: event.source.path,
    line: event.source.line,
    kind: event.kind,
    rule: event.rule,
  };
  if (event.source.span > 1) out.span = event.source.span;
  if (event.time) out.time = { clock: event.time.clock, us: event.time.micros };
  if (event.aligned !== undefined) out.aligned = event.aligned;
  for (const [key, value] of Object.entries(event)) {
    if (!PIPELINE_FIELDS.has(key)) out[key] = plain(value);
  }
  return out;
}

let lastPath = '';
let lastQuoted = '""';

/** Every event of an input has the same path: quote it once. */
function quotedPath(path: string): string {
  if (path !== lastPath) {
    lastPath = path;
    lastQuoted = JSON.stringify(path);
  }
  return lastQuoted;
}

/**
 * The same document as `JSON.stringify(eventToJson(event))`, written directly: the CLI prints
 * millions of events, and building an object per event first costs more than parsing it did.
 */
export function eventToJsonText(event: HotplugEvent): string {
  const src = event.source;
  let out = `{"path":${quotedPath(src.path)},"line":${src.line},"kind":"${event.kind}","rule":"${event.rule}"`;
  if (src.span > 1) out += `,"span":${src.span}`;
  if (event.time) out += `,"time":{"clock":"${event.time.clock}","us":${event.time.micros}}`;
  if (event.aligned !== undefined) out += `,"aligned":${event.aligned}`;
  for (const key in event) {
    if (PIPELINE_FIELDS.has(key)) continue;
    const value = (event as unknown as Record<string, unknown>)[key];
    switch (typeof value) {
      case 'bigint':
        out += `,"${key}":"0x${value.toString(16)}"`;
        break;
      case 'number':
        // A decimal field of absurd length parses to Infinity; JSON has no such number.
        out += `,"${key}":${Number.isFinite(value) ? value : 'null'}`;
        break;
      case 'boolean':
        out += `,"${key}":${value}`;
        break;
      case 'string':
        out += `,"${key}":${JSON.stringify(value)}`;
        break;
      default:
        out += `,"${key}":${JSON.stringify(plain(value))}`;
    }
  }
  return `${out}}`;
}

/** `5707.392231` for boot clocks, ISO-8601 for wall clocks. */
export function formatTime(time: EventTime): string {
  if (time.clock === 'boot') {
    const seconds = Math.floor(time.micros / 1e6);
    return `${seconds}.${String(time.micros - seconds * 1e6).padStart(6, '0')}`;
  }
  const ms = Math.floor(time.micros / 1000);
  const iso = new Date(ms).toISOString().replace('Z', '');
  const sub = String(time.micros % 1000).padStart(3, '0');
  return time.clock === 'wall' ? `${iso}${sub}Z` : `${iso}${sub}`;
}
