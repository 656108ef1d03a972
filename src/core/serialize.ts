/**
 * Events as plain JSON values: `bigint` becomes a `0x` hex string, the source reference is
 * flattened to `path` and `line`. The one serialisation used by the CLI, the worker and tests.
 */
import type { EventTime, HotplugEvent } from './events';
import { GiB, MiB } from './model/geometry';
import { encode, type TextBytes } from './text-bytes';

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

let lastPath: string | undefined;
let lastHead: Uint8Array = new Uint8Array(0);

/** `{"path":"…","line":` of the events of one input, encoded once: every event of an input has the same path. */
function head(path: string): Uint8Array {
  if (path !== lastPath) {
    lastPath = path;
    lastHead = encode(`{"path":${JSON.stringify(path)},"line":`);
  }
  return lastHead;
}

/** `,"name":` of each event field, encoded once. */
const fieldHeads = new Map<string, Uint8Array>();

function fieldHead(key: string): Uint8Array {
  let piece = fieldHeads.get(key);
  if (!piece) fieldHeads.set(key, (piece = encode(`,${JSON.stringify(key)}:`)));
  return piece;
}

/**
 * Writes the same document as `JSON.stringify(eventToJson(event))`, directly as bytes: the CLI
 * prints millions of events, and building an object or a string per event first costs more
 * than parsing it did.
 */
export function writeEventJson(out: TextBytes, event: HotplugEvent): void {
  const src = event.source;
  out.encoded(head(src.path));
  out.jsonNumber(src.line);
  out.ascii(',"kind":"');
  out.ascii(event.kind);
  out.ascii('","rule":"');
  out.ascii(event.rule);
  out.ascii('"');
  if (src.span > 1) {
    out.ascii(',"span":');
    out.jsonNumber(src.span);
  }
  if (event.time) {
    out.ascii(',"time":{"clock":"');
    out.ascii(event.time.clock);
    out.ascii('","us":');
    out.jsonNumber(event.time.micros);
    out.ascii('}');
  }
  if (event.aligned !== undefined) {
    out.ascii(',"aligned":');
    out.jsonNumber(event.aligned);
  }
  for (const key in event) {
    if (PIPELINE_FIELDS.has(key)) continue;
    const value = (event as unknown as Record<string, unknown>)[key];
    out.encoded(fieldHead(key));
    switch (typeof value) {
      case 'bigint':
        out.jsonHex(value);
        break;
      case 'number':
        out.jsonNumber(value);
        break;
      case 'boolean':
        out.ascii(value ? 'true' : 'false');
        break;
      case 'string':
        out.jsonString(value);
        break;
      default:
        out.text(JSON.stringify(plain(value)));
    }
  }
  out.ascii('}');
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
