/** Guest virtio-mem driver lines (DOMAIN.md §1.1 V*, §1.2 R1), old and new wordings. */
import type { VmemBlockOpEvent, VmemNoticeEvent, VmemOp } from '../events';
import { ascending, DYNDBG_DECORATION, type Family, type Row, hex, inclusiveRange, whole } from './table';

const HEX = '0x([0-9a-fA-F]+)';
const ERRNO = '(-?\\d+)';
/** `%lu` memory block id and `%i` subblock ids of the v5.8–v5.10 wording. */
const ID = '(\\d+)';

function geometry(id: string, text: string, field: 'startAddress' | 'regionSize' | 'deviceBlockSize' | 'memoryBlockSize' | 'subblockSize' | 'bigBlockSize'): Row {
  return { id, pattern: whole(`${text}: ${HEX}`), build: (m, device) => ({ kind: 'vmem.geometry', rule: id, device, field, value: hex(m[1]) }) };
}

function range(id: string, text: string, op: Exclude<VmemOp, 'unplugAll'>): Row {
  return {
    id,
    pattern: whole(`${text}: ${HEX} - ${HEX}`),
    valid: ascending(1, 2),
    build: (m, device) => ({ kind: 'vmem.range', rule: id, device, op, ...inclusiveRange(m[1], m[2]) }),
  };
}

function failed(id: string, text: string, op: VmemOp): Row {
  return {
    id,
    pattern: whole(`${text} failed: ${ERRNO}`),
    build: (m, device) => ({ kind: 'vmem.opFailed', rule: id, device, op, errno: Number(m[1]) }),
  };
}

/**
 * v5.8–v5.10 dev_dbg lines that name a memory block by id (`adding memory block: 33`) and, for
 * plug and unplug, its first and last subblock (`plugging memory block: 33 : 0 - 31`).
 */
function block(id: string, text: string, op: VmemBlockOpEvent['op'], withSubblocks = false): Row {
  return {
    id,
    pattern: whole(withSubblocks ? `${text}: ${ID} : ${ID} - ${ID}` : `${text}: ${ID}`),
    ...(withSubblocks ? { valid: (m: RegExpExecArray) => Number(m[3]) >= Number(m[2]) } : {}),
    build: (m, device) => ({
      kind: 'vmem.blockOp',
      rule: id,
      device,
      op,
      memoryBlock: BigInt(m[1]),
      ...(withSubblocks ? { subblocks: { first: Number(m[2]), last: Number(m[3]) } } : {}),
    }),
  };
}

/** `rule`: the DOMAIN.md row, when this is another wording of it (`V34-old` is V34's older text). */
function notice(id: string, text: string, what: VmemNoticeEvent['notice'], rule = id): Row {
  return { id, pattern: whole(text), build: (_m, device) => ({ kind: 'vmem.notice', rule, device, notice: what }) };
}

function noticeErrno(id: string, text: string, what: VmemNoticeEvent['notice']): Row {
  return {
    id,
    pattern: whole(`${text}: ${ERRNO}`),
    build: (m, device) => ({ kind: 'vmem.notice', rule: id, device, notice: what, errno: Number(m[1]) }),
  };
}

/** `virtio_mem virtio5: …` (dev_* prints `<driver> <device>: `), after dev_dbg's decoration if any. */
export const virtioMemDriver: Family = {
  name: 'virtio-mem driver',
  prefix: new RegExp(`${DYNDBG_DECORATION}(?:virtio_mem|virtio) (virtio\\d+): `, 'y'),
  rows: [
    geometry('V1', 'start address', 'startAddress'),
    geometry('V2', 'region size', 'regionSize'),
    geometry('V3', 'device block size', 'deviceBlockSize'),
    // v5.8–v5.10: a device block bigger than a memory block was refused (v5.11 added Big Block Mode).
    notice('V3b', 'The block size is not supported \\(too big\\)\\.', 'blockSizeTooBig'),
    { id: 'V4', pattern: whole('nid: (-?\\d+)'), build: (m, device) => ({ kind: 'vmem.node', rule: 'V4', device, node: Number(m[1]) }) },
    notice('V5', 'The alignment of the physical start address can make some memory unusable\\.', 'startAlignment'),
    notice('V6', 'The alignment of the physical end address can make some memory unusable\\.', 'endAlignment'),
    notice('V7', 'Some device memory is not addressable/pluggable\\. This can make some memory unusable\\.', 'notAddressable'),
    // v5.8–v5.11 wording of V7, before mhp_get_pluggable_range().
    notice('V7-old', 'Some memory is not addressable\\. This can make some memory unusable\\.', 'notAddressable'),
    notice('V8', 'bbm_block_size is not a power of 2', 'bbmBlockSizeNotPowerOf2'),
    notice('V8b', 'bbm_block_size is too small', 'bbmBlockSizeTooSmall'),
    geometry('V9', 'memory block size', 'memoryBlockSize'),
    geometry('V10', 'subblock size', 'subblockSize'),
    geometry('V11', 'big block size', 'bigBlockSize'),
    notice('V12', 'unplugging all memory is required', 'unplugAllRequired'),
    notice('V13', 'could not reserve device region', 'reserveFailed'),
    notice('V13b', 'reloading the driver is not supported', 'reloadUnsupported'),
    notice('V14', 'config access disabled', 'configAccessDisabled'),
    {
      id: 'V15',
      pattern: whole(`plugged size: ${HEX}`),
      build: (m, device) => ({ kind: 'vmem.size', rule: 'V15', device, which: 'plugged', size: hex(m[1]) }),
    },
    {
      id: 'V16',
      pattern: whole(`requested size: ${HEX}`),
      build: (m, device) => ({ kind: 'vmem.size', rule: 'V16', device, which: 'requested', size: hex(m[1]) }),
    },
    range('V18', 'plugging memory', 'plug'),
    block('V18-mb', 'plugging memory block', 'plug', true),
    failed('V19', 'plugging memory', 'plug'),
    range('V20', 'unplugging memory', 'unplug'),
    block('V20-mb', 'unplugging memory block', 'unplug', true),
    failed('V21', 'unplugging memory', 'unplug'),
    { id: 'V22', pattern: whole('unplugging all memory'), build: (_m, device) => ({ kind: 'vmem.unplugAll', rule: 'V22', device }) },
    failed('V23', 'unplugging all memory', 'unplugAll'),
    range('V24', 'requesting state', 'state'),
    failed('V24b', 'requesting state', 'state'),
    range('V25', 'adding memory', 'add'),
    failed('V26', 'adding memory', 'add'),
    block('V25-mb', 'adding memory block', 'add'),
    {
      // v5.8–v5.10 dev_err after add_memory_driver_managed() failed (V26 since v5.11).
      id: 'V26-mb',
      pattern: whole(`adding memory block ${ID} failed with ${ERRNO}`),
      build: (m, device) => ({ kind: 'vmem.opFailed', rule: 'V26-mb', device, op: 'add', errno: Number(m[2]) }),
    },
    range('V27', 'removing memory', 'remove'),
    block('V27-mb', 'removing memory block', 'remove'),
    failed('V27b', 'removing memory', 'remove'),
    range('V28', 'offlining and removing memory', 'offlineRemove'),
    block('V28-mb', 'offlining and removing memory block', 'offlineRemove'),
    failed('V28b', 'offlining and removing memory', 'offlineRemove'),
    notice('V29', 'memory block onlining denied', 'onliningDenied'),
    {
      id: 'V31',
      pattern: whole(`unknown error, marking device broken: ${ERRNO}`),
      build: (m, device) => ({ kind: 'vmem.broken', rule: 'V31', device, errno: Number(m[1]) }),
    },
    notice('V32', 'unexpected workqueue run in kdump kernel', 'kdumpUnexpectedRun'),
    notice('V33', 'hibernation is not supported\\.', 'hibernationUnsupported'),
    notice('V34', 'suspending with plugged memory is not supported', 'suspendUnsupported'),
    // v5.8 until suspend support: virtio_mem_freeze() refused every suspend.
    notice('V34-old', 'save/restore not supported\\.', 'suspendUnsupported', 'V34'),
    // v5.16+ kdump mode: with CONFIG_PROC_VMCORE, and without it.
    notice('V35', 'memory hot\\(un\\)plug disabled in kdump kernel', 'kdumpDisabled'),
    notice('V35-novmcore', 'disabled in kdump kernel without vmcore', 'kdumpDisabled', 'V35'),
    // v5.8–v5.15, before kdump mode: probe refuses with -EBUSY.
    notice('V35-old', 'disabled in kdump kernel', 'kdumpDisabled', 'V35'),
    noticeErrno('V36', 'Error querying block states', 'vmcoreQueryFailed'),
    noticeErrno('V36b', 'Error adding device RAM range', 'vmcoreAddFailed'),
    notice('V37', 'device still has system memory added', 'stillHasMemory'),
    { id: 'R1', pattern: whole('CoCo set_encrypted failed, leaking memory'), build: (_m, device) => ({ kind: 'vmem.cocoLeak', rule: 'R1', device }) },
    probe('PROBE', 'failed with error'),
    probe('PROBE-rejects', 'rejects match'),
  ],
};

/**
 * The driver core's call_driver_probe() (drivers/base/dd.c) since 2024: `dev_err` for a failed
 * probe, `dev_dbg` for -ENODEV/-ENXIO (`rejects match`), on the device's own prefix.
 */
function probe(id: string, text: string): Row {
  return {
    id,
    pattern: whole(`probe with driver virtio_mem ${text} ${ERRNO}`),
    build: (m, device) => ({ kind: 'vmem.probeFailed', rule: id, device, errno: Number(m[1]) }),
  };
}

/** The same before 2024: `pr_warn`/`pr_debug` with the driver's name, `virtio_mem: probe of virtio4 …`. */
function probeOld(id: string, text: string): Row {
  return {
    id,
    pattern: whole(`probe of (virtio\\d+) ${text} ${ERRNO}`),
    build: (m) => ({ kind: 'vmem.probeFailed', rule: id, device: m[1], errno: Number(m[2]) }),
  };
}

/** Older driver-core wording, printed with the driver name only: `virtio_mem: probe of virtio4 failed …`. */
export const virtioMemDriverCore: Family = {
  name: 'virtio-mem driver core',
  prefix: /virtio_mem: /y,
  rows: [probeOld('PROBE-old', 'failed with error'), probeOld('PROBE-old-rejects', 'rejects match')],
};

/**
 * `page dumped because: fake-offline page referenced` (V30), printed by dump_page() without a
 * prefix; v5.8–v5.10 said `unplugged page referenced`.
 */
export const virtioMemPageDump: Family = {
  name: 'virtio-mem page dump',
  prefix: /page dumped because: /y,
  rows: [
    {
      id: 'V30',
      pattern: whole('fake-offline page referenced'),
      build: () => ({ kind: 'vmem.notice', rule: 'V30', device: '', notice: 'fakeOfflineReferenced' }),
    },
    {
      id: 'V30-old',
      pattern: whole('unplugged page referenced'),
      build: () => ({ kind: 'vmem.notice', rule: 'V30', device: '', notice: 'fakeOfflineReferenced' }),
    },
  ],
};
