/** Tables kept as one typed array per field (history, events): cheap per record, transferable. */

type TypedColumn = Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Float64Array;

/** A copy of `table` whose typed arrays hold `size` entries, the first `used` of them kept. */
export function resizeColumns<T extends object>(table: T, size: number, used: number): T {
  const out: Record<string, unknown> = {};
  Object.assign(out, table);
  for (const [key, value] of Object.entries(table)) {
    if (!ArrayBuffer.isView(value)) continue;
    const column = value as TypedColumn;
    const resized = new (column.constructor as new (length: number) => TypedColumn)(size);
    resized.set(column.subarray(0, Math.min(used, size)));
    out[key] = resized;
  }
  return out as unknown as T;
}
