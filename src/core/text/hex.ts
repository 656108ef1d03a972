/** Addresses and sizes as the logs print them, for people: the CLI, hovers, reports, the debugger. */
import { GiB, MiB } from '../model/geometry';

export function hexString(value: bigint): string {
  return `0x${value.toString(16)}`;
}

/** A size as the logs print it, with the round unit a person would say: `0x80000000 (2 GiB)`. */
export function sizeText(bytes: bigint): string {
  if (bytes !== 0n && bytes % GiB === 0n) return `${hexString(bytes)} (${bytes / GiB} GiB)`;
  if (bytes !== 0n && bytes % MiB === 0n) return `${hexString(bytes)} (${bytes / MiB} MiB)`;
  return hexString(bytes);
}
