/**
 * Which platform the logs prove, from a table of the events that show it: the words of every
 * finding follow it (TDX accepts, SEV-SNP validates), and latent warnings about private memory
 * are kept only for a confidential guest.
 */
import type { HotplugEvent } from '../events';
import type { Ref } from '../model/model';
import type { Platform } from './codes/definition';

/** What one event shows: a confidential guest of a known platform, or one of either. */
type Sign = 'tdx' | 'snp' | 'confidential';
type Kind = HotplugEvent['kind'];
type SignOf = (e: HotplugEvent) => Sign | undefined;

const always =
  (sign: Sign): SignOf =>
  () =>
    sign;

export const PLATFORM_SIGNS: Partial<Record<Kind, SignOf>> = {
  'tdx.acceptFailed': always('tdx'),
  'tdx.releaseFailed': always('tdx'),
  'tdx.guestDetected': always('tdx'),
  'tdx.septVeMisconfigured': always('tdx'),
  'kvm.accessBeforeAccept': always('tdx'),
  'kvm.seamcallFailed': always('tdx'),
  'kvm.tdxError': always('tdx'),
  'snp.pvalidateFailed': always('snp'),
  'snp.pscFailed': always('snp'),
  'snp.host.rmpUpdateFailed': always('snp'),
  'snp.host.rmpFault': always('snp'),
  'snp.host.rmpSplitFailed': always('snp'),
  'snp.host.rmpLookupFailed': always('snp'),
  'snp.host.reclaimFailed': always('snp'),
  'snp.host.leak': always('snp'),
  // SEV-ES guests ask for termination the same way.
  'snp.host.guestTermination': always('confidential'),
  // x86 CPA and the CoCo virtio-mem patches serve both platforms alike.
  'cpa.failure': always('confidential'),
  'vmem.cocoLeak': always('confidential'),
  // Only a guest with private memory has conversions.
  'qemu.convert': always('confidential'),
  'qemu.setAttributesFailed': always('confidential'),
  'qemu.convertNonGuestMemfd': always('confidential'),
  'kernel.panic': (e) => (e.kind === 'kernel.panic' && e.reason === 'eptViolation' ? 'tdx' : undefined),
  'platform.info': (e) => {
    if (e.kind !== 'platform.info' || (e.what !== 'memoryEncryption' && e.what !== 'sevStatus')) return undefined;
    if (/SNP/.test(e.detail)) return 'snp';
    if (/TDX/.test(e.detail)) return 'tdx';
    return /SEV/.test(e.detail) ? 'confidential' : undefined;
  },
};

export class PlatformEvidence {
  /** The first line that proves a confidential guest. */
  confidentialAt?: Ref;
  /** The first platform a line names. */
  private named?: 'tdx' | 'snp';

  see(e: HotplugEvent): void {
    const sign = PLATFORM_SIGNS[e.kind]?.(e);
    if (sign === undefined) return;
    this.confidentialAt ??= { input: e.input, line: e.source.line };
    if (sign !== 'confidential') this.named ??= sign;
  }

  get confidential(): boolean {
    return this.confidentialAt !== undefined;
  }

  get platform(): Platform {
    return this.named ?? 'unknown';
  }
}
