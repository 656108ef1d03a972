/**
 * Sub Block Mode (DOMAIN.md §2): Linux adds, onlines and removes whole memory blocks; inside a
 * block each subblock is plugged or not. The request patterns follow virtio_mem.c: plug into
 * partially plugged blocks, then unused, then new blocks; unplug offline blocks first, then
 * online ones, each from the highest block down, an online block whole if possible, else one
 * subblock at a time from the top.
 */
import type { Extent } from './acceptance';
import { type BlockLayout, EBUSY, ENOMEM, ENOSPC, type LayoutDriver, STOPPED } from './block-layout';
import { offliningFailed, onlinePagesFailed } from './formats';
import { type Chunk, spill } from './logs';

/** Driver block states (VIRTIO_MEM_SBM_MB_*; the kernel/movable distinction is not modelled). */
const UNUSED = 0;
const OFFLINE = 1;
const OFFLINE_PARTIAL = 2;
const ONLINE = 3;
const ONLINE_PARTIAL = 4;

const isOnline = (state: number): boolean => state === ONLINE || state === ONLINE_PARTIAL;

export class SubBlocks implements BlockLayout {
  /** One byte per subblock: 1 = plugged. */
  private readonly plugged: Uint8Array;
  private readonly state: Uint8Array;
  private readonly perMb: number;
  /** Blocks `[0, nextMb)` have been used; new blocks come from `nextMb` on. */
  private nextMb = 0;
  private usableMbs = 0;
  /** Subblocks still to plug or unplug in the running request. */
  private remaining = 0;

  constructor(private readonly d: LayoutDriver) {
    const { geo } = d.ctx;
    this.perMb = geo.subblocksPerMb;
    this.plugged = new Uint8Array(geo.memoryBlocks * this.perMb);
    this.state = new Uint8Array(geo.memoryBlocks);
  }

  setUsable(usable: number): void {
    this.usableMbs = Math.min(this.d.ctx.geo.memoryBlocks, Math.floor(usable / this.d.ctx.geo.memoryBlockSize));
  }

  cleanup(): number {
    return 0;
  }

  *plug(amount: number): Generator<Chunk, number, void> {
    const { d } = this;
    const mbSize = d.ctx.geo.memoryBlockSize;
    this.remaining = Math.floor(amount / d.ctx.geo.subblockSize);
    if (this.remaining === 0) return ENOMEM;
    for (const state of [ONLINE_PARTIAL, OFFLINE_PARTIAL]) {
      for (let mb = 0; mb < this.nextMb; mb++) {
        if (this.state[mb] !== state) continue;
        const rc = this.plugAnySb(mb);
        if (rc !== 0 || this.remaining === 0) return rc;
        yield* spill(d.ctx.logs);
      }
    }
    for (let mb = 0; mb < this.nextMb; mb++) {
      if (this.state[mb] !== UNUSED) continue;
      if (!d.couldAdd(mbSize)) return ENOSPC;
      const rc = this.plugAndAdd(mb);
      if (rc !== 0 || this.remaining === 0) return rc;
      yield* spill(d.ctx.logs);
    }
    while (this.remaining > 0) {
      if (!d.couldAdd(mbSize) || this.nextMb >= this.usableMbs) return ENOSPC;
      const rc = this.plugAndAdd(this.nextMb++);
      if (rc !== 0) return rc;
      yield* spill(d.ctx.logs);
    }
    return 0;
  }

  *unplug(amount: number): Generator<Chunk, number, void> {
    this.remaining = Math.floor(amount / this.d.ctx.geo.subblockSize);
    if (this.remaining === 0) return 0;
    for (const state of [OFFLINE_PARTIAL, OFFLINE, ONLINE_PARTIAL, ONLINE]) {
      for (let mb = this.nextMb - 1; mb >= 0; mb--) {
        if (this.state[mb] !== state) continue;
        const rc = isOnline(state) ? this.unplugOnline(mb) : this.unplugOffline(mb);
        if (rc !== 0 || this.remaining === 0) return rc;
        yield* spill(this.d.ctx.logs);
      }
    }
    return EBUSY;
  }

  offlineOnline(mbId: number): void {
    const { d } = this;
    const mb = mbId - d.ctx.geo.firstMbId;
    // Writing `offline` to a block Linux does not have online fails in sysfs, with no kernel line.
    if (!isOnline(this.state[mb])) return;
    const block = this.mbRange(mb);
    if (d.unmovable(block)) {
      d.ctx.logs.guest(offliningFailed(block.start, block.end, 'unmovable page'), true);
      return;
    }
    this.state[mb] = this.allPlugged(mb) ? OFFLINE : OFFLINE_PARTIAL;
    d.offlineSize += block.end - block.start;
    this.online(mb);
  }

  /** Plugs runs of unplugged subblocks of a partially plugged block, lowest first. */
  private plugAnySb(mb: number): number {
    const online = this.state[mb] === ONLINE_PARTIAL;
    while (this.remaining > 0) {
      const sb = this.firstUnplugged(mb);
      if (sb >= this.perMb) break;
      let count = 1;
      while (count < this.remaining && sb + count < this.perMb && !this.isPlugged(mb, sb + count)) count++;
      const rc = this.plugRun(mb, sb, count, online);
      if (rc !== 0) return rc;
    }
    if (this.allPlugged(mb)) this.state[mb] = online ? ONLINE : OFFLINE;
    return 0;
  }

  /** One PLUG of `min(remaining, subblocks per block)` from subblock 0, then add and online. */
  private plugAndAdd(mb: number): number {
    const count = Math.min(this.remaining, this.perMb);
    const rc = this.plugRun(mb, 0, count, false);
    if (rc !== 0) return rc;
    this.state[mb] = count === this.perMb ? OFFLINE : OFFLINE_PARTIAL;
    this.d.addMemory(this.mbRange(mb));
    this.online(mb);
    return this.d.ctx.stop ? STOPPED : 0;
  }

  /** PLUG of `count` subblocks from `sb`, then the policy's after-plug step; on its failure the run is unplugged again. */
  private plugRun(mb: number, sb: number, count: number, online: boolean): number {
    const { d } = this;
    const range = this.range(mb, sb, count);
    const rc = d.plugRange(range);
    if (rc !== 0) return rc;
    this.mark(mb, sb, count, 1);
    this.remaining -= count;
    const after = d.policy.afterPlug(range, online);
    if (d.ctx.stop) return STOPPED;
    if (after !== 0 && d.unplugRange(range) === 0) this.mark(mb, sb, count, 0);
    return after;
  }

  /** MEM_GOING_ONLINE → the policy; the block stays offline when it says no (M1, debug only). */
  private online(mb: number): void {
    const { d } = this;
    const block = this.mbRange(mb);
    if (d.policy.goingOnline(block, this.runs(mb))) {
      this.state[mb] = this.allPlugged(mb) ? ONLINE : ONLINE_PARTIAL;
      d.offlineSize -= block.end - block.start;
      d.ctx.clock.advance(d.cost(block, 25, 35));
    } else if (!d.ctx.stop) {
      d.ctx.logs.guest(onlinePagesFailed(block.start, block.end), true);
    }
  }

  /** Unplugs runs of an offline block from the top; removes the block when nothing is left (V27). */
  private unplugOffline(mb: number): number {
    let rc = 0;
    for (let sb = this.perMb - 1; sb >= 0 && this.remaining > 0; sb--) {
      while (sb >= 0 && !this.isPlugged(mb, sb)) sb--;
      if (sb < 0) break;
      let count = 1;
      while (count < this.remaining && sb > 0 && this.isPlugged(mb, sb - 1)) {
        count++;
        sb--;
      }
      rc = this.unplugInUse(mb, sb, count);
      if (rc !== 0) break;
    }
    if (this.anyPlugged(mb)) {
      this.state[mb] = this.allPlugged(mb) ? OFFLINE : OFFLINE_PARTIAL;
    } else if (rc !== STOPPED) {
      const block = this.mbRange(mb);
      this.state[mb] = UNUSED;
      this.d.offlineSize -= block.end - block.start;
      this.d.ctx.logs.guest(this.d.lines.removing(block.start, block.end), true);
    }
    return rc;
  }

  /** Unplugs an online block: whole if possible, else single subblocks from the top, skipping busy ones. */
  private unplugOnline(mb: number): number {
    let rc = EBUSY;
    if (this.remaining >= this.perMb && this.allPlugged(mb)) rc = this.unplugOnlineRun(mb, 0, this.perMb);
    if (rc === EBUSY) {
      rc = 0;
      for (let sb = this.perMb - 1; sb >= 0 && this.remaining > 0 && rc === 0; sb--) {
        if (!this.isPlugged(mb, sb)) continue;
        rc = this.unplugOnlineRun(mb, sb, 1);
        if (rc === EBUSY) rc = 0;
      }
    }
    if (rc === STOPPED) return rc;
    if (!this.anyPlugged(mb)) {
      const block = this.mbRange(mb);
      this.d.ctx.logs.guest(this.d.lines.offliningAndRemoving(block.start, block.end), true);
      this.state[mb] = UNUSED;
    } else if (!this.allPlugged(mb)) {
      this.state[mb] = ONLINE_PARTIAL;
    }
    return rc;
  }

  /** Fake-offlines online subblocks (alloc_contig_range: -EBUSY on unmovable pages, silent), then unplugs them. */
  private unplugOnlineRun(mb: number, sb: number, count: number): number {
    const range = this.range(mb, sb, count);
    if (this.d.unmovable(range)) return EBUSY;
    this.d.ctx.clock.advance(this.d.cost(range, 150, 190));
    return this.unplugInUse(mb, sb, count);
  }

  /** The policy's before-unplug step, the UNPLUG, and the policy's recovery when it fails. */
  private unplugInUse(mb: number, sb: number, count: number): number {
    const { d } = this;
    const range = this.range(mb, sb, count);
    const before = d.policy.beforeUnplug(range);
    if (d.ctx.stop) return STOPPED;
    if (before !== 0) return before;
    const rc = d.unplugRange(range);
    if (rc !== 0) {
      d.policy.unplugFailed(range);
      return d.ctx.stop ? STOPPED : rc;
    }
    this.mark(mb, sb, count, 0);
    this.remaining -= count;
    return 0;
  }

  /** The runs of plugged subblocks of `mb`. */
  private runs(mb: number): Extent[] {
    const runs: Extent[] = [];
    for (let sb = 0; sb < this.perMb; sb++) {
      if (!this.isPlugged(mb, sb)) continue;
      let end = sb + 1;
      while (end < this.perMb && this.isPlugged(mb, end)) end++;
      runs.push(this.range(mb, sb, end - sb));
      sb = end;
    }
    return runs;
  }

  private range(mb: number, sb: number, count: number): Extent {
    const start = this.d.ctx.geo.sbStart(mb, sb);
    return { start, end: start + count * this.d.ctx.geo.subblockSize };
  }

  private mbRange(mb: number): Extent {
    return this.range(mb, 0, this.perMb);
  }

  private isPlugged(mb: number, sb: number): boolean {
    return this.plugged[mb * this.perMb + sb] === 1;
  }

  private mark(mb: number, sb: number, count: number, value: number): void {
    this.plugged.fill(value, mb * this.perMb + sb, mb * this.perMb + sb + count);
  }

  private firstUnplugged(mb: number): number {
    let sb = 0;
    while (sb < this.perMb && this.isPlugged(mb, sb)) sb++;
    return sb;
  }

  private allPlugged(mb: number): boolean {
    return this.firstUnplugged(mb) === this.perMb;
  }

  private anyPlugged(mb: number): boolean {
    for (let sb = 0; sb < this.perMb; sb++) if (this.isPlugged(mb, sb)) return true;
    return false;
  }
}
