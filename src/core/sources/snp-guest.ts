/**
 * Guest SEV-SNP lines (DOMAIN.md §1.4 S1–S6): PVALIDATE and page state change failures, printed
 * by WARN (no pr_fmt) in arch/x86/kernel/sev.c and sev-shared.c (v5.19–v6.9), then
 * arch/x86/coco/sev/ (v6.10+), in their released and posted wordings.
 */
import type { EventBody } from '../events';
import { type Family, type Row, hex, whole } from './table';

const HEX = '0x([0-9a-fA-F]+)';
const INT = '(-?\\d+)';
/**
 * No physical address reaches 2^52 (the architectural limit SNP guests run under); a kernel
 * virtual address always does (the direct map starts at 0xffff888000000000, or 0xff11… with
 * five-level paging).
 */
const VIRTUAL = 1n << 52n;

function row(id: string, pattern: string, build: (m: RegExpExecArray) => EventBody): Row {
  return { id, pattern: whole(pattern), build };
}

/** A PVALIDATE failure whose captures are pfn, action, size, ret and, when printed, svsm_ret. */
function pvalidate(id: string, pattern: string): Row {
  return row(id, pattern, (m) => ({
    kind: 'snp.pvalidateFailed',
    rule: id,
    pfn: hex(m[1]),
    action: Number(m[2]),
    pageSize: Number(m[3]),
    ret: Number(m[4]),
    ...(m[5] !== undefined ? { svsmRet: hex(m[5]) } : {}),
  }));
}

/** vmgexit_psc()'s failure, `ret` and `exit_info_2` (`%llx`, no `0x`), in `prefix`'s wording. */
function pscFailed(id: string, prefix: string): Row {
  return row(id, `${prefix}PSC failed ret=${INT} exit_info_2=(?:0x)?([0-9a-fA-F]+)`, (m) => ({
    kind: 'snp.pscFailed',
    rule: 'S4',
    detail: 'psc',
    ret: Number(m[1]),
    exitInfo2: hex(m[2]),
  }));
}

/** vmgexit_psc()'s check that the hypervisor does not move the entries backwards. */
function backwards(id: string, prefix: string): Row {
  return row(id, `${prefix}PSC processing going backward, end_entry -?\\d+ \\(got -?\\d+\\) cur_entry -?\\d+ \\(got -?\\d+\\)`, () => ({
    kind: 'snp.pscFailed',
    rule: 'S5b',
    detail: 'backwards',
  }));
}

export const snpGuest: Family = {
  name: 'SEV-SNP guest',
  prefix: /(?:SEV: )?(?=PVALIDATE|Failed to validate|SNP: |SEV-SNP: |Reserved bit|Wrong PSC|Failed to change page state)/y,
  rows: [
    // v6.11+ __pval_terminate() (arch/x86/kernel/sev-shared.c, then arch/x86/coco/sev/): the
    // SVSM series as merged; svsm_ret is 0 when the guest ran PVALIDATE itself.
    pvalidate('S2b', `PVALIDATE failure: pfn: ${HEX}, action: (\\d+), size: (\\d+), ret: ${INT}, svsm_ret: ${HEX}`),
    // The posted SVSM series (v4/v5, 2024): pval_terminate() and svsm_pval_terminate().
    pvalidate('S1', `PVALIDATE failure: pfn ${HEX}, action=(\\d+), size=(\\d+) - ret=${INT}`),
    pvalidate('S2', `PVALIDATE failure: pfn ${HEX}, action=(\\d+), size=(\\d+) - ret=${INT}, svsm_ret=${HEX}`),
    // From v5.19 until the SVSM rework (v6.11), pvalidate_pages() prints the kernel virtual
    // address it validated; early_set_pages_state(), until 2024, the same text with a physical one.
    row('S3', `Failed to validate address ${HEX} ret ${INT}`, (m) => {
      const address = hex(m[1]);
      return address >= VIRTUAL
        ? { kind: 'snp.pvalidateFailed', rule: 'S3', vaddr: address, ret: Number(m[2]) }
        : { kind: 'snp.pvalidateFailed', rule: 'S3', pfn: address >> 12n, ret: Number(m[2]) };
    }),
    // vmgexit_psc(), v5.19+; the posted SNP guest series (2021–2022) said `SEV-SNP: `, and
    // two spaces after it before `PSC processing`.
    pscFailed('S4', 'SNP: '),
    pscFailed('S4-posted', 'SEV-SNP: '),
    row('S5', 'Reserved bit is set in the PSC header', () => ({ kind: 'snp.pscFailed', rule: 'S5', detail: 'reservedBit' })),
    backwards('S5b', 'SNP: '),
    backwards('S5b-posted', 'SEV-SNP:  '),
    // early_set_pages_state() from v5.19 until 2024 (GHCB MSR protocol): the paddr is physical.
    row('S6', 'Wrong PSC response code: 0x([0-9a-fA-F]+)', (m) => ({ kind: 'snp.pscFailed', rule: 'S6', detail: 'wrongResponse', ret: Number(hex(m[1])) })),
    row('S6b', `Failed to change page state to '[^']*' paddr ${HEX} error ${HEX}`, (m) => ({
      kind: 'snp.pscFailed',
      rule: 'S6b',
      detail: 'changeFailed',
      address: hex(m[1]),
      exitInfo2: hex(m[2]),
    })),
  ],
};
