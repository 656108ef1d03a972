/**
 * Events as plain JSON values: `bigint` becomes a `0x` hex string, the source reference is
 * flattened to `path` and `line`. The one serialisation used by the CLI, the worker and tests.
 */
import type { HotplugEvent } from './events';
import { hexString } from './text/hex';
import { encode, type TextBytes } from './text/bytes';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

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
