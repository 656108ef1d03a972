/**
 * One log as the editor hands it over: a file on this machine's disk, or bytes read by the
 * caller (virtual file systems, unsaved edits). Opened the same way for an analysis and for
 * the evidence an explanation quotes, so that both read the same text.
 */
import type { InputSource } from '../core/ingest';
import { bufferedSource, contentSize, fileSource } from './inputs';

export interface InputSpec {
  /** The name findings and quotes use. */
  path: string;
  file?: string;
  bytes?: Uint8Array;
}

/** The source of a spec, and the bytes reading it yields (for progress). */
export async function openInputSpec(spec: InputSpec): Promise<{ source: InputSource; size: number }> {
  if (spec.bytes) return { source: await bufferedSource(spec.path, Buffer.from(spec.bytes.buffer, spec.bytes.byteOffset, spec.bytes.byteLength)), size: spec.bytes.byteLength };
  const file = spec.file ?? spec.path;
  return { source: await fileSource(file, spec.path), size: await contentSize(file) };
}
