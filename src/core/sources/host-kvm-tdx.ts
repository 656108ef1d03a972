/**
 * Host KVM TDX lines (DOMAIN.md §1.8 K1–K9; prefix `kvm_intel: `) and every wording of a failed
 * SEAMCALL since 2020: KVM's `pr_tdx_error*` / `TDX_BUG_ON*` one-liners are rows here; the TDX
 * host core's reports that print their registers on the next lines are one record each
 * (`seamcallRecord`). Leaf numbers and statuses are decoded by `tdx/`.
 */
import type { EventBody, KvmSeamcallFailedEvent } from '../events';
import { decodeSeamcallLeaf, macroName, seamcallLeafOf } from '../tdx/leaves';
import { decodeTdxStatus } from '../tdx/status';
import type { GroupFamily, GroupRecord } from './group';
import { type Family, hex, whole } from './table';

const HEX = '0x([0-9a-fA-F]+)';
/** Operands print as hex; excerpts in mails elide them as `0x…`. */
const OPERAND = '0x(?:[0-9a-fA-F]+|…|\\.\\.\\.)';
/** The pr_fmt prefixes of the TDX host code: upstream `virt/tdx: `, the 2022–2024 trees' `tdx: `, KVM's module name. */
const HOST_PREFIX = '(?:virt/tdx|x86/tdx|tdx|kvm_intel): ';
const REGISTERS = ['rcx', 'rdx', 'r8', 'r9', 'r10', 'r11'] as const;
type Register = (typeof REGISTERS)[number];

/** Linux's statuses for a SEAMCALL that never reached the module (`asm/tdx.h`). */
const SEAMCALL_VMFAILINVALID = 0x8000ff00ffff0000n;
const SEAMCALL_GP = 0x8000ff000000000dn;
const SEAMCALL_UD = 0x8000ff0000000006n;
const TDX_INCORRECT_CPUID_VALUE = 0xc000090000000000n;

type Seamcall = Omit<Extract<EventBody, { kind: 'kvm.seamcallFailed' }>, 'rule'>;

/** The event for a SEAMCALL named by KVM's macro (`TDH_MEM_PAGE_AUG`), or by its leaf number. */
function seamcall(name: string | bigint | undefined, status: bigint, extra: Partial<KvmSeamcallFailedEvent> = {}): Seamcall {
  let fn = 'unknown leaf';
  let leafFields: Partial<KvmSeamcallFailedEvent> = {};
  if (typeof name === 'bigint') {
    const d = decodeSeamcallLeaf(name);
    fn = d.name !== undefined ? macroName(d.name) : `leaf ${name}`;
    leafFields = { leaf: d.leaf, ...(d.version !== 0 ? { leafVersion: d.version } : {}), ...(d.name !== undefined ? { leafName: d.name } : {}) };
  } else if (name !== undefined) {
    fn = name;
    const leaf = seamcallLeafOf(name);
    if (leaf !== undefined) leafFields = { leaf, leafName: decodeSeamcallLeaf(BigInt(leaf)).name };
  }
  const s = decodeTdxStatus(status);
  return { kind: 'kvm.seamcallFailed', fn, ...leafFields, status, statusName: s.name, operand: s.operand, ...extra };
}

/** A printed register value, or undefined where a mail elided it (`0x…`). */
function registerValue(text: string): bigint | undefined {
  return /^0x[0-9a-fA-F]+$/.test(text) ? hex(text) : undefined;
}

/**
 * The `, name 0x…` pairs after the status: `rcx`/`rdx`/`r8` (pr_tdx_error_N), or KVM's variable
 * names since 2025 (`entry`, `level_state`; TDX_BUG_ON_3 put a comma after its second name).
 */
function outputs(tail: string): Partial<KvmSeamcallFailedEvent> {
  const regs: Partial<Record<Register, bigint>> = {};
  const named: Record<string, bigint> = {};
  for (const [, name, text] of tail.matchAll(/,? (\w+),? (0x\S+?)(?=,|$)/g)) {
    const value = registerValue(text);
    if (value === undefined) continue;
    if ((REGISTERS as readonly string[]).includes(name)) regs[name as Register] = value;
    else named[name] = value;
  }
  return { ...regs, ...(Object.keys(named).length > 0 ? { outputs: named } : {}) };
}

export const hostKvmTdx: Family = {
  name: 'host KVM TDX',
  // K8 goes through kvm_pr_unimpl(), which adds `kvm [<tgid>]: ` after the pr_fmt prefix.
  prefix: /(?:kvm_intel|kvm|virt\/tdx|x86\/tdx|tdx): (?:kvm \[\d+\]: )?(?=SEAMCALL|Guest access before accepting|TD vp_enter_ret|TDH_VP_|CPU is not in VMX|(?:TDX )?module (?:is )?not loaded|TDX module is outdated|(?:\[firmware bug\]: TDX is )?not enabled by BIOS)/y,
  rows: [
    {
      id: 'K1',
      pattern: whole(`Guest access before accepting ${HEX} on vCPU (\\d+)`),
      build: (m) => ({ kind: 'kvm.accessBeforeAccept', rule: 'K1', gpa: hex(m[1]), vcpu: Number(m[2]) }),
    },
    {
      // K2 (`failed: 0x…`) and K3 (with rcx / rdx / r8 or, since 2025, the variables' names);
      // commas or spaces between operands. `SEAMCALL 7 failed` is the uAPI-breakout v1
      // macro that stringified the leaf number instead of its name.
      id: 'K3',
      pattern: whole(`SEAMCALL (\\w+) failed: ${HEX}((?:,? \\w+,? ${OPERAND})*)`),
      build: (m) => {
        const name = /^\d+$/.test(m[1]) ? BigInt(m[1]) : m[1];
        return { rule: m[3] === '' ? 'K2' : 'K3', ...seamcall(name, hex(m[2]), outputs(m[3])) };
      },
    },
    {
      // Intel's KVM TDX trees (v18–v19, 2024, tdx_error.c): every output register on the one line.
      id: 'K2-long',
      pattern: whole(`SEAMCALL \\(${HEX}\\) failed: ${HEX} RCX ${HEX} RDX ${HEX} R8 ${HEX} R9 ${HEX} R10 ${HEX} R11 ${HEX}`),
      build: (m) => {
        const [rcx, rdx, r8, r9, r10, r11] = m.slice(3, 9).map((h) => hex(h));
        return { rule: 'K2-long', ...seamcall(hex(m[1]), hex(m[2]), { rcx, rdx, r8, r9, r10, r11 }) };
      },
    },
    {
      // The 2022–2024 host trees: a SEAMCALL that raised #UD; `SEAMCALL failed: CPU %d is not
      // in VMX operation.` in the earlier postings, without the CPU in the later ones.
      id: 'K2-vmx',
      pattern: whole('(?:SEAMCALL failed: CPU (\\d+) is|CPU is) not in VMX operation\\.'),
      build: (m) => ({ rule: 'K2-vmx', ...seamcall(undefined, SEAMCALL_UD, m[1] !== undefined ? { cpu: Number(m[1]) } : {}) }),
    },
    {
      // VMfailInvalid: no TDX module loaded. Upstream prints it after TDH.SYS.INIT (`module not
      // loaded`); the host trees after any first SEAMCALL (`[TDX ]module is not loaded.`).
      id: 'K2-noModule',
      pattern: whole('(module not loaded)|(?:TDX )?module is not loaded\\.'),
      build: (m) => ({ rule: 'K2-noModule', ...seamcall(m[1] !== undefined ? 'TDH_SYS_INIT' : undefined, SEAMCALL_VMFAILINVALID) }),
    },
    {
      // #GP: TDX not enabled by the BIOS (host trees, both wordings).
      id: 'K2-bios',
      pattern: whole('(?:\\[firmware bug\\]: TDX is )?not enabled by BIOS\\.'),
      build: () => ({ rule: 'K2-bios', ...seamcall(undefined, SEAMCALL_GP) }),
    },
    {
      // Intel's 2022 host tree: TDH.SYS.INIT refused a module older than 1.0.3.
      id: 'K2-outdated',
      pattern: whole('TDX module is outdated\\. Use v1\\.0\\.3 or newer\\.'),
      build: () => ({ rule: 'K2-outdated', ...seamcall(undefined, TDX_INCORRECT_CPUID_VALUE) }),
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

/**
 * printk's ratelimit report before the next failure of a ratelimited call site gets through:
 * `pr_tdx_error: 3 callbacks suppressed` (Intel's trees, a function) or the KVM function that
 * holds the `pr_err_ratelimited` (`tdx_mem_page_aug: …`). Printed without a pr_fmt prefix.
 */
export const seamcallRatelimit: Family = {
  name: 'SEAMCALL ratelimit',
  prefix: /(?=\w*tdx\w*: \d+ callbacks suppressed)/y,
  rows: [
    {
      id: 'K2-suppressed',
      pattern: whole('(\\w+): (\\d+) callbacks suppressed'),
      build: (m) => ({ kind: 'kvm.seamcallSuppressed', rule: 'K2-suppressed', func: m[1], count: Number(m[2]) }),
    },
  ],
};

/** A line with all six output registers in order, rcx to r11 (captures 1–6). */
function collectAll(m: RegExpExecArray, r: GroupRecord): void {
  REGISTERS.forEach((name, i) => {
    r.fields[name] = m[i + 1];
  });
}

/** `RCX … RDX … R08 …` fills rcx, rdx, r8 (captures 1–3); `R09 … R10 … R11 …` r9, r10, r11 (4–6). */
function collectRegisters(m: RegExpExecArray, r: GroupRecord): void {
  const first = m[1] !== undefined ? 0 : 3;
  for (let i = 0; i < 3; i++) r.fields[REGISTERS[first + i]] = m[first + i + 1];
}

/**
 * The TDX host core's SEAMCALL reports, each with the register lines it prints after it:
 * upstream (v6.8+, arch/x86/virt/vmx/tdx/tdx.c) `SEAMCALL (0x%016llx) failed: 0x%016llx`, the
 * 2025 `SEAMCALL (%llu)`/`(%lld)` and `%#016llx` forms, then `RCX … RDX … R08 …` and `R09 … R10 …
 * R11 …`; the 2022–2024 host trees' `SEAMCALL failed: [CPU %d: ]leaf %llu, error 0x%llx.` then
 * `additional output: rcx 0x…, …, r11 0x….`. Intel's KVM trees printed the first form for
 * SEAMCALLs without outputs too.
 */
export const seamcallRecord: GroupFamily = {
  name: 'SEAMCALL report',
  takesMessage: false,
  maxLines: 3,
  rows: [
    {
      id: 'K2-core',
      role: 'start',
      pattern: new RegExp(`^${HOST_PREFIX}SEAMCALL \\((?:${HEX}|(\\d+))\\) failed: ${HEX}\\s*$`),
      collect: (m, r) => {
        r.fields.leaf = m[1] !== undefined ? `0x${m[1]}` : m[2];
        r.fields.status = m[3];
      },
    },
    {
      id: 'K2-host',
      role: 'start',
      pattern: new RegExp(`^${HOST_PREFIX}SEAMCALL failed: (?:CPU (\\d+): )?leaf (\\d+), error ${HEX}\\.\\s*$`),
      collect: (m, r) => {
        if (m[1] !== undefined) r.fields.cpu = m[1];
        r.fields.leaf = m[2];
        r.fields.status = m[3];
      },
    },
    {
      id: 'K2-core-regs',
      role: 'body',
      pattern: new RegExp(`^${HOST_PREFIX}(?:RCX ${HEX} RDX ${HEX} R08 ${HEX}|R09 ${HEX} R10 ${HEX} R11 ${HEX})\\s*$`),
      collect: collectRegisters,
    },
    {
      id: 'K2-host-out',
      role: 'end',
      pattern: new RegExp(
        `^${HOST_PREFIX}additional output: rcx ${HEX}, rdx ${HEX}, r8 ${HEX}, r9 ${HEX}, r10 ${HEX}, r11 ${HEX}\\.\\s*$`,
      ),
      collect: collectAll,
    },
    {
      // Intel's KVM TDX RFC trees (2021–2022, tdx_error.c, no pr_fmt): the leaf and status as
      // numbers, or with the names the tree knew (`Unknown TDX SEAMCALL op` for others).
      id: 'K2-rfc',
      role: 'start',
      pattern: new RegExp(
        `^(?:${HOST_PREFIX})?SEAMCALL\\[(?:${HEX}|[\\w ]+\\(${HEX}\\))\\] failed: (?:${HEX}|[\\w ]+ \\(${HEX}\\))\\s*$`,
      ),
      collect: (m, r) => {
        r.fields.leaf = `0x${m[1] ?? m[2]}`;
        r.fields.status = m[3] ?? m[4];
      },
    },
    {
      id: 'K2-rfc-regs',
      role: 'end',
      pattern: new RegExp(`^(?:${HOST_PREFIX})?RCX ${HEX}, RDX ${HEX}, R8 ${HEX}, R9 ${HEX}, R10 ${HEX}, R11 ${HEX}\\s*$`),
      collect: collectAll,
    },
    {
      // The same trees, for TDX_EPT_WALK_FAILED: where the Secure-EPT walk stopped.
      id: 'K2-rfc-sept',
      role: 'end',
      pattern: new RegExp(`^(?:${HOST_PREFIX})?Secure EPT walk error: SEPTE ${HEX}, level (\\d+), (\\w+)\\s*$`),
      collect: (m, r) => {
        r.fields.septEntry = m[1];
        r.fields.septLevel = m[2];
        r.fields.septState = m[3];
      },
    },
  ],
  build: (r) => {
    const f = r.fields;
    const regs: Partial<Record<Register, bigint>> = {};
    for (const name of REGISTERS) if (f[name] !== undefined) regs[name] = hex(f[name]);
    const sept = f.septEntry !== undefined ? { sept: { entry: hex(f.septEntry), level: Number(f.septLevel), state: f.septState } } : {};
    return {
      rule: r.openedBy,
      ...seamcall(BigInt(f.leaf), hex(f.status), { ...(f.cpu !== undefined ? { cpu: Number(f.cpu) } : {}), ...regs, ...sept }),
    };
  },
};
