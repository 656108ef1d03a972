/**
 * virtio-mem requests paired with their answers: the guest driver's (a request line confirmed
 * by whatever the driver prints next, unless that is its failure) and QEMU's (a request trace
 * and its `virtio_mem_send_response`, with the discard that served it), and BUSY/NACK retries.
 */
import type { DeviceModel } from '../model/device';
import type { Ref } from '../model/model';
import { EAGAIN, EINVAL, ETXTBSY } from '../text/errno';
import { hexString as hex } from '../text/hex';
import { HPL005, HPL007, HPL016 } from './codes/index';
import type { Cause } from './codes/definition';
import type { RefusalFacts } from './codes/hpl007';
import { removesPrivatePage } from '../model/policy';
import type { Run } from './run';

/** Answers BUSY/NACK in a row beyond which retries are a storm rather than the driver's pattern. */
const RETRY_STORM = 8;

/** virtio-mem's response types (VIRTIO_MEM_RESP_*). */
const RESP_ACK = 0;
const RESP_NACK = 1;
const RESP_BUSY = 2;
const RESP_ERROR = 3;


/**
 * A device that answers ERROR disagrees with its driver about which blocks are plugged: the
 * VMM lost or never had the state (migration, reset), or the driver asked twice. Both are
 * named until the logs tell which.
 */
export const DEVICE_OR_DRIVER = { cause: 'vmm', otherCauses: ['guest-kernel'] } as const satisfies { cause: Cause; otherCauses: Cause[] };

interface Request {
  op: 'plug' | 'unplug' | 'unplugAll';
  start: bigint;
  end: bigint;
  at: Ref;
}

interface QemuRequest extends Request {
  /** Empty for UNPLUG_ALL, which is about every device. */
  device: string;
  /** The shared-only discard that served it. */
  sharedOnly?: Ref;
}

/** The device's region, when its start and size are both known. */
function region(d: DeviceModel): { start: bigint; end: bigint } | undefined {
  const g = d.describe();
  return g.startAddress !== undefined && g.regionSize !== undefined ? { start: g.startAddress, end: g.startAddress + g.regionSize } : undefined;
}

/** The runs of subblocks in [start, end) whose private pages an unplug left accepted. */
function staleRuns(d: DeviceModel, start: bigint, end: bigint): Array<{ start: bigint; end: bigint }> {
  const cover = d.cover(start, end);
  if (!cover) return [];
  const runs: Array<{ start: bigint; end: bigint }> = [];
  for (let i = cover.first; i < cover.last; i++) {
    if (cover.store.get(i).accept !== 'stale') continue;
    const from = d.addressOf(i);
    const to = d.addressOf(i + 1);
    const last = runs[runs.length - 1];
    if (last && last.end === from) last.end = to;
    else runs.push({ start: from > start ? from : start, end: to });
  }
  if (runs.length > 0 && runs[runs.length - 1].end > end) runs[runs.length - 1].end = end;
  return runs;
}

export class RequestPairing {
  /** Per device, the guest request waiting for the next line to say whether it failed. */
  private readonly guest = new Map<string, Request>();
  private readonly retries = new Map<string, { count: number; first: Ref }>();
  private qemu?: QemuRequest;

  constructor(private readonly run: Run) {}

  /** A guest request line; confirmed by the next line of its device. */
  guestRequest(device: string, request: Request): void {
    this.guest.set(device, request);
  }

  /** A line of the device that is not a failure confirms its waiting request. */
  confirm(device: string): void {
    const r = this.guest.get(device);
    if (!r) return;
    this.guest.delete(device);
    this.acknowledged(device, r.at.input);
    if (r.op === 'unplugAll') this.unplugAll(device, r.at);
    else this.run.apply({ on: r.op, device, start: r.start, end: r.end, at: r.at });
  }

  /** The end of the logs confirms every waiting request. */
  confirmAll(): void {
    for (const device of [...this.guest.keys()]) this.confirm(device);
  }

  guestFailure(device: string, op: string, errno: number, at: Ref): void {
    const r = this.guest.get(device);
    this.guest.delete(device);
    if (errno === EINVAL) {
      const ranged = r && r.op !== 'unplugAll' ? r : undefined;
      const request: Extract<RefusalFacts, { seen: 'driver' }>['request'] =
        r?.op === 'unplugAll' || op === 'unplugAll' ? 'an UNPLUG_ALL' : op === 'plug' ? 'a PLUG' : op === 'unplug' ? 'an UNPLUG' : 'a request';
      this.run.ledger.note(HPL007, { seen: 'driver', request }, {
        at,
        device,
        ...(ranged ? { range: { start: ranged.start, end: ranged.end } } : {}),
        related: r ? [{ at: r.at, message: `the ${r.op === 'unplugAll' ? 'UNPLUG_ALL' : r.op} request` }] : [],
        ...DEVICE_OR_DRIVER,
        via: 'V19',
      });
    } else if (errno === ETXTBSY || errno === EAGAIN) {
      this.retry(device, at, errno === ETXTBSY ? 'BUSY' : 'NACK');
    }
  }

  qemuRequest(op: 'plug' | 'unplug' | 'unplugAll' | 'state', addr: bigint | undefined, nbBlocks: number | undefined, at: Ref): void {
    if (op === 'state') return;
    if (op === 'unplugAll') {
      this.qemu = { op, start: 0n, end: 0n, at, device: '' };
      return;
    }
    const start = addr as bigint;
    const d = this.run.model.deviceAt(start);
    const end = start + BigInt(nbBlocks ?? 0) * d.geometry.blockSize;
    this.run.see(d, start, end);
    this.qemu = { op, start, end, at, device: d.id };
  }

  qemuResponse(type: number, at: Ref): void {
    const r = this.qemu;
    this.qemu = undefined;
    if (!r) return;
    const device = r.device || undefined;
    if (type === RESP_ACK) {
      if (device) this.acknowledged(device, r.at.input);
      if (r.op === 'unplugAll') this.unplugAll(undefined, r.at);
      else this.run.apply({ on: r.op, ...(device ? { device } : {}), start: r.start, end: r.end, at: r.at });
      if (r.sharedOnly) this.unpluggedWithoutPrivateDiscard(r, r.sharedOnly);
    } else if (type === RESP_ERROR) {
      this.run.ledger.note(HPL007, { seen: 'qemuAnswer', op: r.op }, {
        at,
        ...(device ? { device } : {}),
        // UNPLUG_ALL names no range: it is about the whole device.
        ...(r.op === 'unplugAll' ? {} : { range: { start: r.start, end: r.end } }),
        related: [{ at: r.at, message: 'the request QEMU refused' }],
        ...DEVICE_OR_DRIVER,
        via: 'Q1',
      });
    } else if (device && (type === RESP_NACK || type === RESP_BUSY)) {
      this.retry(device, at, type === RESP_NACK ? 'NACK' : 'BUSY');
    }
  }

  /** A discard while QEMU serves a request: only one that serves an UNPLUG says what the VMM does with unplugged memory. */
  discard(variant: 'range' | 'shared-range', length: bigint, at: Ref): void {
    const request = this.qemu;
    if (request?.op !== 'unplug' && request?.op !== 'unplugAll') return;
    if (variant === 'range') {
      request.sharedOnly = at;
      // The trace shows which discard ran, not what it punched: that is QEMU 9.2's code, so inferred.
      this.run.inference.infer(
        'vmm.discardPrivate',
        'no',
        () => `from the trace event's name: QEMU's UNPLUG discarded ${hex(length)} bytes with ram_block_discard_range, which in QEMU 9.2 punches only the shared side`,
        at,
        'inferred',
      );
    } else {
      this.run.inference.infer(
        'vmm.discardPrivate',
        'yes',
        "from the trace event's name: QEMU traces ram_block_discard_shared_range, which only a QEMU that also punches guest_memfd on UNPLUG has (the private punch has no trace)",
        at,
        'inferred',
      );
    }
  }

  /** UNPLUG_ALL of one device (the driver's), or of every device (QEMU's). */
  unplugAll(device: string | undefined, at: Ref): void {
    const model = this.run.model;
    for (const d of device ? [model.device(device)] : [...model.devices.values()]) {
      const r = region(d);
      if (r) this.run.emitted(model.apply({ on: 'unplug', device: d.id, ...r, at }));
    }
  }

  private acknowledged(device: string, input: number): void {
    this.retries.delete(device);
    this.run.acknowledged(device, input);
  }

  private retry(device: string, at: Ref, answer: 'BUSY' | 'NACK'): void {
    const r = this.retries.get(device) ?? { count: 0, first: at };
    r.count += 1;
    this.retries.set(device, r);
    if (r.count !== RETRY_STORM) return;
    this.run.ledger.note(HPL016, { count: RETRY_STORM, answer }, { at, device, related: [{ at: r.first, message: 'the first of these answers' }], via: answer });
  }

  /**
   * HPL005 at an UNPLUG that QEMU acknowledged after discarding only the shared side, over the
   * subblocks it left with private pages still accepted: memory the guest converted to shared
   * before (the CoCo RFC) or never accepted is clean.
   */
  private unpluggedWithoutPrivateDiscard(r: QemuRequest, discardAt: Ref): void {
    // A policy given or tried on the command line that removes the private page rules this out.
    if (removesPrivatePage(this.run.model.policies)) return;
    const what = r.op === 'unplugAll' ? 'UNPLUG_ALL' : 'UNPLUG';
    const devices = r.op === 'unplugAll' || !r.device ? [...this.run.model.devices.values()] : [this.run.model.device(r.device)];
    for (const d of devices) {
      const unplugged = r.op === 'unplugAll' ? region(d) : { start: r.start, end: r.end };
      if (!unplugged) continue;
      for (const run of staleRuns(d, unplugged.start, unplugged.end)) {
        // Each finding gets its own list: a later adjacent unplug adds to it.
        const related = [{ at: discardAt, message: 'QEMU discarded the shared side only (ram_block_discard_range)' }];
        this.run.ledger.note(HPL005, { what }, { at: r.at, device: d.id, range: run, related, via: 'P1' });
      }
    }
  }
}
