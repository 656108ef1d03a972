/**
 * Why a device does not reach its requested size (HPL018): the guest failed to offline or
 * remove memory it was asked to unplug (with the pages the kernel could not move, from
 * `migrating pfn … failed` and its dump_page() lines), or failed to add memory it plugged.
 * One finding per device and requested size; each further failure counts in it.
 */
import type { HotplugEvent } from '../events';
import type { Ref } from '../model/model';
import type { StallFacts, StuckPage } from './codes/hpl018';
import { HPL018 } from './codes/index';
import type { Draft } from './draft';
import type { Run } from './run';

/** Lines that tell why offlining failed, kept until the driver's failure they explain. */
const EVIDENCE_KEPT = 4;

type Side = StallFacts['side'];

export class ResizeStalls {
  /** The range each device was last about to offline, remove or add. */
  private readonly acting = new Map<string, { op: string; start: bigint; end: bigint }>();
  private evidence: Array<{ at: Ref; message: string; page?: StuckPage }> = [];
  /** The finding of each root cause (device, side, requested size). */
  private readonly stalls = new Map<string, Draft>();
  /** Per device, the last requested and plugged sizes, and the line that said memory is beyond reach. */
  private readonly devices = new Map<string, { requested?: bigint; plugged?: bigint; unreachable?: Ref }>();

  private deviceState(device: string): { requested?: bigint; plugged?: bigint; unreachable?: Ref } {
    let d = this.devices.get(device);
    if (!d) this.devices.set(device, (d = {}));
    return d;
  }

  size(device: string, which: 'requested' | 'plugged', size: bigint): void {
    this.deviceState(device)[which] = size;
  }

  /** The driver said at probe that part of the device's memory is not addressable or pluggable. */
  unreachable(device: string, at: Ref): void {
    this.deviceState(device).unreachable ??= at;
  }

  /** At the end: a device that stayed below its request with memory out of reach stalled for that reason. */
  finish(): void {
    for (const [device, d] of this.devices) {
      if (d.unreachable === undefined || d.requested === undefined || d.plugged === undefined || d.plugged >= d.requested) continue;
      this.addFailed(device, "part of the device's memory is beyond what this kernel can address or plug", undefined, d.unreachable);
    }
  }

  constructor(private readonly run: Run) {}

  /** The driver is about to act on a range. */
  acts(device: string, op: string, start: bigint, end: bigint): void {
    this.acting.set(device, { op, start, end });
  }

  /** A page the kernel could not migrate or isolate while offlining. */
  pageFailed(e: Extract<HotplugEvent, { kind: 'mm.pageFailed' }>, at: Ref): void {
    const page: StuckPage = { pfn: e.pfn, step: e.step, ...(e.ret !== undefined ? { ret: e.ret } : {}), ...(e.refcount !== undefined ? { refcount: e.refcount } : {}), ...(e.mapcount !== undefined ? { mapcount: e.mapcount } : {}) };
    this.keep({ at, message: `the kernel could not ${e.step} the page at pfn 0x${e.pfn.toString(16)}`, page });
  }

  /** An mm line that says offlining or removing failed, and why. */
  mmFailed(what: string, at: Ref): void {
    this.keep({ at, message: what });
  }

  private keep(line: { at: Ref; message: string; page?: StuckPage }): void {
    this.evidence.push(line);
    if (this.evidence.length > EVIDENCE_KEPT) this.evidence.shift();
  }

  /** The driver's failure to offline or remove memory. */
  unplugFailed(device: string, step: string, errno: number, at: Ref): void {
    const page = this.evidence.find((x) => x.page)?.page;
    this.stall(device, 'unplug', at, { side: 'unplug', step, errno, times: 1, ...(page ? { page } : {}) });
  }

  /** The guest could not add memory: `reason` in words. */
  addFailed(device: string, reason: string, errno: number | undefined, at: Ref): void {
    this.stall(device, 'add', at, { side: 'add', reason, ...(errno !== undefined ? { errno } : {}), times: 1 });
  }

  private stall(device: string, side: Side, at: Ref, facts: StallFacts): void {
    const key = `${side}:${this.run.ledger.groupOf('HPL018', device)}`;
    const known = this.stalls.get(key);
    const evidence = this.evidence.map((x) => ({ at: x.at, message: x.message }));
    this.evidence = [];
    if (known) {
      (known.facts as StallFacts).times += 1;
      known.related.push({ at, message: 'the same failure again' }, ...evidence);
      return;
    }
    const acting = this.acting.get(device);
    const range = acting && (side === 'add' ? acting.op === 'add' : acting.op !== 'add') ? { start: acting.start, end: acting.end } : undefined;
    const blame = side === 'add' ? { cause: 'config' as const } : { cause: 'guest-kernel' as const, otherCauses: ['config' as const] };
    const draft = this.run.ledger.note(HPL018, facts, { at, device, ...(range ? { range } : {}), related: evidence, ...blame, via: side === 'add' ? 'add' : 'offline' });
    if (draft) this.stalls.set(key, draft);
  }
}
