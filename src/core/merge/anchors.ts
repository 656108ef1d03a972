/**
 * Anchors: events that two inputs both log for the same moment, so that their clocks can be
 * aligned. A guest `plugging memory: A - B` and QEMU's `virtio_mem_plug_request addr=A` are
 * one request seen from both sides; so are a grown `requested size` and the usable-region
 * resize it causes, and the host's first fatal KVM line and QEMU's `kvm run failed`.
 */
import type { HotplugEvent } from '../events';

export interface Anchor {
  key: string;
  /** 0 for the side that logs the moment first (the guest's request, the host's fatal line),
   * 1 for the side that logs it after (QEMU handling the request, QEMU's kvm run failed). */
  step: 0 | 1;
  /** Position of the event in its input's event stream (0-based). */
  ordinal: number;
  /**
   * The event's timestamp; for an event printed without one (QEMU's `kvm run failed` on
   * stderr), the last timestamp seen before it in the same input.
   */
  micros?: number;
}

/** QEMU's usable region is the requested size plus this headroom on x86 (DOMAIN.md §2). */
const USABLE_HEADROOM = 0x10000000n;

/**
 * A line printed without a timestamp came after the timed line before it: it is placed this
 * many microseconds later (the merge keys of such lines advance the same way).
 */
export const UNTIMED_STEP_US = 2;

/** Which side of a pair logs later: QEMU handles the guest's request after the guest logs it,
 * the guest logs a size change after QEMU resized, QEMU fails KVM_RUN after the host's line. */
const STEP: Partial<Record<HotplugEvent['kind'], 0 | 1>> = {
  'qemu.vmem.request': 1,
  'vmem.size': 1,
  'qemu.kvmRunFailed': 1,
};

/** Collects the anchors of one input as its events go by. */
export class AnchorCollector {
  readonly anchors: Anchor[] = [];
  private readonly requested = new Map<string, bigint>();
  /** Devices whose driver just probed: their next requested size was read then, not resized then. */
  private readonly probing = new Set<string>();
  private vmDeadSeen = false;
  private lastMicros: number | undefined;
  private untimed = 0;

  add(event: HotplugEvent, ordinal: number): void {
    if (event.time) {
      this.lastMicros = event.time.micros;
      this.untimed = 0;
    } else {
      this.untimed += 1;
    }
    const key = this.keyOf(event);
    if (key === undefined) return;
    const step = STEP[event.kind] ?? 0;
    const micros = this.lastMicros === undefined ? undefined : this.lastMicros + UNTIMED_STEP_US * this.untimed;
    this.anchors.push(micros !== undefined ? { key, step, ordinal, micros } : { key, step, ordinal });
  }

  private keyOf(event: HotplugEvent): string | undefined {
    switch (event.kind) {
      case 'vmem.range':
        return event.op === 'plug' || event.op === 'unplug' || event.op === 'state' ? `${event.op}:${event.start}` : undefined;
      case 'vmem.unplugAll':
        return 'unplugAll';
      case 'qemu.vmem.request':
        return event.op === 'unplugAll' ? 'unplugAll' : `${event.op}:${event.addr}`;
      case 'vmem.geometry':
        this.probing.add(event.device);
        return undefined;
      case 'vmem.size': {
        if (event.which !== 'requested') return undefined;
        const before = this.requested.get(event.device) ?? 0n;
        this.requested.set(event.device, event.size);
        // At probe the driver reads a size the device may have had for long (a kexec'd kernel
        // reads the one the previous kernel was asked for): no resize happened at that moment.
        if (this.probing.delete(event.device)) return undefined;
        return event.size > before ? `grow:${event.size}` : undefined;
      }
      case 'qemu.vmem.resized':
        return event.newSize > event.oldSize ? `grow:${event.newSize - USABLE_HEADROOM}` : undefined;
      case 'kvm.seamcallFailed':
        // Bringing up the TDX module (TDH.SYS.*, or a SEAMCALL that never reached it: no
        // module, TDX off in the BIOS, VMX off) fails at host boot, with no TD to kill.
        if (event.leafName?.startsWith('TDH.SYS.') || event.statusName.startsWith('TDX_SEAMCALL_')) return undefined;
        return this.vmDead();
      case 'kvm.accessBeforeAccept':
      case 'qemu.kvmRunFailed':
        return this.vmDead();
      default:
        return undefined;
    }
  }

  /** The first fatal line of an input; later ones say nothing new about its clock. */
  private vmDead(): string | undefined {
    if (this.vmDeadSeen) return undefined;
    this.vmDeadSeen = true;
    return 'vmDead';
  }
}
