/**
 * Guest memory as KVM and the TDX module (or the SNP RMP) see it, per device block: the KVM
 * attribute (private/shared) and the acceptance state (DOMAIN.md §3, §4.1 `attr`, `sept`).
 * Memory starts private and unaccepted ("start-private", §3.3). For a plain guest nothing here
 * is ever consulted.
 */
import { type Context, halt } from './context';
import { hostAccessBeforeAccept, QEMU_KVM_RUN_FAILED, qemuConvert, qemuDiscard, qemuMapGpa, qemuMemoryFault } from './formats';
import { hex } from './numbers';
import { MiB } from './types';

/** S-EPT entry state (TDX), or RMP validated bit (SNP: FREE = not validated, ACCEPTED = validated). */
const FREE = 0;
const PENDING = 1;
const ACCEPTED = 2;

/** KVM splits MapGPA / PSC exits into pieces of at most 2 MiB (TDX_MAP_GPA_MAX_LEN). */
const CONVERT_CHUNK = 2 * MiB;
/** Implicit conversions (KVM_EXIT_MEMORY_FAULT) come one 4 KiB page at a time. */
const PAGE = 4096;
/** RAMBlock name and host address of the region's start, as discard traces print them. */
const RAM_BLOCK = 'vmem0';
const HVA_BASE = 0x7f5a48000000;

export class ConfidentialMemory {
  /** KVM memory attribute per device block: 1 = shared. */
  private readonly shared: Uint8Array;
  private readonly state: Uint8Array;

  constructor(private readonly ctx: Context) {
    this.shared = new Uint8Array(ctx.geo.deviceBlocks);
    this.state = new Uint8Array(ctx.geo.deviceBlocks);
  }

  /** A new confidential context (a reset VM): everything private and unaccepted. */
  reset(): void {
    this.shared.fill(0);
    this.state.fill(FREE);
  }

  /**
   * Explicit conversion (TDX MapGPA, SNP Page State Change) as QEMU traces it: K-Q1 and K-Q2 per
   * 2 MiB; to private QEMU discards the shared side (P1/P2), to shared it punches guest_memfd
   * (no trace), which removes the private page.
   */
  convert(start: number, end: number, toPrivate: boolean, thread: number): void {
    const { ctx } = this;
    for (let gpa = start; gpa < end; gpa += CONVERT_CHUNK) {
      const size = Math.min(CONVERT_CHUNK, end - gpa);
      ctx.logs.trace(thread, qemuMapGpa(gpa, size, toPrivate));
      ctx.logs.trace(thread, qemuConvert(gpa, size, toPrivate));
      if (toPrivate) this.discardShared(thread, gpa, size);
      else this.fill(this.state, gpa, gpa + size, FREE);
      this.fill(this.shared, gpa, gpa + size, toPrivate ? 0 : 1);
      ctx.clock.advance(ctx.random.int(250, 400));
    }
  }

  /**
   * TDG.MEM.PAGE.ACCEPT over `[start, end)`. Unaccepted pages are AUGed and accepted silently;
   * a page still accepted fails with TDX_PAGE_ALREADY_ACCEPTED. Returns the GPA of the first
   * failing device block (the ones before it stay accepted), or undefined.
   */
  accept(start: number, end: number, thread: number): number | undefined {
    const { ctx } = this;
    for (let i = ctx.geo.blockIndex(start); i < ctx.geo.blockIndex(end); i++) {
      const gpa = ctx.geo.addr + i * ctx.geo.blockSize;
      if (this.shared[i] === 1) this.implicitToPrivate(gpa, thread);
      if (this.state[i] === ACCEPTED) return gpa;
      this.state[i] = ACCEPTED;
      ctx.clock.advance((ctx.geo.blockSize / MiB) * ctx.random.int(15, 30));
    }
    return undefined;
  }

  /** SNP PVALIDATE (validate or rescind) over `[start, end)`; returns the GPA where the validated bit already had that value. */
  validate(start: number, end: number, validate: boolean): number | undefined {
    const { ctx } = this;
    for (let i = ctx.geo.blockIndex(start); i < ctx.geo.blockIndex(end); i++) {
      if ((this.state[i] === ACCEPTED) === validate) return ctx.geo.addr + i * ctx.geo.blockSize;
      this.state[i] = validate ? ACCEPTED : FREE;
      ctx.clock.advance((ctx.geo.blockSize / MiB) * ctx.random.int(10, 20));
    }
    return undefined;
  }

  /**
   * TDG.MEM.PAGE.RELEASE (L-REL): accepted → pending. Returns the GPA of the first block that
   * was not accepted, or `start` when the TD may not use the TDCALL at all.
   */
  release(start: number, end: number): number | undefined {
    const { ctx } = this;
    if (!ctx.config.pageRelease) return start;
    for (let i = ctx.geo.blockIndex(start); i < ctx.geo.blockIndex(end); i++) {
      if (this.state[i] !== ACCEPTED) return ctx.geo.addr + i * ctx.geo.blockSize;
      this.state[i] = PENDING;
    }
    return undefined;
  }

  /**
   * P1/P2: QEMU discards `[gpa, gpa+length)` of the shared plane. QEMU master calls the trace
   * `ram_block_discard_shared_range` and also punches guest_memfd (silently); QEMU 9.2 does not.
   * Only traced: the attribute and the acceptance state do not change.
   */
  discardShared(thread: number, gpa: number, length: number): void {
    const { ctx } = this;
    ctx.logs.trace(thread, qemuDiscard(ctx.config.discardPrivate, RAM_BLOCK, HVA_BASE + (gpa - ctx.geo.addr), length));
  }

  /** QEMU master's UNPLUG also punches guest_memfd: KVM removes the private pages. */
  punchPrivate(start: number, end: number): void {
    this.fill(this.state, start, end, FREE);
  }

  /** The guest reads or writes `gpa` (as private memory). */
  touch(gpa: number, vcpu: number, thread: number): void {
    const { ctx } = this;
    if (ctx.config.guest === 'plain' || !ctx.geo.contains(gpa)) return;
    const i = ctx.geo.blockIndex(gpa);
    if (ctx.config.guest === 'snp') {
      // The #VC for an unvalidated page ends the guest; DOMAIN.md catalogs no line for it.
      if (this.state[i] !== ACCEPTED) halt(ctx, `guest terminated: access to unvalidated memory at ${hex(gpa)} (no log line is cataloged for this)`);
      return;
    }
    const page = gpa - (gpa % PAGE);
    if (this.shared[i] === 1) this.implicitToPrivate(page, thread, page + PAGE);
    if (this.state[i] === ACCEPTED) return;
    // KVM AUGs the page (PENDING) and the guest's access faults on it again: K1, VM dead (§3.4).
    this.state[i] = PENDING;
    ctx.logs.host(hostAccessBeforeAccept(page, vcpu));
    for (const line of QEMU_KVM_RUN_FAILED) ctx.logs.stderr(line);
    halt(ctx, `KVM stopped the TD: guest access before accepting ${hex(page)} (K1)`);
  }

  /** KVM_EXIT_MEMORY_FAULT for each 4 KiB page of `[start, end)`; QEMU converts it to private (K-Q3, K-Q2, P). */
  private implicitToPrivate(start: number, thread: number, end = start + this.ctx.geo.blockSize): void {
    const { ctx } = this;
    for (let page = start; page < end; page += PAGE) {
      ctx.logs.trace(thread, qemuMemoryFault(page, PAGE));
      ctx.logs.trace(thread, qemuConvert(page, PAGE, true));
      this.discardShared(thread, page, PAGE);
    }
    this.fill(this.shared, start, end, 0);
  }

  /** Sets the entries of the device blocks overlapping `[start, end)`. */
  private fill(table: Uint8Array, start: number, end: number, value: number): void {
    const { geo } = this.ctx;
    table.fill(value, geo.blockIndex(start), Math.ceil((end - geo.addr) / geo.blockSize));
  }
}
