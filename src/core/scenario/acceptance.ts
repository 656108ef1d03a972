/**
 * What the guest driver does about acceptance at the four moments that matter (DOMAIN.md §1.2,
 * §1.3, §4.3): when a memory block goes online, after a PLUG, before an UNPLUG and after a
 * failed UNPLUG. One class per driver; a plain guest has nothing to accept. A policy lives as
 * long as one guest kernel (the once-per-boot CPA warning is its state).
 */
import { type Context, halt, pickVcpu } from './context';
import { EINVAL, EIO } from '../text/errno';
import {
  type ConversionSite,
  conversionFrames,
  cpaFailure,
  pvalidateFailure,
  tdxAcceptFailed,
  tdxReleaseFailed,
  warnSplat,
} from './formats';
import type { ConfidentialMemory } from './memory';
import { hex } from './numbers';
import { MiB } from './types';


/** `[start, end)` of guest physical addresses. */
export interface Extent {
  start: number;
  end: number;
}

export interface AcceptancePolicy {
  /** MEM_GOING_ONLINE of the memory block `block` with its plugged runs; false = NOTIFY_BAD (stays offline). */
  goingOnline(block: Extent, plugged: readonly Extent[]): boolean;
  /** After a PLUG was acknowledged, into a block that is `online` or not; 0 or a negative errno. */
  afterPlug(range: Extent, online: boolean): number;
  /** Before the UNPLUG of memory the guest had in use; 0 or a negative errno. */
  beforeUnplug(range: Extent): number;
  /** That UNPLUG failed: the memory goes back into use. */
  unplugFailed(range: Extent): void;
}

export function acceptancePolicy(ctx: Context, memory: ConfidentialMemory): AcceptancePolicy {
  if (ctx.config.guest === 'plain') return new NoAcceptance();
  switch (ctx.config.driver) {
    case 'mainline':
      return new Converting(ctx, memory, false);
    case 'coco-rfc':
      return new CocoRfc(ctx, memory);
    case 'notifier-patch':
      return new OnlineNotifier(ctx, memory);
    default:
      return new Releasing(ctx, memory);
  }
}

/** A guest without Confidential Computing. */
class NoAcceptance implements AcceptancePolicy {
  goingOnline(): boolean {
    return true;
  }
  afterPlug(): number {
    return 0;
  }
  beforeUnplug(): number {
    return 0;
  }
  unplugFailed(): void {}
}

/**
 * The mainline driver (F1): no acceptance of its own. Like every CoCo policy it converts to
 * shared before UNPLUG when asked (`guest convert-shared-on-unplug=yes`), and back after a
 * failed UNPLUG, with set_memory_decrypted() / set_memory_encrypted().
 */
class Converting implements AcceptancePolicy {
  private cpaWarned = false;
  protected readonly convertShared: boolean;

  constructor(
    protected readonly ctx: Context,
    protected readonly memory: ConfidentialMemory,
    byDefault: boolean,
  ) {
    this.convertShared = ctx.config.convertSharedOnUnplug ?? byDefault;
  }

  goingOnline(_block: Extent, _plugged: readonly Extent[]): boolean {
    return true;
  }

  afterPlug(_range: Extent, _online: boolean): number {
    return 0;
  }

  beforeUnplug(range: Extent): number {
    if (this.convertShared) this.decrypt(range);
    return 0;
  }

  unplugFailed(range: Extent): void {
    if (this.convertShared) this.encrypt(range);
  }

  /**
   * set_memory_encrypted(): TDX MapGPA(private) then accept, failure → -EIO and T1 once per
   * boot; SNP per piece PSC then PVALIDATE, failure → S1 and the guest terminates.
   * `notifier`: called on MEM_GOING_ONLINE (for the call trace).
   */
  protected encrypt(range: Extent, notifier = false): boolean {
    const { ctx, memory } = this;
    const { vcpu, thread } = pickVcpu(ctx);
    if (ctx.config.guest === 'snp') {
      for (let gpa = range.start; gpa < range.end; gpa += 2 * MiB) {
        const end = Math.min(range.end, gpa + 2 * MiB);
        memory.convert(gpa, end, true, thread);
        const failed = memory.validate(gpa, end, true);
        if (failed !== undefined) return this.pvalidateFailed(failed, true, vcpu, notifier);
      }
      return true;
    }
    memory.convert(range.start, range.end, true, thread);
    if (memory.accept(range.start, range.end, thread) === undefined) return true;
    if (!this.cpaWarned) {
      this.cpaWarned = true;
      // %p prints a 32-bit hash, zero-padded to 16 digits.
      const message = cpaFailure(`00000000${ctx.random.hexDigits(8)}`, (range.end - range.start) / 4096, 'private');
      this.splat(message, vcpu, 'arch/x86/mm/pat/set_memory.c:2235', '__set_memory_enc_pgtable+0x2f4/0x340', conversionFrames(this.site(true, notifier)));
    }
    return false;
  }

  /** set_memory_decrypted(): SNP rescinds validation first; then the conversion to shared. */
  protected decrypt(range: Extent): void {
    const { ctx, memory } = this;
    const { vcpu, thread } = pickVcpu(ctx);
    if (ctx.config.guest === 'snp') {
      const failed = memory.validate(range.start, range.end, false);
      if (failed !== undefined) {
        this.pvalidateFailed(failed, false, vcpu, false);
        return;
      }
    }
    memory.convert(range.start, range.end, false, thread);
  }

  /** S1 (PVALIDATE_FAIL_NOUPDATE), then the guest asks to be terminated (F17). */
  private pvalidateFailed(gpa: number, validate: boolean, vcpu: number, notifier: boolean): false {
    const frames = conversionFrames(this.site(validate, notifier));
    this.splat(pvalidateFailure(gpa / 4096, validate), vcpu, 'arch/x86/coco/sev/core.c:1127', 'pval_terminate+0x3c/0x40', frames);
    halt(this.ctx, `guest terminated: PVALIDATE failure at ${hex(gpa)} (S1)`);
    return false;
  }

  private site(toPrivate: boolean, notifier: boolean): ConversionSite {
    return { snp: this.ctx.config.guest === 'snp', toPrivate, notifier, sysfs: this.ctx.caller === 'sysfs' };
  }

  private splat(message: string, cpu: number, site: string, func: string, frames: readonly string[]): void {
    const { ctx } = this;
    const pid = ctx.random.int(60, 140);
    const task = ctx.caller === 'sysfs' ? { comm: 'bash' } : { comm: `kworker/${cpu}:1`, workqueue: 'events_freezable virtio_mem_run_wq [virtio_mem]' };
    for (const line of warnSplat({ message, cpu, pid, ...task, site, func, frames })) ctx.logs.guest(line);
  }
}

/**
 * L-RFC: set_memory_encrypted() over the plugged runs on MEM_GOING_ONLINE and after plugging
 * into an online block; set_memory_decrypted() before UNPLUG unless UNPLUGGED_INACCESSIBLE
 * was negotiated; re-encrypt after a failed UNPLUG.
 */
class CocoRfc extends Converting {
  constructor(ctx: Context, memory: ConfidentialMemory) {
    super(ctx, memory, !ctx.config.unpluggedInaccessible);
  }

  override goingOnline(_block: Extent, plugged: readonly Extent[]): boolean {
    return plugged.every((run) => this.encrypt(run, true));
  }

  override afterPlug(range: Extent, online: boolean): number {
    return online && !this.encrypt(range) ? EIO : 0;
  }
}

/** L-TDXFIX 2/2: accept the whole memory block on MEM_GOING_ONLINE; T2 on failure (F3). */
class OnlineNotifier extends Converting {
  constructor(ctx: Context, memory: ConfidentialMemory) {
    super(ctx, memory, false);
  }

  override goingOnline(block: Extent): boolean {
    if (this.memory.accept(block.start, block.end, pickVcpu(this.ctx).thread) === undefined) return true;
    this.ctx.logs.guest(tdxAcceptFailed(block.start, block.end));
    return false;
  }
}

/**
 * L-REL: accept right after PLUG (T3 on failure), TDG.MEM.PAGE.RELEASE before UNPLUG (T4 on
 * failure, F18), accept again after a failed UNPLUG. A stale page is PENDING, not accepted,
 * so this driver survives a VMM that does not discard private memory.
 */
class Releasing extends Converting {
  constructor(ctx: Context, memory: ConfidentialMemory) {
    super(ctx, memory, false);
  }

  override afterPlug(range: Extent): number {
    if (this.memory.accept(range.start, range.end, pickVcpu(this.ctx).thread) === undefined) return 0;
    this.ctx.logs.guest(tdxAcceptFailed(range.start, range.end));
    return EIO;
  }

  override beforeUnplug(range: Extent): number {
    if (this.memory.release(range.start, range.end) !== undefined) {
      this.ctx.logs.guest(tdxReleaseFailed(range.start, range.end));
      return EINVAL;
    }
    return super.beforeUnplug(range);
  }

  override unplugFailed(range: Extent): void {
    if (this.convertShared) this.encrypt(range);
    else this.memory.accept(range.start, range.end, pickVcpu(this.ctx).thread);
  }
}
