/**
 * The reference model: applies actions to ranges of subblocks through the transition table
 * and reports the rows that emitted findings. It knows nothing of log lines;
 * diagnose/analyzer.ts turns events into actions.
 */
import { DeviceModel } from './device';
import type { ChangeObserver } from './history';
import type { Policies } from './policy';
import { type CompiledUpdate, code, COMPONENT_CODES, compileUpdate, type Evidence, type Tuple, TUPLES } from './state';
import { type ActionKind, type GuardContext, RowIndex, TRANSITIONS, type TransitionRow } from './transitions';

/** A place in the inputs: which input and which line. */
export interface Ref extends Evidence {}

export interface Action {
  on: ActionKind;
  /** The device named by the line, when it names one (guest driver lines). */
  device?: string;
  start: bigint;
  end: bigint;
  at: Ref;
  /** The action was deduced (plug order, plugged size), not seen. */
  inferred?: boolean;
}

/** A row that emitted a finding over a run of subblocks. */
export interface Emission {
  code: string;
  row: TransitionRow;
  device: string;
  start: bigint;
  end: bigint;
  at: Ref;
  /** States before the action, one per subblock of the run (first and last are enough to show). */
  before: Tuple;
  /** The UNPLUG lines that left the run's pages accepted (for stale rows); `inferred` when the
   * unplug was deduced from a shrinking plugged size rather than seen. */
  staleAt: Array<Ref & { inferred: boolean }>;
}


const PLUGGED = code('dev', 'plugged');
/**
 * Each row's update, resolved to a table once for all models: it never changes, and a replay's
 * snapshots (deep copies of a model) need not carry it.
 */
const UPDATES = new Map<TransitionRow, CompiledUpdate>(TRANSITIONS.map((r) => [r, compileUpdate(r.to)]));
/** A subblock the plugged size shows cannot be plugged. */
const DEDUCED_UNPLUGGED = compileUpdate({ dev: 'unplugged', use: 'none' });
const NONE: readonly Emission[] = Object.freeze([]);
/** The model of memory whose device no line has named yet (a QEMU trace's requests). */
const UNNAMED = 'virtio-mem';
const UNKNOWN = 0;

export class Model {
  readonly devices = new Map<string, DeviceModel>();
  private readonly ctx: GuardContext;
  private readonly rows: RowIndex;
  /** The unnamed device, while no named device has taken over what it holds. */
  private unnamed?: DeviceModel;

  /** Told of every run of subblocks an action touched (for the history); absent: nothing is kept. */
  observer?: ChangeObserver;

  constructor(policies: Policies, whatIf = false) {
    // A what-if replay starts from the defaults (all unknown) and the policies forced: those it tries.
    const tried = whatIf ? Object.fromEntries(Object.entries(policies).filter(([, v]) => v !== 'unknown')) : {};
    this.ctx = { policies: { ...policies }, whatIf, tried };
    this.rows = new RowIndex(this.ctx);
  }

  get policies(): Readonly<Policies> {
    return this.ctx.policies;
  }

  /** Sets a policy (inferred from the logs as they are read); rows are looked up anew. */
  setPolicy<N extends keyof Policies>(name: N, value: Policies[N]): void {
    if (this.ctx.policies[name] === value) return;
    this.ctx.policies[name] = value;
    this.rows.invalidate();
  }

  device(id: string): DeviceModel {
    let d = this.devices.get(id);
    if (!d) {
      d = new DeviceModel(id);
      this.devices.set(id, d);
    }
    return d;
  }

  /**
   * Once its driver printed its geometry (the subblock or big block size is the last init
   * line), a named device takes over what the unnamed device learnt of its region: one device,
   * one history, whichever log named it first (a QEMU trace holds the plugs of the kernel
   * before a kexec; the new kernel's dmesg names the device).
   */
  claimUnnamed(id: string): void {
    const d = this.devices.get(id);
    if (!d || !this.unnamed || id === UNNAMED) return;
    const g = d.geometry;
    if (g.startAddress === undefined || (g.subblockSize === undefined && g.bigBlockSize === undefined)) return;
    if (!d.adopt(this.unnamed)) return;
    this.observer?.renamed?.(UNNAMED, id);
    this.devices.delete(UNNAMED);
    this.unnamed = undefined;
  }

  /** The device an address belongs to: by region, else the only device, else an unnamed one. */
  deviceAt(addr: bigint): DeviceModel {
    let best: DeviceModel | undefined;
    let bestStart = -1n;
    for (const d of this.devices.values()) {
      const g = d.geometry;
      const start = g.startAddress;
      if (start === undefined || addr < start) continue;
      if (g.regionSize !== undefined && addr >= start + g.regionSize) continue;
      if (start > bestStart) {
        best = d;
        bestStart = start;
      }
    }
    if (best) return best;
    const named = [...this.devices.values()];
    if (named.length === 1) return named[0];
    this.unnamed ??= this.device(UNNAMED);
    return this.unnamed;
  }

  apply(action: Action): readonly Emission[] {
    const d = action.device !== undefined ? this.device(action.device) : this.deviceAt(action.start);
    d.geometry.sawAddress(action.start, action.end);
    return this.applyTo(d, action);
  }

  /** `apply` on the device the action is about, found already, whose geometry has seen the range. */
  applyTo(d: DeviceModel, action: Action): readonly Emission[] {
    const covered = d.cover(action.start, action.end);
    if (!covered) return NONE;
    const { store, first, last } = covered;
    // Most actions emit nothing: the list is made only when one does.
    let emissions: Emission[] | undefined;
    let open: Emission | undefined;
    const tuples = store.tuples;
    const inferred = action.inferred === true;
    for (let i = first; i < last; i++) {
      const number = tuples[i];
      const row = this.rows.row(action.on, number);
      const update = UPDATES.get(row) as CompiledUpdate;
      if (!row.emits) {
        // A run of subblocks in the same state takes the same row: update it in one go.
        let end = i + 1;
        while (end < last && tuples[end] === number) end += 1;
        store.setUniform(i, end, update, action.at, inferred);
        this.observer?.change(d.id, d.addressOf(i), d.addressOf(end), number, tuples[i], action.on, action.at, inferred);
        if (row.marksStale) {
          store.staleInput.fill(action.at.input, i, end);
          store.staleLine.fill(action.at.line, i, end);
          store.staleInferred.fill(inferred ? 1 : 0, i, end);
        }
        open = undefined;
        i = end - 1;
        continue;
      }
      // A row that emits marks nothing stale (a test on the table holds it): stale marks are set above only.
      const before = TUPLES[number];
      store.set(i, update, action.at, inferred);
      this.observer?.change(d.id, d.addressOf(i), d.addressOf(i + 1), number, tuples[i], action.on, action.at, inferred);
      // Runs are reported within the action's own range: a touched page stays a page.
      const address = d.addressOf(i);
      const runStart = address > action.start ? address : action.start;
      const runEnd = address + d.subblockSize < action.end ? address + d.subblockSize : action.end;
      if (open && open.row === row) {
        open.end = runEnd;
      } else {
        open = {
          code: row.emits,
          row,
          device: d.id,
          start: runStart,
          end: runEnd,
          at: action.at,
          before,
          staleAt: [],
        };
        (emissions ??= []).push(open);
      }
      if (store.staleLine[i] >= 0) {
        const ref = { input: store.staleInput[i], line: store.staleLine[i], inferred: store.staleInferred[i] === 1 };
        if (!open.staleAt.some((r) => r.input === ref.input && r.line === ref.line)) open.staleAt.push(ref);
      }
    }
    return emissions ?? NONE;
  }

  /**
   * Narrows the state from a `plugged size` line. Subblocks whose plug state is unknown are
   * taken as plugged from the region start up (the driver's plug order) and online; when the
   * state is known and disagrees, the difference is plugged from the lowest unplugged or
   * unplugged from the highest plugged subblock (the driver's orders, DOMAIN.md §2). Returns
   * the emissions of the deduced actions, the difference in bytes it had to explain, and
   * whether any subblock's plug state was unknown before.
   */
  pluggedSize(deviceId: string, size: bigint, at: Ref): { emissions: Emission[]; explained: bigint; hadUnknown: boolean } {
    const d = this.device(deviceId);
    const g = d.describe();
    if (g.startAddress === undefined) return { emissions: [], explained: 0n, hadUnknown: true };
    const regionEnd = g.regionSize !== undefined ? g.startAddress + g.regionSize : g.startAddress + size;
    const covered = d.cover(g.startAddress, regionEnd > g.startAddress + size ? regionEnd : g.startAddress + size);
    if (!covered) return { emissions: [], explained: 0n, hadUnknown: true };
    const { store, first, last } = covered;
    const target = Number(size / g.subblockSize);
    let plugged = 0;
    const unknown: number[] = [];
    const tuples = store.tuples;
    const devOf = COMPONENT_CODES.dev;
    for (let i = first; i < last; i++) {
      const dev = devOf[tuples[i]];
      if (dev === PLUGGED) plugged += 1;
      else if (dev === UNKNOWN) unknown.push(i);
    }
    const emissions: Emission[] = [];
    // Deduced actions go in runs of consecutive subblocks, as the driver would send them.
    // `indexes` ascend: every list below is collected in address order.
    const run = (on: ActionKind, indexes: number[]): void => {
      for (let k = 0; k < indexes.length; ) {
        let j = k;
        while (j + 1 < indexes.length && indexes[j + 1] === indexes[j] + 1) j += 1;
        const start = d.addressOf(indexes[k]);
        const end = d.addressOf(indexes[j]) + g.subblockSize;
        for (const e of this.apply({ on, device: deviceId, start, end, at, inferred: true })) emissions.push(e);
        k = j + 1;
      }
    };
    let missing = target - plugged;
    if (unknown.length > 0) {
      const toPlug = unknown.slice(0, Math.max(0, missing));
      run('plug', toPlug);
      run('online', toPlug);
      for (const i of unknown.slice(toPlug.length)) {
        const before = store.tupleNumber(i);
        store.set(i, DEDUCED_UNPLUGGED, at, true);
        this.observer?.change(d.id, d.addressOf(i), d.addressOf(i + 1), before, store.tupleNumber(i), 'unplug', at, true);
      }
      missing -= toPlug.length;
    }
    const explained = BigInt(Math.abs(missing)) * g.subblockSize;
    if (missing > 0) {
      const candidates: number[] = [];
      for (let i = first; i < last && candidates.length < missing; i++) if (devOf[tuples[i]] !== PLUGGED) candidates.push(i);
      run('plug', candidates);
      run('online', candidates);
    } else if (missing < 0) {
      const candidates: number[] = [];
      for (let i = last - 1; i >= first && candidates.length < -missing; i--) if (devOf[tuples[i]] === PLUGGED) candidates.push(i);
      run('unplug', candidates.reverse());
    }
    return { emissions, explained, hadUnknown: unknown.length > 0 };
  }
}
