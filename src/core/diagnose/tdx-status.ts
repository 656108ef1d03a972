/**
 * TDX status values (TDX module 1.5 `tdx_error_codes_defs.h`, Linux `tdx_errno.h`): the upper
 * 32 bits name the status, the lower 32 bits the operand (or the EPT level for PAGE.ACCEPT
 * warnings). Bit 63 = error, bit 62 = non-recoverable.
 */

interface StatusName {
  name: string;
  /** Where it shows up, in one phrase. */
  where: string;
}

const STATUS: ReadonlyMap<bigint, StatusName> = new Map([
  [0x00000000n, { name: 'TDX_SUCCESS', where: 'success' }],
  [0x80000003n, { name: 'TDX_INTERRUPTED_RESUMABLE', where: 'long host SEAMCALLs (TDH.PHYMEM.CACHE.WB …)' }],
  [0xc0000100n, { name: 'TDX_OPERAND_INVALID', where: 'e.g. a 1G TDG.MEM.PAGE.ACCEPT on TDX 1.5' }],
  [0x80000200n, { name: 'TDX_OPERAND_BUSY', where: 'S-EPT lock contention; KVM retries' }],
  [0xc0000b00n, { name: 'TDX_EPT_WALK_FAILED', where: 'host SEAMCALLs' }],
  [0xc0000b01n, { name: 'TDX_EPT_ENTRY_FREE', where: 'host SEAMCALLs on a free S-EPT entry' }],
  [0xc0000b02n, { name: 'TDX_EPT_ENTRY_NOT_FREE', where: 'host SEAMCALLs' }],
  [0xc0000b03n, { name: 'TDX_EPT_ENTRY_NOT_PRESENT', where: 'host SEAMCALLs' }],
  [0xc0000b06n, { name: 'TDX_GPA_RANGE_NOT_BLOCKED', where: 'TDH.MEM.PAGE.REMOVE before TDH.MEM.RANGE.BLOCK' }],
  [0x00000b07n, { name: 'TDX_GPA_RANGE_ALREADY_BLOCKED', where: 'warning status of TDH.MEM.RANGE.BLOCK' }],
  [0xc0000b08n, { name: 'TDX_TLB_TRACKING_NOT_DONE', where: 'TDH.MEM.PAGE.REMOVE before TDH.MEM.TRACK' }],
  [0x00000b0an, { name: 'TDX_PAGE_ALREADY_ACCEPTED', where: 'guest TDG.MEM.PAGE.ACCEPT on a MAPPED page (warning, bit 63 clear)' }],
  [0xc0000b0bn, { name: 'TDX_PAGE_SIZE_MISMATCH', where: 'guest TDG.MEM.PAGE.ACCEPT at a size other than the mapping' }],
  [0xc0000b0cn, { name: 'TDX_GPA_RANGE_BLOCKED', where: 'host SEAMCALLs' }],
  [
    0xc0000b0dn,
    {
      name: 'TDX_EPT_ENTRY_STATE_INCORRECT',
      where: 'host SEAMCALLs only (AUG/REMOVE/BLOCK/…) on an S-EPT entry in the wrong state; never a PAGE.ACCEPT result',
    },
  ],
]);

const OPERANDS: Record<number, string> = { 0: 'RAX', 1: 'RCX', 2: 'RDX', 3: 'RBX', 6: 'RSI', 7: 'RDI', 8: 'R8', 9: 'R9', 10: 'R10' };

export interface DecodedStatus {
  value: bigint;
  /** `TDX_EPT_ENTRY_STATE_INCORRECT`, or `unknown status 0x…` */
  name: string;
  where?: string;
  error: boolean;
  nonRecoverable: boolean;
  /** The operand the status refers to (`RCX`), or the EPT level for ACCEPT warnings. */
  operand: string;
}

export function decodeTdxStatus(value: bigint): DecodedStatus {
  const status = value >> 32n;
  const detail = Number(value & 0xffffffffn);
  const known = STATUS.get(status);
  const level = ['4K', '2M', '1G'][detail];
  const operand =
    known && (known.name === 'TDX_PAGE_ALREADY_ACCEPTED' || known.name === 'TDX_PAGE_SIZE_MISMATCH')
      ? `EPT level ${level ?? detail}`
      : (OPERANDS[detail] ?? `operand ${detail}`);
  return {
    value,
    name: known?.name ?? `unknown status 0x${status.toString(16).padStart(8, '0')}`,
    ...(known ? { where: known.where } : {}),
    error: (value >> 63n) === 1n,
    nonRecoverable: ((value >> 62n) & 1n) === 1n,
    operand,
  };
}

/** The status whose name is `name`, for users who arrive with a name from a mail or patch. */
export function statusByName(name: string): { value: bigint; where: string } | undefined {
  for (const [status, info] of STATUS) if (info.name === name) return { value: status << 32n, where: info.where };
  return undefined;
}
