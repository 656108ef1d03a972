/** Messages between the analysis worker thread and whoever started it. */
import type { JsonValue } from '../core/serialize';

export interface WorkerRequest {
  files: string[];
  maxLineBytes?: number;
}

export type WorkerMessage =
  | { type: 'progress'; bytes: number; totalBytes: number }
  | { type: 'events'; events: Array<{ [key: string]: JsonValue }> }
  | { type: 'done'; inputs: JsonValue; alignment: JsonValue }
  | { type: 'error'; message: string };
