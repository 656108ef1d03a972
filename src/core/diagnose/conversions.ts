/**
 * Private/shared conversions and accepts: QEMU's conversions place the guest's CPA warnings
 * (whose address is hashed), a failed accept implies the range was plugged again, and a
 * failed PVALIDATE is placed on its page.
 */
import { HUGE_PAGE_SIZE, PAGE_SIZE } from '../model/block-size';
import type { Ref } from '../model/model';
import { HPL003, HPL010, HPL011, HPL013 } from './codes/index';
import type { ConversionFacts } from './codes/hpl010';
import type { Draft } from './draft';
import { removesPrivatePage } from '../model/policy';
import type { Run } from './run';

const PVALIDATE_FAIL_NOUPDATE = 255;

interface Burst {
  start: bigint;
  end: bigint;
  at: Ref;
}

export class Conversions {
  /** The last range QEMU converted to private, to place a CPA warning that has only a hashed address. */
  private lastToPrivate?: Burst;
  /** A CPA warning that came before any conversion it could be about (clocks of a second's grain). */
  private pendingCpa?: { bytes: bigint; errno?: number; at: Ref };

  constructor(private readonly run: Run) {}

  converted(start: bigint, size: bigint, to: 'private' | 'shared', at: Ref): void {
    if (size === 0n) return;
    const end = start + size;
    this.run.apply({ on: to === 'private' ? 'toPrivate' : 'toShared', start, end, at });
    if (to !== 'private') return;
    const last = this.lastToPrivate;
    this.lastToPrivate = last && last.end === start ? { start: last.start, end, at: last.at } : { start, end, at };
    const pending = this.pendingCpa;
    if (pending && this.lastToPrivate.end - this.lastToPrivate.start >= pending.bytes) {
      this.pendingCpa = undefined;
      this.placeCpa(this.lastToPrivate, pending.at, 'QEMU converted this range to private');
    }
  }

  /** A CPA warning: `numPages` whose address the kernel hashed. */
  cpaFailure(to: 'private' | 'shared', numPages: number, errno: number | undefined, at: Ref): void {
    const bytes = BigInt(numPages) * PAGE_SIZE;
    if (to === 'shared') {
      this.run.ledger.note(HPL010, { failed: 'toShared', bytes, ...(errno !== undefined ? { errno } : {}) }, { at, cause: 'unknown', via: 'T1' });
      return;
    }
    // Placed on the range QEMU was converting, if any.
    const burst = this.lastToPrivate;
    if (burst && burst.end - burst.start >= bytes) {
      this.placeCpa(burst, at, 'QEMU converted this range to private just before');
      return;
    }
    // The conversion may still come: QEMU's lines can sort after the guest's when one of the
    // clocks has only whole seconds.
    this.pendingCpa = { bytes, ...(errno !== undefined ? { errno } : {}), at };
  }

  private placeCpa(burst: Burst, at: Ref, message: string): void {
    this.acceptFailed(burst.start, burst.end, at, 'T1', [{ at: burst.at, message }]);
  }

  /** A CPA warning no conversion came for by the end. */
  unplacedCpa(): void {
    const pending = this.pendingCpa;
    if (!pending) return;
    this.pendingCpa = undefined;
    const { bytes, errno, at } = pending;
    const privatePage = removesPrivatePage(this.run.model.policies);
    this.run.ledger.note(HPL003, { from: 'cpa', bytes, ...(errno !== undefined ? { errno } : {}), privatePageRemoved: privatePage }, { at, via: 'T1' });
  }

  acceptFailed(start: bigint, end: bigint, at: Ref, via: string, related: Draft['related'] = []): void {
    const { model, ledger } = this.run;
    const d = model.deviceAt(start);
    this.run.see(d, start, end);
    // The accept of a range implies it was plugged again; the plug itself may not be logged.
    const cover = d.cover(start, end);
    if (!cover) return;
    let unplugged = 0;
    for (let i = cover.first; i < cover.last; i++) if (cover.store.get(i).dev === 'unplugged') unplugged += 1;
    // Tried per subblock (a what-if), the guest would not have accepted the unplugged part.
    const perSubblock = this.run.inference.evidence.get('guest.acceptGranularity')?.how === 'forced' && model.policies['guest.acceptGranularity'] === 'subblock';
    if (unplugged > 0 && unplugged < cover.last - cover.first && !perSubblock) {
      ledger.note(HPL013, { unplugged }, { at, device: d.id, range: { start, end }, via });
    }
    if (unplugged > 0) this.run.apply({ on: 'plug', device: d.id, start, end, at, inferred: true });
    this.run.apply({ on: 'acceptFailed', device: d.id, start, end, at }, related, via);
  }

  /** `pageSize` 1: a 2 MiB page (RMP_PG_SIZE_2M). A kernel virtual address (no pfn) cannot be placed in guest memory. */
  pvalidateFailed(pfn: bigint | undefined, vaddr: bigint | undefined, pageSize: number | undefined, ret: number, at: Ref, rule: string): void {
    if (pfn === undefined && ret === PVALIDATE_FAIL_NOUPDATE) {
      this.run.vmEnd.fatal('HPL011', at);
      this.run.ledger.note(HPL011, vaddr !== undefined ? { vaddr } : {}, { at, confidence: 'possible', cause: 'unknown', via: rule });
      return;
    }
    if (pfn === undefined) {
      this.run.vmEnd.fatal('HPL003', at);
      this.run.ledger.note(HPL003, { from: 'pvalidate', ret, ...(vaddr !== undefined ? { vaddr } : {}) }, { at, via: rule });
      return;
    }
    const start = pfn * PAGE_SIZE;
    const end = start + (pageSize === 1 ? HUGE_PAGE_SIZE : PAGE_SIZE);
    if (ret === PVALIDATE_FAIL_NOUPDATE) {
      this.run.vmEnd.fatal('HPL011', at);
      this.run.apply({ on: 'validateFailed', start, end, at });
      return;
    }
    this.run.vmEnd.fatal('HPL003', at);
    this.run.ledger.note(HPL003, { from: 'pvalidate', pfn, ret }, { at, range: { start, end }, via: rule });
  }

  /** A conversion QEMU could not do; the VM stops after it in QEMU 9.2. */
  conversionFailed(start: bigint, size: bigint, facts: ConversionFacts, at: Ref, via: string, misconfigured = false): void {
    this.run.vmEnd.fatal('HPL010', at);
    this.run.ledger.note(HPL010, facts, {
      at,
      range: { start, end: start + size },
      ...(misconfigured ? { cause: 'config' as const, confidence: 'certain' as const } : {}),
      via,
    });
  }
}
