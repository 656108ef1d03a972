/**
 * Big Block Mode (DOMAIN.md §2): a big block (max(device block, memory block)) is plugged,
 * added and removed as a unit; each memory block in it is onlined on its own. Plug unused then
 * new big blocks, lowest first; unplug offline big blocks first, then the others, highest first:
 * offline and remove (V28), then UNPLUG. A big block whose UNPLUG failed stays plugged but
 * removed, and is unplugged first on the next pass.
 */
import type { Extent } from './acceptance';
import { type BlockLayout, EBUSY, ENOMEM, ENOSPC, type LayoutDriver, STOPPED } from './block-layout';
import { offliningFailed, onlinePagesFailed } from './formats';
import { type Chunk, spill } from './logs';

/** VIRTIO_MEM_BBM_BB_*. */
const UNUSED = 0;
const PLUGGED = 1;
const ADDED = 2;

export class BigBlocks implements BlockLayout {
  private readonly state: Uint8Array;
  /** One byte per memory block: 1 = online. */
  private readonly online: Uint8Array;
  private readonly mbsPerBb: number;
  private nextBb = 0;
  private usableBbs = 0;

  constructor(private readonly d: LayoutDriver) {
    const { geo } = d.ctx;
    this.state = new Uint8Array(geo.bigBlocks);
    this.online = new Uint8Array(geo.memoryBlocks);
    this.mbsPerBb = geo.bigBlockSize / geo.memoryBlockSize;
  }

  setUsable(usable: number): void {
    this.usableBbs = Math.min(this.d.ctx.geo.bigBlocks, Math.floor(usable / this.d.ctx.geo.bigBlockSize));
  }

  /** Big blocks left removed but plugged by a failed UNPLUG. */
  cleanup(): number {
    for (let bb = 0; bb < this.nextBb; bb++) {
      if (this.state[bb] !== PLUGGED) continue;
      const rc = this.d.unplugRange(this.bbRange(bb));
      if (rc !== 0) return rc;
      this.state[bb] = UNUSED;
    }
    return 0;
  }

  *plug(amount: number): Generator<Chunk, number, void> {
    const { d } = this;
    const size = d.ctx.geo.bigBlockSize;
    let remaining = Math.floor(amount / size);
    if (remaining === 0) return ENOMEM;
    for (let bb = 0; bb < this.nextBb && remaining > 0; bb++) {
      if (this.state[bb] !== UNUSED) continue;
      if (!d.couldAdd(size)) return ENOSPC;
      const rc = this.plugAndAdd(bb);
      if (rc !== 0) return rc;
      remaining--;
      yield* spill(d.ctx.logs);
    }
    while (remaining > 0) {
      if (!d.couldAdd(size) || this.nextBb >= this.usableBbs) return ENOSPC;
      const rc = this.plugAndAdd(this.nextBb++);
      if (rc !== 0) return rc;
      remaining--;
      yield* spill(d.ctx.logs);
    }
    return 0;
  }

  *unplug(amount: number): Generator<Chunk, number, void> {
    let remaining = Math.floor(amount / this.d.ctx.geo.bigBlockSize);
    if (remaining === 0) return 0;
    for (const offlineOnly of [true, false]) {
      for (let bb = this.nextBb - 1; bb >= 0; bb--) {
        if (this.state[bb] !== ADDED || (offlineOnly && this.anyOnline(bb))) continue;
        const rc = this.offlineRemoveAndUnplug(bb);
        if (rc === EBUSY) continue;
        if (rc !== 0) return rc;
        if (--remaining === 0) return 0;
        yield* spill(this.d.ctx.logs);
      }
    }
    return EBUSY;
  }

  offlineOnline(mbId: number): void {
    const { d } = this;
    const mb = mbId - d.ctx.geo.firstMbId;
    if (this.online[mb] === 0) return;
    const block = this.mbRange(mb);
    if (d.unmovable(block)) {
      d.ctx.logs.guest(offliningFailed(block.start, block.end, 'unmovable page'), true);
      return;
    }
    this.online[mb] = 0;
    d.offlineSize += block.end - block.start;
    this.goOnline(mb);
  }

  private plugAndAdd(bb: number): number {
    const { d } = this;
    const range = this.bbRange(bb);
    const rc = d.plugRange(range);
    if (rc !== 0) return rc;
    const after = d.policy.afterPlug(range, false);
    if (d.ctx.stop) return STOPPED;
    if (after !== 0) {
      d.unplugRange(range);
      return after;
    }
    this.state[bb] = ADDED;
    d.addMemory(range);
    for (let i = 0; i < this.mbsPerBb && !d.ctx.stop; i++) this.goOnline(bb * this.mbsPerBb + i);
    return d.ctx.stop ? STOPPED : 0;
  }

  /** MEM_GOING_ONLINE of one memory block of an added big block. */
  private goOnline(mb: number): void {
    const { d } = this;
    const block = this.mbRange(mb);
    if (d.policy.goingOnline(block, [block])) {
      this.online[mb] = 1;
      d.offlineSize -= block.end - block.start;
      d.ctx.clock.advance(d.cost(block, 25, 35));
    } else if (!d.ctx.stop) {
      d.ctx.logs.guest(onlinePagesFailed(block.start, block.end), true);
    }
  }

  /** Fake-offline (-EBUSY on unmovable pages), the policy's step, offline and remove (V28), UNPLUG. */
  private offlineRemoveAndUnplug(bb: number): number {
    const { d } = this;
    const range = this.bbRange(bb);
    if (this.anyOnline(bb) && d.unmovable(range)) return EBUSY;
    d.ctx.clock.advance(d.cost(range, 150, 190));
    const before = d.policy.beforeUnplug(range);
    if (d.ctx.stop) return STOPPED;
    if (before !== 0) return before;
    d.ctx.logs.guest(d.lines.offliningAndRemoving(range.start, range.end), true);
    for (let i = 0; i < this.mbsPerBb; i++) {
      const mb = bb * this.mbsPerBb + i;
      if (this.online[mb] === 0) d.offlineSize -= d.ctx.geo.memoryBlockSize;
      this.online[mb] = 0;
    }
    this.state[bb] = PLUGGED;
    const rc = d.unplugRange(range);
    if (rc === 0) this.state[bb] = UNUSED;
    return rc;
  }

  private anyOnline(bb: number): boolean {
    for (let i = 0; i < this.mbsPerBb; i++) if (this.online[bb * this.mbsPerBb + i] === 1) return true;
    return false;
  }

  private bbRange(bb: number): Extent {
    const start = this.d.ctx.geo.bbStart(bb);
    return { start, end: start + this.d.ctx.geo.bigBlockSize };
  }

  private mbRange(mb: number): Extent {
    const start = this.d.ctx.geo.mbStart(mb);
    return { start, end: start + this.d.ctx.geo.memoryBlockSize };
  }
}
