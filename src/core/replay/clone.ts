/**
 * A deep copy of a replay's state: the analyzer with its model (typed-array subblock stores,
 * geometry), drafts, per-device contexts and policy evidence, and the completeness watches.
 *
 * Why a generic copy rather than snapshot/restore methods on each class: the analyzer keeps a
 * couple of dozen private fields that change as the engine grows; a copy that walks whatever
 * is there cannot forget one, and the replay tests compare every position with a fresh replay
 * to prove it. What it keeps:
 * - prototypes (class instances stay instances), Maps, Sets, arrays, typed arrays (views of
 *   one buffer stay views of one copied buffer), Dates;
 * - shared references and cycles (an object reached twice is copied once: the model's guard
 *   context and its row index keep pointing at the same policies);
 * - by reference, not copied: functions, frozen objects (the tuple table) and the objects in
 *   `shared` (the transition rows, whose identity the model's tables are keyed on).
 * Only own enumerable string-keyed properties are copied: the engine uses no symbols, no
 * `#private` fields and no accessors on instances.
 */

export interface Copy<T> {
  value: T;
  /** An estimate of the bytes the copy holds (typed arrays exactly, objects and slots roughly). */
  bytes: number;
}

/** Rough V8 costs, on the high side: an object header, a property slot, a typed array and its buffer. */
const OBJECT_BYTES = 32;
const SLOT_BYTES = 8;
const VIEW_BYTES = 160;

export function deepCopy<T>(root: T, shared: ReadonlySet<object> = new Set()): Copy<T> {
  const copies = new Map<object, unknown>();
  let bytes = 0;

  const copy = (value: unknown): unknown => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
    if (typeof value === 'function') return value;
    const o = value as object;
    if (shared.has(o) || Object.isFrozen(o)) return o;
    const done = copies.get(o);
    if (done !== undefined) return done;

    if (ArrayBuffer.isView(o)) return copyView(o);
    if (o instanceof ArrayBuffer) return copyBuffer(o);
    if (Array.isArray(o)) {
      const out: unknown[] = new Array(o.length);
      copies.set(o, out);
      bytes += OBJECT_BYTES + SLOT_BYTES * o.length;
      for (let i = 0; i < o.length; i++) out[i] = copy(o[i]);
      return out;
    }
    if (o instanceof Map) {
      const out = new Map();
      copies.set(o, out);
      bytes += OBJECT_BYTES + 4 * SLOT_BYTES * o.size;
      for (const [k, v] of o) out.set(copy(k), copy(v));
      return out;
    }
    if (o instanceof Set) {
      const out = new Set();
      copies.set(o, out);
      bytes += OBJECT_BYTES + 3 * SLOT_BYTES * o.size;
      for (const v of o) out.add(copy(v));
      return out;
    }
    if (o instanceof Date) {
      const out = new Date(o.getTime());
      copies.set(o, out);
      bytes += OBJECT_BYTES;
      return out;
    }
    const out = Object.create(Object.getPrototypeOf(o)) as Record<string, unknown>;
    copies.set(o, out);
    const keys = Object.keys(o);
    bytes += OBJECT_BYTES + SLOT_BYTES * keys.length;
    for (const k of keys) out[k] = copy((o as Record<string, unknown>)[k]);
    return out;
  };

  const copyBuffer = (buffer: ArrayBuffer): ArrayBuffer => {
    let out = copies.get(buffer) as ArrayBuffer | undefined;
    if (!out) {
      out = buffer.slice(0);
      copies.set(buffer, out);
      bytes += buffer.byteLength;
    }
    return out;
  };

  const copyView = (view: ArrayBufferView): ArrayBufferView => {
    const buffer = copyBuffer(view.buffer as ArrayBuffer);
    const Ctor = view.constructor as new (buffer: ArrayBuffer, offset: number, length: number) => ArrayBufferView;
    const length = view instanceof DataView ? view.byteLength : (view as unknown as { length: number }).length;
    const out = new Ctor(buffer, view.byteOffset, length);
    copies.set(view, out);
    bytes += VIEW_BYTES;
    return out;
  };

  const value = copy(root) as T;
  return { value, bytes };
}
