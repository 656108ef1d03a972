/**
 * The words around a root cause: why the model blames what it blames (the facts of DOMAIN.md
 * it rests on), what would have prevented it (the alternatives argued upstream), and what to
 * collect when the evidence is thin.
 */

export interface Explanation {
  why: string;
  wouldNotHappenIf: string[];
  /** Advice when the run lacks the log that would confirm the cause. */
  toConfirm?: { unlessInput: 'qemu' | 'host' | 'dyndbg'; text: string };
}

const QEMU_TRACE = 'add the QEMU log, run with -trace virtio_mem_* -trace kvm_convert_memory -trace ram_block_discard*';

export const EXPLANATIONS: Record<string, Explanation> = {
  HPL001: {
    why:
      'A TDX accept of a page that is still accepted returns TDX_PAGE_ALREADY_ACCEPTED (0x00000B0A…, a warning status), which ' +
      'Linux treats as failure (not TDX_EPT_ENTRY_STATE_INCORRECT, which only host SEAMCALLs return). The page is still ' +
      'accepted because the VMM acknowledged the UNPLUG without discarding the private (guest_memfd) page; the stale page may ' +
      'still hold old data.',
    wouldNotHappenIf: [
      'the VMM discarded both the shared and the private planes on UNPLUG (QEMU master does; QEMU 9.2 punches only the shared side)',
      'the guest converted the memory to shared (set_memory_decrypted) before unplugging it',
      'the guest RELEASEd the accepted memory (TDG.MEM.PAGE.RELEASE) before unplugging it',
    ],
    toConfirm: { unlessInput: 'qemu', text: QEMU_TRACE },
  },
  HPL002: {
    why: 'MEM_OFFLINE converts nothing, so memory accepted before an offline is still accepted when the block is onlined and accepted again.',
    wouldNotHappenIf: ['the guest accepted only memory it had not accepted yet (tracking acceptance per subblock)', 'the guest converted or released the memory on offline'],
  },
  HPL003: {
    why: 'An accept failed, and the logs do not show the state of the memory before: it may have been still accepted (unplug without discard, offline/online), or the conversion may have been refused.',
    wouldNotHappenIf: [],
    toConfirm: { unlessInput: 'qemu', text: `${QEMU_TRACE}; enable virtio_mem dynamic debug in the guest (virtio_mem.dyndbg=+p)` },
  },
  HPL004: {
    why: 'A TD must accept a private page before it touches it; a touch of a page that is not accepted makes KVM report "Guest access before accepting" and mark the VM dead.',
    wouldNotHappenIf: ['the guest driver accepted plugged memory before onlining it (the CoCo RFC, or the notifier patch)'],
  },
  HPL005: {
    why: 'QEMU 9.2 serves UNPLUG with ram_block_discard_range, which punches only the shared side; the private guest_memfd page stays, accepted.',
    wouldNotHappenIf: ['the VMM discarded the private plane too (QEMU master)', 'the guest converted to shared or released the memory before unplug'],
  },
  HPL006: {
    why: 'After a failed UNPLUG the CoCo RFC re-encrypts the memory; when that fails too the subblock cannot be used or unplugged again.',
    wouldNotHappenIf: ['the UNPLUG had not failed (no migration running)', 'the re-accept succeeded'],
  },
  HPL007: {
    why: 'The device refuses requests for ranges that are not entirely in the opposite state, misaligned, or outside the usable region.',
    wouldNotHappenIf: ['driver and device agreed on the plugged blocks (no migration with mismatched state, no device reset behind the driver)'],
  },
  HPL008: {
    why: 'virtio_mem_run_wq marks the device broken on any error it does not retry; from then on the work queue returns at once.',
    wouldNotHappenIf: ['the error behind it had not happened (see the related lines)'],
  },
  HPL009: {
    why: "The device's plugged size changes only through acknowledged requests; a different value means the device and the driver disagree.",
    wouldNotHappenIf: [],
  },
  HPL010: {
    why: 'Converting between private and shared needs guest_memfd-backed RAM and a VMM that can set the KVM memory attributes.',
    wouldNotHappenIf: ['the memory backend of the virtio-mem device were guest_memfd-capable', 'the VMM handled the MapGPA request'],
  },
  HPL011: {
    why: 'PVALIDATE of an RMP entry whose validated bit is already set fails with PVALIDATE_FAIL_NOUPDATE (255), and Linux terminates the guest: the page was not invalidated on unplug.',
    wouldNotHappenIf: ['the guest rescinded validation and changed the page to shared before unplug', 'the host removed the page on UNPLUG'],
  },
  HPL012: {
    why: 'A host SEAMCALL found the Secure EPT in a state it did not expect (e.g. TDX_EPT_ENTRY_STATE_INCORRECT: AUG of a page that is not free); KVM marks the VM bugged.',
    wouldNotHappenIf: [],
  },
  HPL013: {
    why: 'Accepting per memory block on MEM_GOING_ONLINE also accepts the unplugged subblocks of a partially plugged block (DOMAIN.md §4.6: "we might only hot(un)plug parts of a memory block").',
    wouldNotHappenIf: ['the guest accepted per plugged subblock instead of per memory block'],
  },
  HPL014: {
    why: 'Once KVM marks a TD dead or bugged, or the guest panics or asks to be terminated, the VM does not run again.',
    wouldNotHappenIf: [],
  },
  HPL015: {
    why: 'States the log does not show are unknown; findings drawn from inferred states are less certain.',
    wouldNotHappenIf: [],
  },
  HPL016: {
    why: 'The driver retries BUSY after 50 s, doubling up to 300 s, and NACK at once; many in a row mean the device keeps refusing.',
    wouldNotHappenIf: ['the migration had finished', 'the requested size stayed put while the driver plugged'],
  },
  HPL017: {
    why: 'RELEASE needs a TD configured with TDCS_CONFIG_PAGE_RELEASE; when it fails the driver gives up on the device.',
    wouldNotHappenIf: [],
  },
};
