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

/**
 * The records of a table that name an input and a line (history, events), per input in line
 * order, and found by line with a binary search.
 */
export class RecordsByLine {
  private readonly byInput = new Map<number, Int32Array>();

  constructor(
    private readonly inputs: ArrayLike<number>,
    private readonly lines: ArrayLike<number>,
    private readonly count: number,
  ) {}

  /** Record numbers of `input`, by line, then in table order. */
  order(input: number): Int32Array {
    let order = this.byInput.get(input);
    if (!order) {
      const picked: number[] = [];
      for (let k = 0; k < this.count; k++) if (this.inputs[k] === input) picked.push(k);
      order = Int32Array.from(picked);
      // A table is mostly in line order per input; a record deduced later may name an earlier line.
      const lines = this.lines;
      if (order.some((k, i) => i > 0 && lines[k] < lines[order![i - 1]])) order.sort((a, b) => lines[a] - lines[b] || a - b);
      this.byInput.set(input, order);
    }
    return order;
  }

  /** Position in `order(input)` of the first record on a line after `line` (`after`), or at or after it. */
  search(input: number, line: number, after: boolean): number {
    const order = this.order(input);
    const lines = this.lines;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (lines[order[mid]] < line || (after && lines[order[mid]] === line)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
