/**
 * One handler per event kind, in a table (the state-provider style of Trace Compass): what an
 * event does to the run, or why it is deliberately ignored. The type makes the table complete;
 * a test lists every kind the sources emit against it.
 */
import type { HotplugEvent } from '../events';
import { PAGE_SIZE } from '../model/block-size';
import { decodeTdxStatus } from '../tdx/status';
import { EBUSY, EINVAL } from '../text/errno';
import { hexString as hex } from '../text/hex';
import type { Cause, Confidence } from './codes/definition';
import { HPL004, HPL006, HPL007, HPL008, HPL009, HPL010, HPL012, HPL017 } from './codes/index';
import type { Handler, Ignored, Kind } from './handler-types';
import { DEVICE_OR_DRIVER } from './requests';
import { SNP_HOST_HANDLERS } from './snp-host-handlers';


/** What the driver was doing when a removal failed, in words. */
const STEP: Record<string, string> = { offlineRemove: 'offlining and removing it', remove: 'removing it', unplug: 'unplugging it' };

/**
 * Whose a failed SEAMCALL of the TDX module's set-up is (DIAGNOSTICS: config or tdx-module,
 * not KVM): undefined for a call about a TD.
 */
function setupBlame(fn: string, status: string): { cause: Cause; otherCauses?: Cause[]; confidence: Confidence } | undefined {
  if (status === 'TDX_SEAMCALL_GP') return { cause: 'config', confidence: 'likely' };
  if (status === 'TDX_SEAMCALL_UD') return { cause: 'host-kernel', otherCauses: ['config'], confidence: 'likely' };
  if (status === 'TDX_SEAMCALL_VMFAILINVALID') return { cause: 'config', otherCauses: ['tdx-module'], confidence: 'likely' };
  if (!/^TDH[._]SYS[._]/.test(fn)) return undefined;
  // The module refused its own set-up: its version or build first, then what the BIOS gave it.
  return { cause: 'tdx-module', otherCauses: ['config'], confidence: 'possible' };
}

const PLATFORM_ONLY: Ignored = { ignored: 'only says which platform the guest runs on (platform-evidence.ts)' };
const CONTEXT_ONLY: Ignored = { ignored: 'context for a reader; no state or finding depends on it' };

/** `assertion … failed at virtio-mem.c:1025 in virtio_mem_foo`, `Segmentation fault, core dumped`. */
function crashWords(e: Extract<HotplugEvent, { kind: 'qemu.crashed' }>): string {
  const where = e.file !== undefined ? ` at ${e.file.replace(/^.*\//, '')}:${e.fileLine}${e.func !== undefined ? ` in ${e.func}` : ''}` : '';
  const signal = e.signal !== undefined ? `${e.signal}${e.coreDumped ? ', core dumped' : ''}` : '';
  return [e.message !== undefined ? `${e.message}${where}` : '', signal].filter((part) => part !== '').join('; ');
}

export const HANDLERS: { readonly [K in Kind]: Handler<K> | Ignored } = {
  // ---- Guest virtio-mem driver ----
  'vmem.geometry': ({ run, geometry, narrowing }, e, at) => {
    geometry.take(e.device, e.field, e.value, at);
    run.model.claimUnnamed(e.device);
    narrowing.flush();
  },
  'vmem.node': ({ run }, e) => {
    run.model.device(e.device).geometry.node = e.node;
  },
  'vmem.size': ({ run, narrowing, stalls }, e, at) => {
    run.ledger.sizeLine(e.device, { which: e.which, size: e.size, at });
    stalls.size(e.device, e.which, e.size);
    if (e.which === 'plugged') narrowing.pluggedSize(e.device, e.size, at);
  },
  'vmem.range': ({ run, requests, stalls }, e, at) => {
    const d = run.model.device(e.device);
    run.see(d, e.start, e.end);
    stalls.acts(e.device, e.op, e.start, e.end);
    if (e.op === 'plug' || e.op === 'unplug') requests.guestRequest(e.device, { op: e.op, start: e.start, end: e.end, at });
    // add_memory() auto-onlines the block; a CoCo-aware driver accepts its plugged subblocks.
    else if (e.op === 'add') run.apply({ on: 'online', device: e.device, start: e.start, end: e.end, at });
    else if (e.op === 'remove' || e.op === 'offlineRemove') run.apply({ on: 'offline', device: e.device, start: e.start, end: e.end, at });
  },
  'vmem.unplugAll': ({ requests }, e, at) => requests.guestRequest(e.device, { op: 'unplugAll', start: 0n, end: 0n, at }),
  'vmem.opFailed': ({ requests, stalls }, e, at) => {
    requests.guestFailure(e.device, e.op, e.errno, at);
    if (e.op === 'offlineRemove' || e.op === 'remove' || (e.op === 'unplug' && e.errno === EBUSY)) stalls.unplugFailed(e.device, STEP[e.op], e.errno, at);
    else if (e.op === 'add') stalls.addFailed(e.device, 'the kernel refused to add it', e.errno, at);
  },
  'vmem.broken': ({ run }, e, at) => {
    const before = run.ledger.lastFailure(e.device);
    run.ledger.note(HPL008, { errno: e.errno }, {
      at,
      device: e.device,
      // -EINVAL after anything but a failed RELEASE: the device answered ERROR, device and driver disagree.
      ...(e.errno === EINVAL && before?.code !== 'HPL017' ? DEVICE_OR_DRIVER : {}),
      ...(before ? { group: before.group } : {}),
      related: before ? [{ at: before.at, message: `the failure behind it (${before.code})` }] : [],
      via: 'V31',
    });
  },
  // `unplugging all memory is required`: memory is still plugged at probe (a kexec'd or reloaded
  // driver), and the driver's first request is UNPLUG_ALL. Memory beyond reach may stall a
  // resize; a notice that ends the probe is a device that could not be set up.
  'vmem.notice': ({ requests, stalls, setup }, e, at) => {
    if (e.notice === 'unplugAllRequired') requests.guestRequest(e.device, { op: 'unplugAll', start: 0n, end: 0n, at });
    else if (e.notice === 'notAddressable') stalls.unreachable(e.device, at);
    else setup.notice(e.device, e.notice, at);
  },
  'vmem.probeFailed': ({ setup }, e, at) => setup.probeFailed(e.device, e.errno, at),
  'vmem.cocoLeak': ({ run }, e, at) => {
    run.ledger.note(HPL006, {}, { at, device: e.device, via: 'R1' });
  },

  // ---- Guest TDX, CPA, SEV-SNP ----
  'cpa.failure': ({ conversions }, e, at) => conversions.cpaFailure(e.to, e.numPages, e.errno, at),
  'tdx.acceptFailed': ({ run, conversions }, e, at) => {
    run.inference.infer('guest.acceptsMemory', 'yes', 'the guest logs its own accept failures', at, 'inferred');
    conversions.acceptFailed(e.start, e.end, at, 'T2');
  },
  'tdx.releaseFailed': ({ run }, e, at) => {
    run.ledger.note(HPL017, {}, { at, device: run.model.deviceAt(e.start).id, range: { start: e.start, end: e.end }, via: 'T4' });
  },
  'tdx.guestDetected': PLATFORM_ONLY,
  'tdx.septVeMisconfigured': PLATFORM_ONLY,
  'tdx.kexec': { ignored: 'kexec conversions are not modelled yet' },
  'snp.pvalidateFailed': ({ conversions }, e, at) => conversions.pvalidateFailed(e.pfn, e.vaddr, e.pageSize, e.ret, at, e.rule),
  'snp.pscFailed': ({ run }, e, at) => {
    run.vmEnd.fatal('HPL010', at);
    run.ledger.note(HPL010, { failed: 'pageStateChange', detail: e.detail, ...(e.ret !== undefined ? { ret: e.ret } : {}) }, { at, cause: 'unknown', via: e.rule });
  },
  'platform.info': PLATFORM_ONLY,

  // ---- Guest memory hotplug core and kernel reports ----
  'mm.onlineFailed': CONTEXT_ONLY,
  'mm.offlineFailed': ({ stalls }, e, at) => stalls.mmFailed(`offlining [${hex(e.start)}, ${hex(e.end)}) failed${e.reason ? ` due to ${e.reason}` : ''}`, at),
  'mm.unalignedRange': CONTEXT_ONLY,
  'mm.contigBusy': ({ stalls }, e, at) => stalls.mmFailed(`the pages of [${hex(e.start)}, ${hex(e.end)}) were busy`, at),
  'mm.removeFailed': ({ stalls }, e, at) => stalls.mmFailed(`removing [${hex(e.start)}, ${hex(e.end)}) failed: the memory is still online`, at),
  'mm.addFailed': ({ stalls }, e, at) => stalls.mmFailed(`adding [${hex(e.start)}, ${hex(e.end)}) failed${e.reason ? `: ${e.reason}` : ''}`, at),
  'mm.notAddressable': ({ stalls }, e, at) =>
    stalls.mmFailed(`[${hex(e.start)}, ${hex(e.end)}) lies beyond what the kernel can map (up to ${hex(e.allowed.end)})`, at),
  'mm.pageFailed': ({ stalls }, e, at) => stalls.pageFailed(e, at),
  'vmem.blockOp': { ignored: 'a memory block id whose address the log does not give (no block size before it): nothing to place' },
  'kernel.splat': ({ run }, e, at) => {
    if (e.func !== 'virtio_mem_refresh_config') return;
    const site = e.siteLine !== undefined ? { input: e.input, line: e.siteLine } : at;
    run.ledger.note(HPL009, { seen: 'driverWarn' }, { at: site, confidence: 'certain', via: 'V17' });
  },
  'kernel.panic': ({ run }, e, at) => {
    if (e.reason === 'eptViolation') {
      run.vmEnd.fatal('HPL004', at);
      run.ledger.note(HPL004, { how: 'guestPanic' }, { at, via: 'T7' });
    }
    run.vmEnd.stopped(at, `the guest panicked (${e.message.replace(/\.$/, '')})`, 'panic');
  },

  // ---- QEMU ----
  'qemu.vmem.request': ({ requests }, e, at) => requests.qemuRequest(e.op, e.addr, e.nbBlocks, at),
  'qemu.vmem.response': ({ requests }, e, at) => requests.qemuResponse(e.type, at),
  'qemu.vmem.unpluggedAll': ({ requests }, _e, at) => requests.unplugAll(undefined, at),
  'qemu.vmem.resized': CONTEXT_ONLY,
  'qemu.vmem.state': CONTEXT_ONLY,
  'qemu.mapGpa': { ignored: 'the conversion it asks for is read from kvm_convert_memory' },
  'qemu.convert': ({ conversions }, e, at) => conversions.converted(e.start, e.size, e.to, at),
  'qemu.memoryFault': { ignored: 'the conversion it leads to is read from kvm_convert_memory' },
  'qemu.setUserMemory': CONTEXT_ONLY,
  'qemu.discard': ({ requests }, e, at) => requests.discard(e.variant, e.length, at),
  'qemu.attributeChange': CONTEXT_ONLY,
  'qemu.error': ({ run }, e, at) => {
    if (e.rule === 'QE1') {
      run.ledger.note(HPL007, { seen: 'malformed', detail: e.detail }, { at, cause: 'guest-kernel', via: 'QE1' });
    } else if (e.rule === 'KE4' || e.rule === 'KE5') {
      run.ledger.note(HPL010, { failed: 'discard', detail: e.detail }, { at, via: e.rule });
    }
  },
  'qemu.setAttributesFailed': ({ conversions }, e, at) =>
    conversions.conversionFailed(e.start, e.size, { failed: 'setAttributes', attributes: e.attributes, error: e.error }, at, 'KE1'),
  'qemu.convertNonGuestMemfd': ({ conversions }, e, at) => conversions.conversionFailed(e.start, e.size, { failed: 'notGuestMemfd', to: e.to }, at, 'KE2', true),
  'qemu.kvmRunFailed': ({ run }, e, at) => run.vmEnd.stopped(at, `QEMU stopped the VM: kvm run failed (${e.reason})`, 'KE8'),
  'qemu.cpuDump': CONTEXT_ONLY,
  'qemu.crashed': ({ run }, e, at) => run.vmEnd.stopped(at, `QEMU crashed (${crashWords(e)})`, e.rule),
  'qemu.guestCrashed': ({ run }, e, at) =>
    run.vmEnd.stopped(at, `QEMU saw the guest crash${e.message !== undefined ? ` (TDX fatal error "${e.message}")` : ''}`, e.rule),
  'qemu.vcpuSyncFailed': ({ run }, e, at) =>
    run.vmEnd.stopped(at, `QEMU stopped the VM: it could not ${e.op === 'get' ? 'read' : 'write'} the vCPU registers (${e.reason})`, e.rule),
  'qemu.memslotFailed': { ignored: 'QEMU aborts after it; its crash record is the end (qemu.crashed)' },
  'qemu.memoryDeviceRefused': { ignored: 'a memory device QEMU refused never came up: no memory of it to diagnose' },
  'monitor.command': CONTEXT_ONLY,
  'monitor.memoryDevice': CONTEXT_ONLY,

  // ---- Host KVM ----
  'kvm.accessBeforeAccept': ({ run }, e, at) => {
    run.vmEnd.fatal('HPL004', at);
    const page = (e.gpa / PAGE_SIZE) * PAGE_SIZE;
    run.emitted(run.model.apply({ on: 'touch', start: page, end: page + PAGE_SIZE, at }), [], `K1 (vCPU ${e.vcpu})`);
  },
  'kvm.seamcallFailed': ({ run }, e, at) => {
    const s = decodeTdxStatus(e.status);
    const status = { value: e.status, name: s.name, operand: s.operand, ...(s.where !== undefined ? { where: s.where } : {}) };
    const fn = e.leafName ?? e.fn;
    const setup = setupBlame(fn, s.name);
    if (setup) {
      run.ledger.note(HPL012, { seen: 'setup', fn, status }, { at, ...setup, via: e.rule });
      return;
    }
    run.vmEnd.fatal('HPL012', at);
    run.ledger.note(HPL012, { seen: 'seamcall', fn: e.fn, status, ...(e.rcx !== undefined ? { rcx: e.rcx } : {}) }, { at, via: 'K3' });
  },
  'kvm.seamcallSuppressed': CONTEXT_ONLY,
  ...SNP_HOST_HANDLERS,
  'kvm.tdxError': ({ run }, e, at) => {
    run.vmEnd.fatal('HPL012', at);
    run.ledger.note(HPL012, { seen: 'kvm', detail: e.detail, ...(e.status !== undefined ? { statusName: decodeTdxStatus(e.status).name } : {}) }, { at, confidence: 'likely', via: e.rule });
  },
};
