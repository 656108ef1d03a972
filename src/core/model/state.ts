/**
 * The state of one subblock (DOMAIN.md §4.1) as a tuple of components, each of which may be
 * `unknown`. Stored per device in typed arrays, one entry per subblock.
 */

export const COMPONENTS = {
  /** Device plug state: QEMU's bitmap bit. */
  dev: ['unknown', 'unplugged', 'plugged'],
  /** How the guest uses it: not added, fake-offline (unplugged part of an added block),
   * added but offline, online in the buddy, fake-offline held by the driver for unplug. */
  use: ['unknown', 'none', 'fake-offline', 'offline', 'buddy', 'driver-held'],
  /** KVM memory attribute. */
  attr: ['unknown', 'private', 'shared'],
  /** TDX S-EPT / SEV-SNP RMP acceptance. `stale`: accepted, and still so after an UNPLUG
   * that did not discard the private page (state X6, and P1* after re-plug). */
  accept: ['unknown', 'free', 'pending', 'accepted', 'stale'],
  /** guest_memfd backing of the private side. */
  backing: ['unknown', 'hole', 'page'],
} as const;

export type Component = keyof typeof COMPONENTS;
export type ComponentValue<C extends Component> = (typeof COMPONENTS)[C][number];
export type Tuple = { [C in Component]: ComponentValue<C> };
export type TuplePattern = { [C in Component]?: ComponentValue<C> | ReadonlyArray<ComponentValue<C>> };
export type TupleUpdate = { [C in Component]?: ComponentValue<C> };

export const COMPONENT_NAMES = Object.keys(COMPONENTS) as Component[];

export function code<C extends Component>(component: C, value: ComponentValue<C>): number {
  return (COMPONENTS[component] as readonly string[]).indexOf(value);
}

export function matches(t: Tuple, pattern: TuplePattern): boolean {
  for (const c of COMPONENT_NAMES) {
    const want = pattern[c];
    if (want === undefined) continue;
    if (typeof want === 'string' ? t[c] !== want : !(want as readonly string[]).includes(t[c])) return false;
  }
  return true;
}

/** Number of distinct tuples: every state a subblock can be in, unknowns included. */
export const TUPLE_COUNT = COMPONENT_NAMES.reduce((n, c) => n * COMPONENTS[c].length, 1);

const RADIX = COMPONENT_NAMES.map((c) => COMPONENTS[c].length);
/** Weight of each component's code in the tuple number (mixed radix, first component lowest). */
const WEIGHT = RADIX.map((_, k) => RADIX.slice(0, k).reduce((w, r) => w * r, 1));

/** Code of component `k` in tuple number `n`. */
function componentCode(k: number, n: number): number {
  return Math.floor(n / WEIGHT[k]) % RADIX[k];
}

/** Tuple number → tuple: a tuple is the mixed-radix number of its components' codes. */
function decode(n: number): Tuple {
  return Object.freeze(Object.fromEntries(COMPONENT_NAMES.map((c, k) => [c, COMPONENTS[c][componentCode(k, n)]]))) as Tuple;
}

/** Every tuple, once: reading a subblock's state allocates nothing. */
export const TUPLES: readonly Tuple[] = Array.from({ length: TUPLE_COUNT }, (_, n) => decode(n));

/** Per component, its code in each tuple number: `COMPONENT_CODES.dev[store.tuples[i]]`. */
export const COMPONENT_CODES = Object.fromEntries(
  COMPONENT_NAMES.map((c, k) => [c, Uint8Array.from({ length: TUPLE_COUNT }, (_, n) => componentCode(k, n))]),
) as Record<Component, Uint8Array>;

/**
 * An update as the tuple number each tuple number becomes, resolved once per transition row:
 * applying it to a subblock is one array read.
 */
export type CompiledUpdate = Uint16Array;

export function compileUpdate(update: TupleUpdate): CompiledUpdate {
  const changes = COMPONENT_NAMES.flatMap((c, k) => (update[c] === undefined ? [] : [[k, code(c, update[c] as never)] as const]));
  return Uint16Array.from({ length: TUPLE_COUNT }, (_, n) => changes.reduce((m, [k, v]) => m + (v - componentCode(k, n)) * WEIGHT[k], n));
}

/** Where the current value of a subblock's state came from. */
export interface Evidence {
  input: number;
  line: number;
}

/** The subblocks of one device: the tuple number of each, plus the line that set it last. */
export class SubblockStore {
  /** Per subblock: its tuple number (an index into TUPLES). */
  readonly tuples: Uint16Array;
  /** Per subblock: input and line of the event that changed it last (-1: never). */
  readonly lastInput: Int16Array;
  readonly lastLine: Int32Array;
  /** Per subblock: input and line of the UNPLUG that left it `stale` (-1: none). */
  readonly staleInput: Int16Array;
  readonly staleLine: Int32Array;
  /** Per subblock: whether that UNPLUG was deduced (from a shrinking plugged size), not seen. */
  readonly staleInferred: Uint8Array;
  /** Per subblock: whether its state was narrowed from indirect evidence (plugged size, plug order). */
  readonly inferred: Uint8Array;

  constructor(readonly count: number) {
    this.tuples = new Uint16Array(count);
    this.lastInput = new Int16Array(count).fill(-1);
    this.lastLine = new Int32Array(count).fill(-1);
    this.staleInput = new Int16Array(count).fill(-1);
    this.staleLine = new Int32Array(count).fill(-1);
    this.staleInferred = new Uint8Array(count);
    this.inferred = new Uint8Array(count);
  }

  /** The tuple number of subblock `i` (an index into TUPLES). */
  tupleNumber(i: number): number {
    return this.tuples[i];
  }

  get(i: number): Tuple {
    return TUPLES[this.tuples[i]];
  }

  set(i: number, update: CompiledUpdate, evidence: Evidence, inferred: boolean): void {
    this.tuples[i] = update[this.tuples[i]];
    this.lastInput[i] = evidence.input;
    this.lastLine[i] = evidence.line;
    this.inferred[i] = inferred ? 1 : 0;
  }

  /** `set` for the subblocks `[from, to)`, which all have the tuple number `from` has. */
  setUniform(from: number, to: number, update: CompiledUpdate, evidence: Evidence, inferred: boolean): void {
    this.tuples.fill(update[this.tuples[from]], from, to);
    this.lastInput.fill(evidence.input, from, to);
    this.lastLine.fill(evidence.line, from, to);
    this.inferred.fill(inferred ? 1 : 0, from, to);
  }

  /** Copies every subblock into `target`, `shift` entries further up (when a store grows down). */
  copyInto(target: SubblockStore, shift: number): void {
    target.tuples.set(this.tuples, shift);
    target.lastInput.set(this.lastInput, shift);
    target.lastLine.set(this.lastLine, shift);
    target.staleInput.set(this.staleInput, shift);
    target.staleLine.set(this.staleLine, shift);
    target.staleInferred.set(this.staleInferred, shift);
    target.inferred.set(this.inferred, shift);
  }
}

/** A tuple in a few words, components in their fixed order, `?` for unknown: `plugged buddy private accepted page`. */
export function tupleText(t: Tuple): string {
  return COMPONENT_NAMES.map((c) => (t[c] === 'unknown' ? '?' : t[c])).join(' ');
}

/** What changed from one tuple to the other: `accept: accepted → stale`. */
export function tupleChanges(before: Tuple, after: Tuple): string[] {
  return COMPONENT_NAMES.filter((c) => before[c] !== after[c]).map((c) => `${c}: ${before[c]} → ${after[c]}`);
}
