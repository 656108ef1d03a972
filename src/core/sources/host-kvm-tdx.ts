/** Host KVM TDX lines (DOMAIN.md §1.8 K1–K9; prefix `kvm_intel: `) and the TDX host core's SEAMCALL errors. */
import { type Family, hex, whole } from './table';

const HEX = '0x([0-9a-fA-F]+)';
/** Operands print as hex; excerpts in mails elide them as `0x…`. */
const OPERAND = '0x([0-9a-fA-F]+|…|\\.\\.\\.)';

function operand(text: string | undefined): bigint | undefined {
  return text === undefined || !/^[0-9a-fA-F]+$/.test(text) ? undefined : hex(text);
}

export const hostKvmTdx: Family = {
  name: 'host KVM TDX',
  // K8 goes through kvm_pr_unimpl(), which adds `kvm [<tgid>]: ` after the pr_fmt prefix.
  prefix: /(?:kvm_intel|kvm|virt\/tdx|tdx): (?:kvm \[\d+\]: )?(?=SEAMCALL|Guest access before accepting|TD vp_enter_ret|TDH_VP_)/y,
  rows: [
    {
      id: 'K1',
      pattern: whole(`Guest access before accepting ${HEX} on vCPU (\\d+)`),
      build: (m) => ({ kind: 'kvm.accessBeforeAccept', rule: 'K1', gpa: hex(m[1]), vcpu: Number(m[2]) }),
    },
    {
      // K2 (`failed: 0x…`) and K3 (with rcx / rdx / r8); commas or spaces between operands.
      id: 'K3',
      pattern: whole(`SEAMCALL (\\w+) failed: ${HEX}(?:,? rcx ${OPERAND})?(?:,? rdx ${OPERAND})?(?:,? r8 ${OPERAND})?`),
      build: (m) => {
        const [rcx, rdx, r8] = [operand(m[3]), operand(m[4]), operand(m[5])];
        return {
          kind: 'kvm.seamcallFailed',
          rule: m[3] === undefined ? 'K2' : 'K3',
          fn: m[1],
          status: hex(m[2]),
          ...(rcx !== undefined ? { rcx } : {}),
          ...(rdx !== undefined ? { rdx } : {}),
          ...(r8 !== undefined ? { r8 } : {}),
        };
      },
    },
    {
      // arch/x86/virt/vmx/tdx: `SEAMCALL (0x000000000000000f) failed: 0xc0000b0d00000001` (leaf number, not name).
      id: 'K2-core',
      pattern: whole(`SEAMCALL \\(${HEX}\\) failed: ${HEX}`),
      build: (m) => ({ kind: 'kvm.seamcallFailed', rule: 'K2-core', fn: `leaf ${Number(hex(m[1]))}`, status: hex(m[2]) }),
    },
    {
      id: 'K8',
      pattern: whole(`TD vp_enter_ret ${HEX}`),
      build: (m) => ({ kind: 'kvm.tdxError', rule: 'K8', detail: m[0].trim(), status: hex(m[1]) }),
    },
    {
      id: 'K9',
      pattern: whole(`TDH_VP_(?:RD|WR)\\[[^\\]]*\\](?:.*?) failed:? ${HEX}`),
      build: (m) => ({ kind: 'kvm.tdxError', rule: 'K9', detail: m[0].trim(), status: hex(m[1]) }),
    },
  ],
};
