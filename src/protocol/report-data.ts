/**
 * The data block of a standalone report: the timeline's columns and the text of the log
 * lines it refers to, as JSON in which typed arrays travel as base64.
 */
import type { TimelineData } from './timeline-data';

export const REPORT_DATA_ID = 'timeline-data';

export interface ReportData {
  title: string;
  timeline: TimelineData;
  /** `input:line` → the line's text. */
  lines: Record<string, string>;
}

const TYPED = { Int16Array, Int32Array, Uint8Array, Uint16Array, Uint32Array, Float64Array } as const;
type TypedName = keyof typeof TYPED;

/** JSON.parse reviver: `{ $typed, base64 }` back into the typed array. */
export function reviveTyped(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('$typed' in value)) return value;
  const { $typed, base64 } = value as { $typed: TypedName; base64: string };
  const Ctor = TYPED[$typed];
  if (!Ctor) return value;
  return new Ctor(fromBase64(base64).buffer as ArrayBuffer);
}

/** The engine's own decoder where it has one (Chromium 140+, Node 25+): several times faster than atob. */
const nativeFromBase64 = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;

function fromBase64(base64: string): Uint8Array {
  if (nativeFromBase64) return nativeFromBase64(base64);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The typed array's constructor name, for encoders. */
export function typedName(value: unknown): TypedName | undefined {
  if (!ArrayBuffer.isView(value)) return undefined;
  const name = value.constructor.name as TypedName;
  return name in TYPED ? name : undefined;
}
