/** Guest SEV-SNP lines (DOMAIN.md §1.4 S1–S6), printed by WARN without a pr_fmt prefix. */
import { type Family, hex, whole } from './table';

const HEX = '0x([0-9a-fA-F]+)';

export const snpGuest: Family = {
  name: 'SEV-SNP guest',
  prefix: /(?:SEV: )?(?=PVALIDATE|Failed to validate|SNP: |SEV-SNP: |Reserved bit|Wrong PSC|Failed to change page state)/y,
  rows: [
    {
      // S1, and S2 with the SVSM return code appended.
      id: 'S1',
      pattern: whole(`PVALIDATE failure: pfn ${HEX}, action=(\\d+), size=(\\d+) - ret=(-?\\d+)(?:, svsm_ret=${HEX})?`),
      build: (m) => ({
        kind: 'snp.pvalidateFailed',
        rule: m[5] === undefined ? 'S1' : 'S2',
        pfn: hex(m[1]),
        action: Number(m[2]),
        pageSize: Number(m[3]),
        ret: Number(m[4]),
        ...(m[5] !== undefined ? { svsmRet: hex(m[5]) } : {}),
      }),
    },
    {
      id: 'S3',
      pattern: whole(`Failed to validate address ${HEX} ret (-?\\d+)`),
      build: (m) => ({ kind: 'snp.pvalidateFailed', rule: 'S3', pfn: hex(m[1]) >> 12n, ret: Number(m[2]) }),
    },
    {
      id: 'S4',
      pattern: whole('(?:SNP|SEV-SNP): PSC failed ret=(-?\\d+) exit_info_2=(?:0x)?([0-9a-fA-F]+)'),
      build: (m) => ({ kind: 'snp.pscFailed', rule: 'S4', detail: 'psc', ret: Number(m[1]), exitInfo2: hex(m[2]) }),
    },
    {
      id: 'S5',
      pattern: whole('Reserved bit is set in the PSC header'),
      build: () => ({ kind: 'snp.pscFailed', rule: 'S5', detail: 'reservedBit' }),
    },
    {
      id: 'S5b',
      pattern: whole('(?:SNP|SEV-SNP): PSC processing going backward, end_entry -?\\d+ \\(got -?\\d+\\) cur_entry -?\\d+ \\(got -?\\d+\\)'),
      build: () => ({ kind: 'snp.pscFailed', rule: 'S5b', detail: 'backwards' }),
    },
    {
      id: 'S6',
      pattern: whole('Wrong PSC response code: 0x([0-9a-fA-F]+)'),
      build: (m) => ({ kind: 'snp.pscFailed', rule: 'S6', detail: 'wrongResponse', ret: Number(hex(m[1])) }),
    },
    {
      id: 'S6b',
      pattern: whole(`Failed to change page state to '[^']*' paddr ${HEX} error ${HEX}`),
      build: (m) => ({ kind: 'snp.pscFailed', rule: 'S6b', detail: 'changeFailed', address: hex(m[1]), exitInfo2: hex(m[2]) }),
    },
  ],
};
