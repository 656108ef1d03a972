/**
 * Which platform the events prove (diagnose/platform-evidence.ts): the lines that name TDX or
 * SEV-SNP, those that show only a confidential guest, the first named platform winning, and
 * look-alikes that prove nothing (a host's TDX module line, a kernel command line, a panic
 * that is not an EPT violation, a guest with SME only).
 *
 * Wordings: arch/x86/mm/mem_encrypt.c print_mem_encrypt_feature_info() ("Memory Encryption
 * Features active: Intel TDX" / "AMD SME SEV SEV-ES SEV-SNP"), arch/x86/coco/sev/core.c
 * ("SEV: Status: SEV SEV-ES SEV-SNP"), arch/x86/virt/vmx/tdx/tdx.c ("virt/tdx: TDX module:
 * …"), Linux v6.12.
 */
import { strict as assert } from 'node:assert';
import { PlatformEvidence } from '../../../src/core/diagnose/platform-evidence';
import type { HotplugEvent } from '../../../src/core/events';

function event(e: Partial<HotplugEvent> & { kind: HotplugEvent['kind'] }, line: number, input = 0): HotplugEvent {
  return { rule: 'test', input, source: { path: 'guest.log', line, span: 1, column: 0, endColumn: 0, offset: 0 }, ...e } as HotplugEvent;
}

function seen(...events: HotplugEvent[]): { platform: string; confidential: boolean; at?: { input: number; line: number } } {
  const p = new PlatformEvidence();
  for (const e of events) p.see(e);
  return { platform: p.platform, confidential: p.confidential, ...(p.confidentialAt ? { at: p.confidentialAt } : {}) };
}

const info = (what: string, detail: string, line = 1) => event({ kind: 'platform.info', what: what as never, detail }, line);

describe('platform evidence', () => {
  it('nothing seen: no confidential guest, no platform', () => {
    assert.deepEqual(seen(), { platform: 'unknown', confidential: false });
    assert.deepEqual(seen(event({ kind: 'vmem.size', device: 'virtio5', which: 'plugged', size: 0n }, 1)), { platform: 'unknown', confidential: false });
  });

  it('the memory encryption line names the platform', () => {
    assert.deepEqual(seen(info('memoryEncryption', 'Intel TDX', 3)), { platform: 'tdx', confidential: true, at: { input: 0, line: 3 } });
    assert.deepEqual(seen(info('memoryEncryption', 'AMD SEV SEV-ES SEV-SNP', 4)), { platform: 'snp', confidential: true, at: { input: 0, line: 4 } });
    assert.deepEqual(seen(info('sevStatus', 'SEV SEV-ES SEV-SNP', 5)), { platform: 'snp', confidential: true, at: { input: 0, line: 5 } });
    // SEV without SNP: a confidential guest, but neither platform this tool tells apart.
    assert.deepEqual(seen(info('memoryEncryption', 'AMD SEV SEV-ES')), { platform: 'unknown', confidential: true, at: { input: 0, line: 1 } });
  });

  it('look-alikes prove nothing: SME only, a host’s TDX module line, a command line that mentions SNP', () => {
    assert.deepEqual(seen(info('memoryEncryption', 'AMD SME')), { platform: 'unknown', confidential: false });
    assert.deepEqual(seen(info('tdxModule', 'TDX module: attributes 0x0, vendor_id 0x8086, major_version 1, minor_version 5')), { platform: 'unknown', confidential: false });
    assert.deepEqual(seen(info('commandLine', 'BOOT_IMAGE=/vmlinuz root=/dev/vda1 sev=SNP')), { platform: 'unknown', confidential: false });
  });

  it('a panic proves TDX only when it is the EPT violation on private memory', () => {
    assert.deepEqual(seen(event({ kind: 'kernel.panic', message: 'Unexpected EPT-violation on private memory.', reason: 'eptViolation' }, 7)), {
      platform: 'tdx',
      confidential: true,
      at: { input: 0, line: 7 },
    });
    assert.deepEqual(seen(event({ kind: 'kernel.panic', message: 'Attempted to kill init! exitcode=0x00000009', reason: 'other' }, 7)), { platform: 'unknown', confidential: false });
  });

  it('the first line that proves a confidential guest is kept; the first platform named wins', () => {
    const convert = event({ kind: 'qemu.convert', start: 0x100000000n, size: 0x200000n, to: 'private' }, 2, 1);
    const snp = event({ kind: 'snp.pvalidateFailed', pfn: 0x108000n, ret: 6 }, 5);
    const tdx = event({ kind: 'tdx.guestDetected' }, 9);
    assert.deepEqual(seen(convert, snp, tdx), { platform: 'snp', confidential: true, at: { input: 1, line: 2 } });
    assert.deepEqual(seen(tdx, snp), { platform: 'tdx', confidential: true, at: { input: 0, line: 9 } });
  });
});
