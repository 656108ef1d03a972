/**
 * QEMU's virtio-mem device (hw/virtio/virtio-mem.c, DOMAIN.md §1.6, §2): the plug bitmap, the
 * requested / plugged / usable sizes, the answers to requests and the RAM discards they cause.
 */
import type { Context } from './context';
import { qemuPlugRequest, qemuResized, qemuResponse, qemuUnplugAllRequest, qemuUnpluggedAll, qemuUnplugRequest } from './formats';
import type { ConfidentialMemory } from './memory';
import { MiB } from './types';

export const ACK = 0;
export const NACK = 1;
export const BUSY = 2;
export const ERROR = 3;

/** VIRTIO_MEM_USABLE_EXTENT on x86: the usable region is requested-size + 256 MiB. */
const USABLE_EXTENT = 2 * 128 * MiB;

export class Device {
  /** One byte per device block: 1 = plugged. */
  private readonly bitmap: Uint8Array;
  size = 0;
  requested = 0;
  usable = 0;
  /** Migration is running: requests are answered BUSY. */
  busy = false;

  constructor(
    private readonly ctx: Context,
    private readonly memory: ConfidentialMemory,
  ) {
    this.bitmap = new Uint8Array(ctx.geo.deviceBlocks);
  }

  /** `qom-set … requested-size`: the usable region may grow (Q6); the config interrupt follows. */
  setRequested(size: number): void {
    this.requested = size;
    this.resizeUsable(false);
  }

  /** A PLUG or UNPLUG request (Q2/Q3, discard, Q1); returns the response type. */
  request(plug: boolean, addr: number, size: number): number {
    const { ctx } = this;
    const blocks = size / ctx.geo.blockSize;
    ctx.logs.trace(ctx.mainThread, plug ? qemuPlugRequest(addr, blocks) : qemuUnplugRequest(addr, blocks));
    const type = this.answer(plug, addr, size);
    ctx.logs.trace(ctx.mainThread, qemuResponse(type));
    return type;
  }

  /** An UNPLUG_ALL request (Q5, then Q4 and Q6 on success, Q1). */
  unplugAllRequest(): number {
    const { ctx } = this;
    ctx.logs.trace(ctx.mainThread, qemuUnplugAllRequest);
    const type = this.busy ? BUSY : ACK;
    if (type === ACK) this.unplugAll();
    ctx.logs.trace(ctx.mainThread, qemuResponse(type));
    return type;
  }

  /** System reset: QEMU unplugs everything itself (Q4, Q6; no Q5, no answer). */
  unplugAll(): void {
    const { ctx } = this;
    if (this.size > 0) {
      this.discard(0, ctx.geo.regionSize);
      this.bitmap.fill(0);
      this.size = 0;
    }
    ctx.logs.trace(ctx.mainThread, qemuUnpluggedAll);
    this.resizeUsable(true);
  }

  private answer(plug: boolean, addr: number, size: number): number {
    const { geo } = this.ctx;
    const first = geo.blockIndex(addr);
    const count = size / geo.blockSize;
    const valid = size > 0 && (addr - geo.addr) % geo.blockSize === 0 && addr >= geo.addr && addr + size <= geo.addr + this.usable;
    if (!valid) return ERROR;
    if (plug && this.size + size > this.requested) return NACK;
    for (let i = first; i < first + count; i++) if (this.bitmap[i] === (plug ? 1 : 0)) return ERROR;
    if (this.busy) return BUSY;
    if (!plug) this.discard(addr - geo.addr, size);
    else this.ctx.clock.advance(this.ctx.random.int(50, 90));
    this.bitmap.fill(plug ? 1 : 0, first, first + count);
    this.size += plug ? size : -size;
    return ACK;
  }

  /** Discards `[offset, offset+length)` of the region (madvise takes about 40 µs per MiB). */
  private discard(offset: number, length: number): void {
    const { ctx } = this;
    const gpa = ctx.geo.addr + offset;
    this.memory.discardShared(ctx.mainThread, gpa, length);
    ctx.clock.advance((length / MiB) * ctx.random.int(30, 45));
    if (ctx.config.discardPrivate) this.memory.punchPrivate(gpa, gpa + length);
  }

  /** `virtio_mem_resize_usable_region()`: grows only, unless `canShrink`; traced also when unchanged. */
  private resizeUsable(canShrink: boolean): void {
    const { geo } = this.ctx;
    const extent = Math.min(geo.regionSize, this.requested + USABLE_EXTENT);
    const size = this.requested === 0 ? 0 : Math.ceil(extent / geo.blockSize) * geo.blockSize;
    if (size < this.usable && !canShrink) return;
    this.ctx.logs.trace(this.ctx.mainThread, qemuResized(this.usable, size));
    this.usable = size;
  }
}
