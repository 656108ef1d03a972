/**
 * SEAMCALL (host, TDH.*) and TDCALL (guest, TDG.*) leaf numbers of the TDX module ABI
 * (`tdx_api_defs.h`, module 2.0 tree, which keeps every 1.x number). A leaf operand is bits 15:0
 * leaf number and bits 23:16 leaf version; Linux prints it as hex (`SEAMCALL (0x…)`), as decimal
 * (`leaf %llu`, `SEAMCALL (%llu)`) or as KVM's macro name (`TDH_MEM_PAGE_AUG`).
 */

/** Host SEAMCALL leaves as `number=name`; 254 (0xFE, TDDEBUGCONFIG) exists in debug builds of the module only. */
const SEAMCALL = `
0=TDH.VP.ENTER 1=TDH.MNG.ADDCX 2=TDH.MEM.PAGE.ADD 3=TDH.MEM.SEPT.ADD 4=TDH.VP.ADDCX
5=TDH.MEM.PAGE.RELOCATE 6=TDH.MEM.PAGE.AUG 7=TDH.MEM.RANGE.BLOCK 8=TDH.MNG.KEY.CONFIG
9=TDH.MNG.CREATE 10=TDH.VP.CREATE 11=TDH.MNG.RD 12=TDH.MEM.RD 13=TDH.MNG.WR 14=TDH.MEM.WR
15=TDH.MEM.PAGE.DEMOTE 16=TDH.MR.EXTEND 17=TDH.MR.FINALIZE 18=TDH.VP.FLUSH
19=TDH.MNG.VPFLUSHDONE 20=TDH.MNG.KEY.FREEID 21=TDH.MNG.INIT 22=TDH.VP.INIT
23=TDH.MEM.PAGE.PROMOTE 24=TDH.PHYMEM.PAGE.RDMD 25=TDH.MEM.SEPT.RD 26=TDH.VP.RD
27=TDH.MNG.KEY.RECLAIMID 28=TDH.PHYMEM.PAGE.RECLAIM 29=TDH.MEM.PAGE.REMOVE
30=TDH.MEM.SEPT.REMOVE 31=TDH.SYS.KEY.CONFIG 32=TDH.SYS.INFO 33=TDH.SYS.INIT 34=TDH.SYS.RD
35=TDH.SYS.LP.INIT 36=TDH.SYS.TDMR.INIT 37=TDH.SYS.RDALL 38=TDH.MEM.TRACK
39=TDH.MEM.RANGE.UNBLOCK 40=TDH.PHYMEM.CACHE.WB 41=TDH.PHYMEM.PAGE.WBINVD 42=TDH.MEM.SEPT.WR
43=TDH.VP.WR 44=TDH.SYS.LP.SHUTDOWN 45=TDH.SYS.CONFIG 48=TDH.SERVTD.BIND 49=TDH.SERVTD.PREBIND
52=TDH.SYS.SHUTDOWN 53=TDH.SYS.UPDATE 58=TDH.PHYMEM.PAMT.ADD 59=TDH.PHYMEM.PAMT.REMOVE
64=TDH.EXPORT.ABORT 65=TDH.EXPORT.BLOCKW 66=TDH.EXPORT.RESTORE 68=TDH.EXPORT.MEM
70=TDH.EXPORT.PAUSE 71=TDH.EXPORT.TRACK 72=TDH.EXPORT.STATE.IMMUTABLE 73=TDH.EXPORT.STATE.TD
74=TDH.EXPORT.STATE.VP 75=TDH.EXPORT.UNBLOCKW 80=TDH.IMPORT.ABORT 81=TDH.IMPORT.END
82=TDH.IMPORT.COMMIT 83=TDH.IMPORT.MEM 84=TDH.IMPORT.TRACK 85=TDH.IMPORT.STATE.IMMUTABLE
86=TDH.IMPORT.STATE.TD 87=TDH.IMPORT.STATE.VP 96=TDH.MIG.STREAM.CREATE 128=TDH.IOMMU.SETREG
129=TDH.IOMMU.GETREG 130=TDH.SPDM.CREATE 131=TDH.SPDM.DELETE 132=TDH.IDE.STREAM.CREATE
133=TDH.IDE.STREAM.BLOCK 134=TDH.IDE.STREAM.DELETE 135=TDH.IDE.STREAM.IDEKMREQ
136=TDH.IDE.STREAM.IDEKMRSP 137=TDH.DEVIF.CREATE 138=TDH.DEVIF.REMOVE 139=TDH.DEVIF.REQUEST
140=TDH.DEVIF.RESPONSE 150=TDH.DMAR.ADD 151=TDH.DMAR.BLOCK 152=TDH.DMAR.READ 153=TDH.DMAR.REMOVE
154=TDH.MMIO.MT.ADD 155=TDH.MMIO.MT.SET 156=TDH.MMIO.MT.RD 157=TDH.MMIO.MT.REMOVE
158=TDH.MMIO.MAP 159=TDH.MMIO.BLOCK 160=TDH.MMIO.UNMAP 161=TDH.IQ.INV.REQUEST
162=TDH.IQ.INV.PROCESS 163=TDH.MEM.SHARED.SEPT.WR 164=TDH.DEVIF.MT.ADD 165=TDH.DEVIF.MT.REMOVE
166=TDH.DEVIF.MT.RD 254=TDDEBUGCONFIG
`;

/** Guest TDCALL leaves, the same way. */
const TDCALL = `
0=TDG.VP.VMCALL 1=TDG.VP.INFO 2=TDG.MR.RTMR.EXTEND 3=TDG.VP.VEINFO.GET 4=TDG.MR.REPORT
5=TDG.VP.CPUIDVE.SET 6=TDG.MEM.PAGE.ACCEPT 7=TDG.VM.RD 8=TDG.VM.WR 9=TDG.VP.RD 10=TDG.VP.WR
11=TDG.SYS.RD 12=TDG.SYS.RDALL 18=TDG.SERVTD.RD 20=TDG.SERVTD.WR 22=TDG.MR.VERIFYREPORT
23=TDG.MEM.PAGE.ATTR.RD 24=TDG.MEM.PAGE.ATTR.WR 25=TDG.VP.ENTER 26=TDG.VP.INVEPT
27=TDG.VP.INVVPID 64=TDG.SPDM.TPA.SET 65=TDG.SPDM.TPA.GET 66=TDG.DEVIF.VALIDATE 67=TDG.DEVIF.RD
68=TDG.DEVIF.REQUEST 69=TDG.DEVIF.RESPONSE 70=TDG.DMAR.ACCEPT 71=TDG.MMIO.ACCEPT
72=TDG.IQ.INV.REQUEST
`;

/** The persistent SEAMLDR's own SEAMCALLs have bit 63 set (Linux `seamldr.c`). */
const P_SEAMLDR: ReadonlyMap<bigint, string> = new Map([[0x8000000000000000n, 'SEAMLDR.INFO']]);

/** `6=TDH.MEM.PAGE.AUG 7=…` → leaf number → name. */
function table(text: string): ReadonlyMap<number, string> {
  return new Map(
    text
      .trim()
      .split(/\s+/)
      .map((entry) => {
        const [leaf, name] = entry.split('=');
        return [Number(leaf), name];
      }),
  );
}

const SEAMCALL_NAMES = table(SEAMCALL);
const TDCALL_NAMES = table(TDCALL);
/** `TDH_MEM_PAGE_AUG` (KVM's and Linux's macro names) → leaf number. */
const SEAMCALL_BY_MACRO: ReadonlyMap<string, number> = new Map([...SEAMCALL_NAMES].map(([leaf, name]) => [macroName(name), leaf]));

export interface DecodedLeaf {
  /** Bits 15:0 of the leaf operand. */
  leaf: number;
  /** Bits 23:16 (the leaf version, e.g. TDH.VP.INIT version 1); 0 for most calls. */
  version: number;
  /** `TDH.MEM.PAGE.AUG` as the ABI spells it, or undefined for a number the table does not have. */
  name?: string;
}

/** `TDH.MEM.PAGE.AUG` → `TDH_MEM_PAGE_AUG`, the name KVM prints. */
export function macroName(abiName: string): string {
  return abiName.replace(/\./g, '_');
}

/** A SEAMCALL leaf operand as printed (hex or decimal, with its version bits) → its ABI name. */
export function decodeSeamcallLeaf(operand: bigint): DecodedLeaf {
  const seamldr = P_SEAMLDR.get(operand);
  if (seamldr !== undefined) return { leaf: Number(operand & 0xffffn), version: 0, name: seamldr };
  const leaf = Number(operand & 0xffffn);
  const version = Number((operand >> 16n) & 0xffn);
  const name = operand >> 24n === 0n ? SEAMCALL_NAMES.get(leaf) : undefined;
  return { leaf, version, ...(name !== undefined ? { name } : {}) };
}

/** A TDCALL leaf number (guest side) → its ABI name. */
export function tdcallLeafName(leaf: number): string | undefined {
  return TDCALL_NAMES.get(leaf);
}

/** KVM's macro name (`TDH_MEM_PAGE_AUG`) → the leaf number, or undefined for a name not in the ABI. */
export function seamcallLeafOf(macro: string): number | undefined {
  return SEAMCALL_BY_MACRO.get(macro);
}
