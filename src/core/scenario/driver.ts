/**
 * The guest's virtio-mem driver for one kernel boot: probe, the work queue pass
 * (`virtio_mem_run_wq`) with its retry timer, and the request helpers the block layouts
 * (sbm.ts, bbm.ts) share. DOMAIN.md §1.1 (errno handling), §2 (request patterns).
 */
import { type AcceptancePolicy, acceptancePolicy, type Extent } from './acceptance';
import { BigBlocks } from './bbm';
import { type BlockLayout, EAGAIN, EBUSY, EINVAL, ENOMEM, ENOSPC, ETXTBSY, type LayoutDriver, STOPPED } from './block-layout';
import type { Context } from './context';
import { ACK, BUSY, type Device, ERROR, NACK } from './device';
import { DriverLines } from './formats';
import type { Chunk } from './logs';
import type { ConfidentialMemory } from './memory';
import { SubBlocks } from './sbm';
import { MiB } from './types';

/** VIRTIO_MEM_RETRY_TIMER_MIN_MS / _MAX_MS. */
const RETRY_MIN_MICROS = 50_000_000;
const RETRY_MAX_MICROS = 300_000_000;
/** The driver's offline_threshold: max(1 GiB, 2 memory (big) blocks) of added-but-offline memory. */
const OFFLINE_THRESHOLD = 1024 * MiB;

export class Driver implements LayoutDriver {
  readonly lines: DriverLines;
  readonly policy: AcceptancePolicy;
  /** vm->plugged_size: what the driver has plugged. */
  plugged = 0;
  /** Memory added to Linux but not online (offline_size). */
  offlineSize = 0;
  /** V31 was printed: the work queue does nothing any more. */
  brokenErrno?: number;
  /** When the retry timer fires, if armed. */
  retryAt?: number;
  private readonly layout: BlockLayout;
  private requested = 0;
  private configChanged = true;
  private unplugAllRequired = false;
  private retryMicros = RETRY_MIN_MICROS;

  constructor(
    readonly ctx: Context,
    readonly device: Device,
    memory: ConfidentialMemory,
  ) {
    this.lines = new DriverLines(ctx.config.device.name);
    this.policy = acceptancePolicy(ctx, memory);
    this.layout = ctx.geo.bbm ? new BigBlocks(this) : new SubBlocks(this);
  }

  /** virtio_mem_init() and virtio_mem_init_hotplug(): V1–V4, V9, V10/V11, V12. */
  probe(): void {
    const { ctx, lines } = this;
    const { geo } = ctx;
    ctx.logs.guest(lines.startAddress(geo.addr));
    ctx.logs.guest(lines.regionSize(geo.regionSize));
    ctx.logs.guest(lines.deviceBlockSize(geo.blockSize));
    if (ctx.config.device.node !== undefined) ctx.logs.guest(lines.nid(ctx.config.device.node));
    ctx.logs.guest(lines.memoryBlockSize(geo.memoryBlockSize));
    ctx.logs.guest(geo.bbm ? lines.bigBlockSize(geo.bigBlockSize) : lines.subblockSize(geo.subblockSize));
    this.unplugAllRequired = this.device.size > 0;
    if (this.unplugAllRequired) ctx.logs.guest(lines.unplugAllRequired());
  }

  /** The config interrupt after the host changed requested-size. */
  configChange(): void {
    this.configChanged = true;
  }

  /** One run of the work queue. */
  *run(): Generator<Chunk, void, void> {
    const { ctx } = this;
    if (this.brokenErrno !== undefined || ctx.stop) return;
    this.retryAt = undefined;
    ctx.clock.advance(ctx.random.int(100, 600));
    let rc = 0;
    if (this.unplugAllRequired) rc = this.unplugAll();
    if (this.configChanged) this.refreshConfig();
    if (rc === 0) rc = this.layout.cleanup();
    if (rc === 0 && this.requested !== this.plugged) {
      const diff = this.requested - this.plugged;
      rc = yield* (diff > 0 ? this.layout.plug(diff) : this.layout.unplug(-diff));
    }
    if (rc === STOPPED || ctx.stop) return;
    if (rc === 0) {
      this.retryMicros = RETRY_MIN_MICROS;
    } else if (rc === ETXTBSY || rc === EBUSY || rc === ENOMEM) {
      this.retryAt = ctx.clock.now + this.retryMicros;
      this.retryMicros = Math.min(2 * this.retryMicros, RETRY_MAX_MICROS);
    } else if (rc !== ENOSPC) {
      ctx.logs.guest(this.lines.broken(rc));
      this.brokenErrno = rc;
    }
  }

  offlineOnline(mbId: number): void {
    this.layout.offlineOnline(mbId);
  }

  /** A PLUG request for `range` (V18, V19 on failure); 0 or the errno the driver maps the answer to. */
  plugRange(range: Extent): number {
    const { ctx, lines } = this;
    ctx.logs.guest(lines.plugging(range.start, range.end), true);
    const type = this.device.request(true, range.start, range.end - range.start);
    if (type === ACK) {
      this.plugged += range.end - range.start;
      return 0;
    }
    const errno = type === NACK ? EAGAIN : type === BUSY ? ETXTBSY : type === ERROR ? EINVAL : ENOMEM;
    ctx.logs.guest(lines.pluggingFailed(errno), true);
    return errno;
  }

  /** An UNPLUG request for `range` (V20, V21 on failure). */
  unplugRange(range: Extent): number {
    const { ctx, lines } = this;
    ctx.logs.guest(lines.unplugging(range.start, range.end), true);
    const type = this.device.request(false, range.start, range.end - range.start);
    if (type === ACK) {
      this.plugged -= range.end - range.start;
      return 0;
    }
    const errno = type === BUSY ? ETXTBSY : type === ERROR ? EINVAL : ENOMEM;
    ctx.logs.guest(lines.unpluggingFailed(errno), true);
    return errno;
  }

  /** add_memory_driver_managed() of `range` (V25); the block is offline until onlined. */
  addMemory(range: Extent): void {
    this.ctx.logs.guest(this.lines.adding(range.start, range.end), true);
    this.offlineSize += range.end - range.start;
    this.ctx.clock.advance(this.cost(range, 8, 12));
  }

  /** Whether `size` more bytes may be added while the offline memory stays within the threshold. */
  couldAdd(size: number): boolean {
    const { geo } = this.ctx;
    const unit = geo.bbm ? geo.bigBlockSize : geo.memoryBlockSize;
    return this.offlineSize + size <= Math.max(OFFLINE_THRESHOLD, 2 * unit);
  }

  /** Whether online memory in `range` holds unmovable allocations (alloc_contig_range() fails, silently). */
  unmovable(range: Extent): boolean {
    return range.start < this.ctx.geo.addr + this.ctx.config.unmovable;
  }

  /** Milliseconds per 128 MiB of `range`, from `min` to `max`, in microseconds: page initialisation, migration. */
  cost(range: Extent, min: number, max: number): number {
    return ((range.end - range.start) / (128 * MiB)) * this.ctx.random.int(min * 1000, max * 1000);
  }

  /** UNPLUG_ALL (V22, V23 on failure): the leftovers of a previous kernel. */
  private unplugAll(): number {
    const { ctx, lines } = this;
    ctx.logs.guest(lines.unpluggingAll(), true);
    if (this.device.unplugAllRequest() !== ACK) {
      ctx.logs.guest(lines.unpluggingAllFailed(ETXTBSY), true);
      return ETXTBSY;
    }
    this.plugged = 0;
    this.unplugAllRequired = false;
    this.configChanged = true;
    return 0;
  }

  /** virtio_mem_refresh_config(): V15 and V16 on every config change. */
  private refreshConfig(): void {
    const { ctx, lines } = this;
    this.configChanged = false;
    this.requested = this.device.requested;
    this.layout.setUsable(this.device.usable);
    ctx.logs.guest(lines.pluggedSize(this.plugged));
    ctx.logs.guest(lines.requestedSize(this.requested));
  }
}
