/** Guest virtio-mem driver lines (DOMAIN.md §1.1 V*, §1.2 R1), old and new wordings. */
import type { VmemNoticeEvent, VmemOp } from '../events';
import { ascending, type Family, type Row, hex, inclusiveRange, whole } from './table';

const HEX = '0x([0-9a-fA-F]+)';
const ERRNO = '(-?\\d+)';

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

function notice(id: string, text: string, what: VmemNoticeEvent['notice']): Row {
  return { id, pattern: whole(text), build: (_m, device) => ({ kind: 'vmem.notice', rule: id, device, notice: what }) };
}

function noticeErrno(id: string, text: string, what: VmemNoticeEvent['notice']): Row {
  return {
    id,
    pattern: whole(`${text}: ${ERRNO}`),
    build: (m, device) => ({ kind: 'vmem.notice', rule: id, device, notice: what, errno: Number(m[1]) }),
  };
}

/** `virtio_mem virtio5: …` (dev_* prints `<driver> <device>: `). */
export const virtioMemDriver: Family = {
  name: 'virtio-mem driver',
  prefix: /(?:virtio_mem|virtio) (virtio\d+): /y,
  rows: [
    geometry('V1', 'start address', 'startAddress'),
    geometry('V2', 'region size', 'regionSize'),
    geometry('V3', 'device block size', 'deviceBlockSize'),
    { id: 'V4', pattern: whole('nid: (-?\\d+)'), build: (m, device) => ({ kind: 'vmem.node', rule: 'V4', device, node: Number(m[1]) }) },
    notice('V5', 'The alignment of the physical start address can make some memory unusable\\.', 'startAlignment'),
    notice('V6', 'The alignment of the physical end address can make some memory unusable\\.', 'endAlignment'),
    notice('V7', 'Some device memory is not addressable/pluggable\\. This can make some memory unusable\\.', 'notAddressable'),
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
    failed('V19', 'plugging memory', 'plug'),
    range('V20', 'unplugging memory', 'unplug'),
    failed('V21', 'unplugging memory', 'unplug'),
    { id: 'V22', pattern: whole('unplugging all memory'), build: (_m, device) => ({ kind: 'vmem.unplugAll', rule: 'V22', device }) },
    failed('V23', 'unplugging all memory', 'unplugAll'),
    range('V24', 'requesting state', 'state'),
    failed('V24b', 'requesting state', 'state'),
    range('V25', 'adding memory', 'add'),
    failed('V26', 'adding memory', 'add'),
    range('V27', 'removing memory', 'remove'),
    failed('V27b', 'removing memory', 'remove'),
    range('V28', 'offlining and removing memory', 'offlineRemove'),
    failed('V28b', 'offlining and removing memory', 'offlineRemove'),
    notice('V29', 'memory block onlining denied', 'onliningDenied'),
    {
      id: 'V31',
      pattern: whole(`unknown error, marking device broken: ${ERRNO}`),
      build: (m, device) => ({ kind: 'vmem.broken', rule: 'V31', device, errno: Number(m[1]) }),
    },
    notice('V32', 'unexpected workqueue run in kdump kernel', 'kdumpUnexpectedRun'),
    notice('V33', 'hibernation is not supported\\.', 'hibernationUnsupported'),
    notice('V34', 'suspending with plugged memory is not supported|save/restore not supported\\.', 'suspendUnsupported'),
    notice('V35', 'memory hot\\(un\\)plug disabled in kdump kernel|disabled in kdump kernel(?: without vmcore)?', 'kdumpDisabled'),
    noticeErrno('V36', 'Error querying block states', 'vmcoreQueryFailed'),
    noticeErrno('V36b', 'Error adding device RAM range', 'vmcoreAddFailed'),
    notice('V37', 'device still has system memory added', 'stillHasMemory'),
    { id: 'R1', pattern: whole('CoCo set_encrypted failed, leaking memory'), build: (_m, device) => ({ kind: 'vmem.cocoLeak', rule: 'R1', device }) },
    {
      id: 'PROBE',
      pattern: whole(`probe with driver virtio_mem failed with error ${ERRNO}`),
      build: (m, device) => ({ kind: 'vmem.probeFailed', rule: 'PROBE', device, errno: Number(m[1]) }),
    },
  ],
};

/** Older driver-core wording, printed with the driver name only: `virtio_mem: probe of virtio4 failed …`. */
export const virtioMemDriverCore: Family = {
  name: 'virtio-mem driver core',
  prefix: /virtio_mem: /y,
  rows: [
    {
      id: 'PROBE-old',
      pattern: whole(`probe of (virtio\\d+) failed with error ${ERRNO}`),
      build: (m) => ({ kind: 'vmem.probeFailed', rule: 'PROBE-old', device: m[1], errno: Number(m[2]) }),
    },
  ],
};

/** `page dumped because: fake-offline page referenced` (V30), printed by dump_page() without a prefix. */
export const virtioMemPageDump: Family = {
  name: 'virtio-mem page dump',
  prefix: /page dumped because: /y,
  rows: [
    {
      id: 'V30',
      pattern: whole('fake-offline page referenced'),
      build: () => ({ kind: 'vmem.notice', rule: 'V30', device: '', notice: 'fakeOfflineReferenced' }),
    },
  ],
};
