/**
 * What the analysis reports, word for word: every root cause of every DOMAIN.md §5 scenario
 * (its cause, confidence and summary, which tells the device's story and heads the findings)
 * and every finding under it (confidence, message, related lines); then the branches of the
 * diagnosis those scenarios do not reach (a PVALIDATE return code, policies forced on the
 * command line, the geometry a device's init lines give). Written to survive a restructure of
 * the diagnosis: only `analyze()` and what it returns are used.
 */
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type Analysis, analyze } from '../../../src/core/analyze';
import type { Policies } from '../../../src/core/model/policy';
import { fileSource } from '../../../src/node/inputs';
import { memorySource, utf8 } from '../../helpers/bytes';

const ROOT = join(__dirname, '..', '..', '..', '..');
const SCENARIOS = join(ROOT, 'test', 'fixtures', 'scenarios');

async function scenario(name: string, options: Parameters<typeof analyze>[1] = {}): Promise<Analysis> {
  const dir = join(SCENARIOS, name);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => join(dir, f));
  return analyze(await Promise.all(files.map((f) => fileSource(f))), options);
}

/** In-memory logs, `[path, text]`. */
function logs(...inputs: Array<[string, string]>): Promise<Analysis> {
  return analyze(inputs.map(([path, text]) => memorySource(path, utf8(text))));
}

/** A guest dmesg from message texts, one per line, timestamps made up. */
function dmesg(...messages: string[]): string {
  return messages.map((m, i) => `[  ${(100 + i).toFixed(6)}] ${m}\n`).join('');
}

type FindingRow = [code: string, confidence: string, message: string, related: string[]];
interface RootCauseRow {
  code: string;
  cause: string;
  confidence: string;
  summary: string;
  findings: FindingRow[];
}

/** Root causes in report order; paths relative to the scenario's folder. */
function report(a: Analysis, dir: string): RootCauseRow[] {
  const strip = (s: string): string => s.split(`${dir}/`).join('');
  return a.rootCauses.map((rc) => ({
    code: rc.code,
    cause: rc.cause,
    confidence: rc.confidence,
    summary: strip(rc.summary),
    findings: rc.findings.map((f): FindingRow => [f.code, f.confidence, strip(f.message), f.related.map((r) => `${basename(r.path)}:${r.line} ${r.message}`)]),
  }));
}

const REPORTS: Record<string, RootCauseRow[]> = {
  'F01-mainline-no-accept': [
    {
      "code": "HPL004",
      "cause": "guest-kernel",
      "confidence": "certain",
      "summary": "virtio5 was asked to plug 0x8000000 (128 MiB) at guest.log:15. The guest touched [0x100a3c000, 0x100a3d000) before accepting it (the driver hands plugged memory to the buddy without accepting it); KVM killed the VM. Part of the same story: HPL014 VM terminated.",
      "findings": [
        [
          "HPL004",
          "certain",
          "The guest touched [0x100a3c000, 0x100a3d000) before accepting it (the driver hands plugged memory to the buddy without accepting it); KVM killed the VM. (memory block 32)",
          []
        ],
        [
          "HPL014",
          "certain",
          "The VM stopped: QEMU stopped the VM: kvm run failed (Input/output error), after HPL004.",
          [
            "host.log:4 HPL004 explains it"
          ]
        ]
      ]
    }
  ],
  'F02-debug-td-ept-violation': [
    {
      "code": "HPL004",
      "cause": "guest-kernel",
      "confidence": "certain",
      "summary": "The guest touched private memory it had not accepted; in a debug TD without SEPT_VE_DISABLE that is a #VE and this panic. Part of the same story: HPL014 VM terminated.",
      "findings": [
        [
          "HPL004",
          "certain",
          "The guest touched private memory it had not accepted; in a debug TD without SEPT_VE_DISABLE that is a #VE and this panic.",
          []
        ],
        [
          "HPL014",
          "certain",
          "The VM stopped: the guest panicked (Unexpected EPT-violation on private memory), after HPL004.",
          []
        ]
      ]
    }
  ],
  'F03-old-vmm-notifier-replug': [
    {
      "code": "HPL001",
      "cause": "vmm",
      "confidence": "likely",
      "summary": "virtio5 was asked to plug 0x10000000 (256 MiB) at line 2, had 0x10000000 (256 MiB) plugged at line 12, was asked to unplug to 0x8000000 (128 MiB) at line 13, had 0x8000000 (128 MiB) plugged at line 14, and was asked to plug back to 0x10000000 (256 MiB) at line 15 with 0x8000000 still plugged. Accepting [0x108000000, 0x110000000) failed: that memory was accepted before it was unplugged, and the UNPLUG did not discard the private pages, so the re-accept most likely hit TDX_PAGE_ALREADY_ACCEPTED. Part of the same story: HPL005 unplug without private discard. The log does not give all of virtio5's geometry: assumed the region starts at 0x100000000, memory blocks of 0x8000000 (128 MiB), subblocks of 0x200000 (2 MiB).",
      "findings": [
        [
          "HPL001",
          "likely",
          "Accepting [0x108000000, 0x110000000) failed: that memory was accepted before it was unplugged, and the UNPLUG did not discard the private pages, so the re-accept most likely hit TDX_PAGE_ALREADY_ACCEPTED. (memory block 33)",
          [
            "qemu.log:7 the UNPLUG of this memory, acknowledged without a private discard"
          ]
        ],
        [
          "HPL005",
          "likely",
          "UNPLUG of [0x108000000, 0x110000000) was acknowledged, but only the shared side was discarded: the private pages stay accepted and a re-plug of this range will fail to accept. (memory block 33)",
          [
            "qemu.log:8 QEMU discarded the shared side only (ram_block_discard_range)"
          ]
        ]
      ]
    }
  ],
  // No line of F04 names the platform (CPA warnings and KVM_HC_MAP_GPA_RANGE serve TDX and SEV-SNP alike): its words hold for both.
  'F04-coco-rfc-stale-private': [
    {
      "code": "HPL001",
      "cause": "vmm",
      "confidence": "likely",
      "summary": "virtio5 had 0x10000000 (256 MiB) plugged at line 1, was asked to unplug to 0x8000000 (128 MiB) at line 2, had 0x8000000 (128 MiB) plugged at line 6, and was asked to plug back to 0x10000000 (256 MiB) at line 7 with 0x8000000 still plugged. Accepting [0x108000000, 0x110000000) failed: that memory was accepted before it was unplugged, and the UNPLUG did not discard the private pages, so the re-accept most likely found the pages still accepted. Part of the same story: HPL005 unplug without private discard. The log does not give all of virtio5's geometry: assumed the region starts at 0x100000000, memory blocks of 0x8000000 (128 MiB), subblocks of 0x200000 (2 MiB).",
      "findings": [
        [
          "HPL001",
          "likely",
          "Accepting [0x108000000, 0x110000000) failed: that memory was accepted before it was unplugged, and the UNPLUG did not discard the private pages, so the re-accept most likely found the pages still accepted. (memory block 33)",
          [
            "qemu.log:1 the UNPLUG of this memory, acknowledged without a private discard",
            "qemu.log:8 QEMU converted this range to private just before"
          ]
        ],
        [
          "HPL005",
          "likely",
          "UNPLUG of [0x108000000, 0x110000000) was acknowledged, but only the shared side was discarded: the private pages stay accepted (TDX) or validated (SEV-SNP), and a re-plug of this range will fail. (memory block 33)",
          [
            "qemu.log:2 QEMU discarded the shared side only (ram_block_discard_range)"
          ]
        ]
      ]
    },
    {
      "code": "HPL015",
      "cause": "log",
      "confidence": "certain",
      "summary": "guest.log is incomplete: it starts mid-stream (no probe lines for virtio5 before its first state).",
      "findings": [
        [
          "HPL015",
          "certain",
          "guest.log is incomplete: it starts mid-stream (no probe lines for virtio5 before its first state).",
          []
        ]
      ]
    }
  ],
  'F05-fixed-vmm-clean-replug': [],
  'F06-admin-offline-online': [
    {
      "code": "HPL003",
      "cause": "unknown",
      "confidence": "possible",
      "summary": "Accepting [0x108000000, 0x110000000) failed, and the logs do not show why: the memory was in an unknown state before. Possible causes, most likely first: the memory was still accepted after an unplug without private discard (HPL001); it was still accepted after an offline/online cycle (HPL002); the VMM refused the conversion to private (HPL010). The log does not give all of virtio-mem's geometry: assumed the region starts at 0x100000000, memory blocks of 0x8000000 (128 MiB), subblocks of 0x200000 (2 MiB).",
      "findings": [
        [
          "HPL003",
          "possible",
          "Accepting [0x108000000, 0x110000000) failed, and the logs do not show why: the memory was in an unknown state before. Possible causes, most likely first: the memory was still accepted after an unplug without private discard (HPL001); it was still accepted after an offline/online cycle (HPL002); the VMM refused the conversion to private (HPL010). (memory block 33)",
          [
            "qemu.log:2 QEMU converted this range to private"
          ]
        ]
      ]
    }
  ],
  'F07-unplug-busy-migration': [
    {
      "code": "HPL015",
      "cause": "log",
      "confidence": "certain",
      "summary": "guest.log is incomplete: it starts mid-stream (no probe lines for virtio5 before its first state).",
      "findings": [
        [
          "HPL015",
          "certain",
          "guest.log is incomplete: it starts mid-stream (no probe lines for virtio5 before its first state).",
          []
        ]
      ]
    }
  ],
  'F08-reaccept-fails-leak': [
    {
      "code": "HPL003",
      "cause": "unknown",
      "confidence": "possible",
      "summary": "virtio5 had 0x8000000 (128 MiB) plugged at line 2, and was asked to unplug to 0x7e00000 (126 MiB) at line 3. Accepting [0x107e00000, 0x108000000) failed, and the logs do not show why: the memory was free before. Possible causes, most likely first: the memory was still accepted after an unplug without private discard (HPL001); it was still accepted after an offline/online cycle (HPL002); the VMM refused the conversion to private (HPL010). The log does not give all of virtio5's geometry: assumed the region starts at 0x100000000, memory blocks of 0x8000000 (128 MiB), subblocks of 0x200000 (2 MiB).",
      "findings": [
        [
          "HPL003",
          "possible",
          "Accepting [0x107e00000, 0x108000000) failed, and the logs do not show why: the memory was free before. Possible causes, most likely first: the memory was still accepted after an unplug without private discard (HPL001); it was still accepted after an offline/online cycle (HPL002); the VMM refused the conversion to private (HPL010). (memory block 32)",
          [
            "qemu.log:7 QEMU converted this range to private"
          ]
        ]
      ]
    },
    {
      "code": "HPL006",
      "cause": "guest-kernel",
      "confidence": "likely",
      "summary": "virtio5 had 0x8000000 (128 MiB) plugged at line 2, and was asked to unplug to 0x7e00000 (126 MiB) at line 3. virtio5: unplugging failed and converting the memory back to private failed too; the subblock stays plugged, fake-offline and unusable (leaked).",
      "findings": [
        [
          "HPL006",
          "likely",
          "virtio5: unplugging failed and converting the memory back to private failed too; the subblock stays plugged, fake-offline and unusable (leaked).",
          []
        ]
      ]
    },
    {
      "code": "HPL015",
      "cause": "log",
      "confidence": "certain",
      "summary": "guest.log is incomplete: it starts mid-stream (no probe lines for virtio5 before its first state).",
      "findings": [
        [
          "HPL015",
          "certain",
          "guest.log is incomplete: it starts mid-stream (no probe lines for virtio5 before its first state).",
          []
        ]
      ]
    }
  ],
  'F09-convert-non-gmem': [
    {
      "code": "HPL010",
      "cause": "config",
      "confidence": "certain",
      "summary": "The guest asked to convert [0x100000000, 0x100200000) to private, but that RAM is not backed by guest_memfd: the memory backend of the virtio-mem device is misconfigured for a confidential guest.",
      "findings": [
        [
          "HPL010",
          "certain",
          "The guest asked to convert [0x100000000, 0x100200000) to private, but that RAM is not backed by guest_memfd: the memory backend of the virtio-mem device is misconfigured for a confidential guest.",
          []
        ]
      ]
    }
  ],
  'F10-double-plug-error': [
    {
      "code": "HPL007",
      "cause": "vmm",
      "confidence": "likely",
      "summary": "virtio5 had 0x8000000 (128 MiB) plugged at guest.log:2, and was asked to plug 0x10000000 (256 MiB) at guest.log:3. QEMU answered ERROR to a PLUG of [0x100000000, 0x108000000): the range is not entirely unplugged in the device (double plug), misaligned or outside the usable region. Part of the same story: HPL008 virtio-mem device marked broken. The log does not give all of virtio5's geometry: assumed the region starts at 0x100000000, memory blocks of 0x8000000 (128 MiB), subblocks of 0x200000 (2 MiB).",
      "findings": [
        [
          "HPL007",
          "certain",
          "QEMU answered ERROR to a PLUG of [0x100000000, 0x108000000): the range is not entirely unplugged in the device (double plug), misaligned or outside the usable region. (memory block 32)",
          [
            "qemu.log:4 the request QEMU refused",
            "guest.log:5 the same refusal, seen from the other side"
          ]
        ],
        [
          "HPL008",
          "likely",
          "virtio5 is marked broken (-22, EINVAL: the device answered ERROR, or a RELEASE failed): the driver stops serving plug and unplug requests.",
          [
            "qemu.log:5 the failure behind it (HPL007)"
          ]
        ]
      ]
    },
    {
      "code": "HPL015",
      "cause": "log",
      "confidence": "certain",
      "summary": "guest.log is incomplete: it starts mid-stream (no probe lines for virtio5 before its first state).",
      "findings": [
        [
          "HPL015",
          "certain",
          "guest.log is incomplete: it starts mid-stream (no probe lines for virtio5 before its first state).",
          []
        ]
      ]
    }
  ],
  'F11-plug-nack-race': [
    {
      "code": "HPL015",
      "cause": "log",
      "confidence": "certain",
      "summary": "guest.log is incomplete: it starts mid-stream (no probe lines for virtio5 before its first state).",
      "findings": [
        [
          "HPL015",
          "certain",
          "guest.log is incomplete: it starts mid-stream (no probe lines for virtio5 before its first state).",
          []
        ]
      ]
    }
  ],
  'F12-plug-busy-migration': [
    {
      "code": "HPL015",
      "cause": "log",
      "confidence": "certain",
      "summary": "guest.log is incomplete: it starts mid-stream (no probe lines for virtio5 before its first state).",
      "findings": [
        [
          "HPL015",
          "certain",
          "guest.log is incomplete: it starts mid-stream (no probe lines for virtio5 before its first state).",
          []
        ]
      ]
    }
  ],
  'F13-kexec-unplug-all': [
    {
      "code": "HPL005",
      "cause": "vmm",
      "confidence": "likely",
      "summary": "virtio5 was asked to plug 0x8000000 (128 MiB) at guest.log:18. UNPLUG_ALL of [0x100000000, 0x200000000) was acknowledged, but only the shared side was discarded: the private pages stay accepted and a re-plug of this range will fail to accept.",
      "findings": [
        [
          "HPL005",
          "likely",
          "UNPLUG_ALL of [0x100000000, 0x200000000) was acknowledged, but only the shared side was discarded: the private pages stay accepted and a re-plug of this range will fail to accept. (memory blocks 32–63)",
          [
            "qemu.log:2 QEMU discarded the shared side only (ram_block_discard_range)"
          ]
        ]
      ]
    }
  ],
  'F14-plugged-size-mismatch': [
    {
      "code": "HPL009",
      "cause": "vmm",
      "confidence": "likely",
      "summary": "The driver WARNs in virtio_mem_refresh_config: the device reports a plugged size different from what the driver plugged.",
      "findings": [
        [
          "HPL009",
          "likely",
          "The driver WARNs in virtio_mem_refresh_config: the device reports a plugged size different from what the driver plugged.",
          []
        ]
      ]
    },
    {
      "code": "HPL015",
      "cause": "log",
      "confidence": "certain",
      "summary": "guest.log is incomplete: it starts mid-stream (no probe lines for virtio5 before its first state).",
      "findings": [
        [
          "HPL015",
          "certain",
          "guest.log is incomplete: it starts mid-stream (no probe lines for virtio5 before its first state).",
          []
        ]
      ]
    }
  ],
  'F15-touch-after-discard': [
    {
      "code": "HPL004",
      "cause": "guest-kernel",
      "confidence": "certain",
      "summary": "The guest touched [0x107e01000, 0x107e02000) after it was unplugged and discarded; KVM re-added the page PENDING and killed the VM. Part of the same story: HPL014 VM terminated. The log does not give all of virtio-mem's geometry: assumed the region starts at 0x100000000, memory blocks of 0x8000000 (128 MiB), subblocks of 0x200000 (2 MiB).",
      "findings": [
        [
          "HPL004",
          "certain",
          "The guest touched [0x107e01000, 0x107e02000) after it was unplugged and discarded; KVM re-added the page PENDING and killed the VM. (memory block 32)",
          []
        ],
        [
          "HPL014",
          "certain",
          "The VM stopped: QEMU stopped the VM: kvm run failed (Input/output error), after HPL004.",
          [
            "host.log:4 HPL004 explains it",
            "qemu.log:25 the same end: QEMU stopped the VM: kvm run failed (Input/output error)"
          ]
        ]
      ]
    }
  ],
  'F16-host-seamcall-remove': [
    {
      "code": "HPL012",
      "cause": "host-kernel",
      "confidence": "certain",
      "summary": "Host SEAMCALL TDH_MEM_PAGE_REMOVE failed with 0xc0000b0d00000001 = TDX_EPT_ENTRY_STATE_INCORRECT (operand RCX), rcx 0x8000000107e00007: host SEAMCALLs only (AUG/REMOVE/BLOCK/…) on an S-EPT entry in the wrong state; never a PAGE.ACCEPT result. Part of the same story: HPL014 VM terminated.",
      "findings": [
        [
          "HPL012",
          "certain",
          "Host SEAMCALL TDH_MEM_PAGE_REMOVE failed with 0xc0000b0d00000001 = TDX_EPT_ENTRY_STATE_INCORRECT (operand RCX), rcx 0x8000000107e00007: host SEAMCALLs only (AUG/REMOVE/BLOCK/…) on an S-EPT entry in the wrong state; never a PAGE.ACCEPT result.",
          []
        ],
        [
          "HPL014",
          "certain",
          "The VM stopped: QEMU stopped the VM: kvm run failed (Input/output error), after HPL012.",
          [
            "host.log:42 HPL012 explains it"
          ]
        ]
      ]
    }
  ],
  'F17-snp-double-validate': [
    {
      "code": "HPL011",
      "cause": "unknown",
      "confidence": "possible",
      "summary": "virtio5 had 0x8000000 (128 MiB) plugged at line 1, and was asked to plug 0x10000000 (256 MiB) at line 2. PVALIDATE of [0x108000000, 0x108001000) failed with PVALIDATE_FAIL_NOUPDATE: the RMP entry was still validated, so the page was not invalidated on unplug; the guest terminates itself. The log does not give all of virtio5's geometry: assumed the region starts at 0x100000000, memory blocks of 0x8000000 (128 MiB), subblocks of 0x200000 (2 MiB).",
      "findings": [
        [
          "HPL011",
          "possible",
          "PVALIDATE of [0x108000000, 0x108001000) failed with PVALIDATE_FAIL_NOUPDATE: the RMP entry was still validated, so the page was not invalidated on unplug; the guest terminates itself. (memory block 33)",
          []
        ]
      ]
    },
    {
      "code": "HPL015",
      "cause": "log",
      "confidence": "certain",
      "summary": "guest.log is incomplete: it starts mid-stream (no probe lines for virtio5 before its first state).",
      "findings": [
        [
          "HPL015",
          "certain",
          "guest.log is incomplete: it starts mid-stream (no probe lines for virtio5 before its first state).",
          []
        ]
      ]
    }
  ],
  'F18-release-failure': [
    {
      "code": "HPL017",
      "cause": "guest-kernel",
      "confidence": "likely",
      "summary": "virtio5 had 0x8000000 (128 MiB) plugged at line 2, and was asked to unplug to 0x7e00000 (126 MiB) at line 3. The guest could not RELEASE [0x107e00000, 0x108000000) before unplug (TDG.MEM.PAGE.RELEASE failed). Part of the same story: HPL008 virtio-mem device marked broken. The log does not give all of virtio5's geometry: assumed memory blocks of 0x8000000 (128 MiB), subblocks of 0x200000 (2 MiB).",
      "findings": [
        [
          "HPL017",
          "likely",
          "The guest could not RELEASE [0x107e00000, 0x108000000) before unplug (TDG.MEM.PAGE.RELEASE failed). (memory block 32)",
          []
        ],
        [
          "HPL008",
          "likely",
          "virtio5 is marked broken (-22, EINVAL: the device answered ERROR, or a RELEASE failed): the driver stops serving plug and unplug requests.",
          [
            "guest.log:4 the failure behind it (HPL017)"
          ]
        ]
      ]
    },
    {
      "code": "HPL015",
      "cause": "log",
      "confidence": "certain",
      "summary": "guest.log is incomplete: it starts mid-stream (no probe lines for virtio5 before its first state).",
      "findings": [
        [
          "HPL015",
          "certain",
          "guest.log is incomplete: it starts mid-stream (no probe lines for virtio5 before its first state).",
          []
        ]
      ]
    }
  ],
  // The QEMU trace holds the first kernel's plug; the new kernel's failed accept is that memory, left accepted by UNPLUG_ALL.
  'F19-kexec-stale-private': [
    {
      code: 'HPL001',
      cause: 'vmm',
      confidence: 'likely',
      summary:
        'virtio5 was asked to plug 0x8000000 (128 MiB) at line 17. Accepting [0x100000000, 0x108000000) failed: that memory was accepted before it was unplugged, and the UNPLUG did not discard the private pages, so the re-accept most likely hit TDX_PAGE_ALREADY_ACCEPTED. Part of the same story: HPL005 unplug without private discard.',
      findings: [
        [
          'HPL001',
          'likely',
          'Accepting [0x100000000, 0x108000000) failed: that memory was accepted before it was unplugged, and the UNPLUG did not discard the private pages, so the re-accept most likely hit TDX_PAGE_ALREADY_ACCEPTED. (memory block 32)',
          ['qemu.log:6 the UNPLUG of this memory, acknowledged without a private discard'],
        ],
        [
          'HPL005',
          'likely',
          'UNPLUG_ALL of [0x100000000, 0x200000000) was acknowledged, but only the shared side was discarded: the private pages stay accepted and a re-plug of this range will fail to accept. (memory blocks 32–63)',
          ['qemu.log:5 QEMU discarded the shared side only (ram_block_discard_range)'],
        ],
      ],
    },
  ],
  'F20-midstream-partial-block': [],
};

describe('reports of the DOMAIN.md scenarios, word for word', () => {
  it('has a report for every scenario fixture', () => {
    assert.deepEqual(readdirSync(SCENARIOS).sort(), Object.keys(REPORTS).sort());
  });

  for (const [name, expected] of Object.entries(REPORTS)) {
    it(name, async () => {
      assert.deepEqual(report(await scenario(name), join(SCENARIOS, name)), expected);
    });
  }
});

describe('diagnosis branches the scenarios do not reach', () => {
  const PLUGGING = ['virtio_mem virtio5: plugged size: 0x8000000', 'virtio_mem virtio5: requested size: 0x10000000'];

  it('PVALIDATE_FAIL_NOUPDATE (ret=255) is a double validation (HPL011) of the page size it names', async () => {
    const a = await logs(['guest.log', dmesg(...PLUGGING, 'PVALIDATE failure: pfn 0x108000, action=1, size=1 - ret=255')]);
    const f = a.findings.find((x) => x.code === 'HPL011');
    assert.ok(f, a.findings.map((x) => x.code).join(' '));
    assert.deepEqual([f.range?.start, f.range?.end, f.confidence], [0x108000000n, 0x108200000n, 'possible']);
    assert.equal(
      f.message,
      'PVALIDATE of [0x108000000, 0x108200000) failed with PVALIDATE_FAIL_NOUPDATE: the RMP entry was still validated, so the page was not invalidated on unplug; the guest terminates itself. (memory block 33)',
    );
    assert.ok(!a.findings.some((x) => x.code === 'HPL003'));
  });

  it('any other PVALIDATE return code is an unexplained failure (HPL003) of one page, SIZEMISMATCH named', async () => {
    for (const [ret, words] of [
      [6, 'ret=6 (PVALIDATE_FAIL_SIZEMISMATCH)'],
      [1, 'ret=1'],
    ] as const) {
      const a = await logs(['guest.log', dmesg(...PLUGGING, `PVALIDATE failure: pfn 0x108000, action=1, size=0 - ret=${ret}`)]);
      assert.deepEqual(
        a.findings.filter((x) => x.code !== 'HPL015').map((x) => [x.code, x.confidence, x.message, x.range?.start, x.range?.end]),
        [['HPL003', 'possible', `PVALIDATE of pfn 0x108000 failed with ${words}; the guest terminates itself.`, 0x108000000n, 0x108001000n]],
      );
    }
  });

  it('several findings of one code under one root cause: the summary counts them and quotes the first', async () => {
    const a = await logs(['guest.log', dmesg('tdx: Failed to accept memory [0x108000000, 0x110000000)', 'tdx: Failed to accept memory [0x118000000, 0x120000000)')]);
    assert.equal(a.rootCauses.length, 1);
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.rootCause]),
      [
        ['HPL003', 'RC1'],
        ['HPL003', 'RC1'],
      ],
    );
    assert.match(a.rootCauses[0].summary, /^2 times, first: Accepting \[0x108000000, 0x110000000\) failed, and the logs do not show why: /);
    assert.equal(a.summary.errors, 2);
  });

  it('eight failed re-accepts of the captured run are told as one story with their count', async () => {
    const a = await analyze([await fileSource(join(ROOT, 'examples', 'tdx-replug-failure', 'guest.log'))]);
    assert.match(
      a.rootCauses[0].summary,
      /\. Accepting the re-plugged memory then failed 8 times: each range was accepted before an UNPLUG that did not discard its private pages, so the re-accept most likely hit TDX_PAGE_ALREADY_ACCEPTED\.$/,
    );
  });

  for (const [policy, before] of [
    ['vmm.discardPrivate', 'free'],
    ['guest.convertSharedOnUnplug', 'free'],
    ['guest.releaseOnUnplug', 'pending'],
  ] as const) {
    it(`with ${policy}=yes given, an UNPLUG that discarded only the shared side is no latent failure (no HPL005), and the re-accept is unexplained`, async () => {
      const forced: Partial<Policies> = { [policy]: 'yes' };
      const a = await scenario('F03-old-vmm-notifier-replug', { policies: forced });
      assert.deepEqual(
        a.findings.map((f) => f.code),
        ['HPL003'],
      );
      assert.match(a.findings[0].message, new RegExp(`^Accepting \\[0x108000000, 0x110000000\\) failed, and the logs do not show why: the memory was ${before} before\\.`));
      // The policy is the one given, not what the discard line shows.
      assert.deepEqual(
        a.policies.filter((x) => x.name === policy).map((x) => [x.value, x.how, x.reason]),
        [['yes', 'forced', 'given on the command line']],
      );
    });
  }

  it('with vmm.discardPrivate=no given, the same UNPLUG is the latent failure behind the failed re-accept', async () => {
    const a = await scenario('F03-old-vmm-notifier-replug', { policies: { 'vmm.discardPrivate': 'no' } });
    assert.deepEqual(
      a.findings.map((f) => f.code),
      ['HPL001', 'HPL005'],
    );
  });

  describe('device geometry from the driver init lines', () => {
    const init = (...more: string[]): string =>
      dmesg(...['start address: 0x100000000', 'region size: 0x100000000', 'device block size: 0x200000', 'nid: 1', 'memory block size: 0x8000000', ...more].map((l) => `virtio_mem virtio5: ${l}`));

    it('subblock mode: the logged subblock size', async () => {
      const a = await logs(['guest.log', init('subblock size: 0x400000')]);
      assert.deepEqual(a.devices, [
        {
          device: 'virtio5',
          startAddress: 0x100000000n,
          regionSize: 0x100000000n,
          deviceBlockSize: 0x200000n,
          memoryBlockSize: 0x8000000n,
          subblockSize: 0x400000n,
          mode: 'sbm',
          node: 1,
          geometry: 'logged',
          inferredFrom: [],
        },
      ]);
    });

    it('big block mode: a big block is the unit the model tracks', async () => {
      const a = await logs(['guest.log', init('big block size: 0x8000000')]);
      assert.deepEqual(
        a.devices.map((d) => [d.mode, d.subblockSize, d.geometry]),
        [['bbm', 0x8000000n, 'logged']],
      );
    });

    it('the region starts at the lowest address seen and reaches up to the highest, whatever their order', async () => {
      const a = await logs(['guest.log', dmesg('virtio_mem virtio5: plugging memory: 0x148000000 - 0x14fffffff', 'virtio_mem virtio5: plugging memory: 0x100000000 - 0x107ffffff')]);
      assert.deepEqual(
        a.devices.map((d) => [d.startAddress, d.regionSize]),
        [[0x100000000n, 0x50000000n]],
      );
    });

    it('a device block smaller than 2 MiB still makes subblocks of 2 MiB; nothing logged at all is all assumed', async () => {
      const small = await logs(['guest.log', dmesg('virtio_mem virtio5: device block size: 0x100000')]);
      assert.deepEqual(
        small.devices.map((d) => [d.deviceBlockSize, d.subblockSize]),
        [[0x100000n, 0x200000n]],
      );
      const bare = await logs(['guest.log', dmesg('virtio_mem virtio5: nid: 0')]);
      assert.deepEqual(bare.devices, [
        {
          device: 'virtio5',
          deviceBlockSize: 0x200000n,
          memoryBlockSize: 0x8000000n,
          subblockSize: 0x200000n,
          mode: 'sbm',
          node: 0,
          geometry: 'inferred',
          inferredFrom: [
            'memory block size assumed 0x8000000 (128 MiB, the x86-64 default): no init line',
            'device block size assumed 0x200000',
            'subblock size assumed 0x200000 (max of device block size and 2 MiB)',
          ],
        },
      ]);
    });

    it('addresses below a logged start, up to it, say nothing about the region size', async () => {
      const a = await logs(['guest.log', dmesg('virtio_mem virtio5: start address: 0x140000000', 'virtio_mem virtio5: plugging memory: 0x13fe00000 - 0x13fffffff')]);
      assert.deepEqual(
        a.devices.map((d) => [d.startAddress, d.regionSize]),
        [[0x140000000n, undefined]],
      );
    });

    it('without init lines, sizes are assumed and each assumption is said', async () => {
      const a = await logs(['guest.log', dmesg('virtio_mem virtio5: device block size: 0x400000', 'virtio_mem virtio5: plugging memory: 0x140000000 - 0x1403fffff')]);
      assert.deepEqual(a.devices, [
        {
          device: 'virtio5',
          startAddress: 0x140000000n,
          regionSize: 0x8000000n,
          deviceBlockSize: 0x400000n,
          memoryBlockSize: 0x8000000n,
          subblockSize: 0x400000n,
          mode: 'sbm',
          geometry: 'inferred',
          inferredFrom: [
            'memory block size assumed 0x8000000 (128 MiB, the x86-64 default): no init line',
            'subblock size assumed 0x400000 (max of device block size and 2 MiB)',
            'region assumed to start at 0x140000000: the lowest address seen, aligned down to 1 GiB',
            'region size assumed 0x8000000: up to the highest address seen',
          ],
        },
      ]);
    });
  });
});

describe('one failure line, one finding: what it says', () => {
  type Row = [code: string, cause: string, confidence: string, message: string, range?: [bigint, bigint]];
  const CASES: Array<[label: string, path: string, text: string, expected: Row]> = [
    ['SEV-SNP PSC failure with a return code', 'guest.log', dmesg('SNP: PSC failed ret=-22 exit_info_2=100000002'), ['HPL010', 'unknown', 'likely', 'SEV-SNP page state change failed (psc, ret=-22); the guest terminates itself.']],
    ['SEV-SNP PSC failure without one', 'guest.log', dmesg('Reserved bit is set in the PSC header'), ['HPL010', 'unknown', 'likely', 'SEV-SNP page state change failed (reservedBit); the guest terminates itself.']],
    ['a failed conversion to shared', 'guest.log', dmesg('CPA VMM failure to convert memory (addr=00000000b3f1a7c4, numpages=512) to shared: -5'), ['HPL010', 'unknown', 'likely', 'Converting 0x200000 bytes of guest memory to shared failed (-5).']],
    [
      'a failed conversion to private, errno printed',
      'guest.log',
      dmesg('CPA VMM failure to convert memory (addr=000000008c6e2b1f, numpages=32768) to private: -5'),
      [
        'HPL003',
        'unknown',
        'possible',
        'Converting 0x8000000 bytes to private (accept) failed with -5; the CPA warning hashes the address, and no QEMU trace says which range it was. Possible causes, most likely first: the memory was still accepted after an unplug without private discard (HPL001); it was still accepted after an offline/online cycle (HPL002); the VMM refused the conversion to private (HPL010).',
      ],
    ],
    [
      'a failed conversion to private, older wording without errno',
      'guest.log',
      dmesg('CPA VMM failure to convert memory (addr=000000008c6e2b1f, numpages=32768) to private.'),
      [
        'HPL003',
        'unknown',
        'possible',
        'Converting 0x8000000 bytes to private (accept) failed with an error; the CPA warning hashes the address, and no QEMU trace says which range it was. Possible causes, most likely first: the memory was still accepted after an unplug without private discard (HPL001); it was still accepted after an offline/online cycle (HPL002); the VMM refused the conversion to private (HPL010).',
      ],
    ],
    ['QEMU: a malformed request', 'qemu.log', 'qemu-system-x86_64: virtio-mem protocol violation: invalid request size: 16\n', ['HPL007', 'guest-kernel', 'certain', 'QEMU saw a malformed virtio-mem request (virtio-mem protocol violation: invalid request size: 16) and marked the device broken.']],
    ['QEMU: a failed guest_memfd discard', 'qemu.log', 'qemu-system-x86_64: ram_block_discard_guest_memfd_range: Failed to fallocate vmem0:8000000 +200000 (-22)\n', ['HPL010', 'vmm', 'likely', 'QEMU failed to discard RAM: ram_block_discard_guest_memfd_range: Failed to fallocate vmem0:8000000 +200000 (-22).']],
    ['QEMU: a failed shared discard', 'qemu.log', 'qemu-system-x86_64: ram_block_discard_range: Unaligned length: 1000\n', ['HPL010', 'vmm', 'likely', 'QEMU failed to discard RAM: ram_block_discard_range: Unaligned length: 1000.']],
    [
      'QEMU: memory attributes not set',
      'qemu.log',
      "qemu-system-x86_64: failed to set memory (0x100000000+0x200000) with attr 0x8 error 'Invalid argument'\n",
      ['HPL010', 'vmm', 'likely', 'QEMU failed to set the memory attributes of [0x100000000, 0x100200000) to 0x8: Invalid argument.', [0x100000000n, 0x100200000n]],
    ],
    ['KVM: a TD exit status, decoded', 'host.log', dmesg('kvm_intel: kvm [4321]: TD vp_enter_ret 0x8000000300000000'), ['HPL012', 'host-kernel', 'likely', 'KVM TDX error: TD vp_enter_ret 0x8000000300000000 (TDX_INTERRUPTED_RESUMABLE).']],
    ['KVM: a failed VMCS read, decoded', 'host.log', dmesg('kvm_intel: TDH_VP_RD[VMCS.0x4402] failed 0xc000010000000000'), ['HPL012', 'host-kernel', 'likely', 'KVM TDX error: TDH_VP_RD[VMCS.0x4402] failed 0xc000010000000000 (TDX_OPERAND_INVALID).']],
  ];

  for (const [label, path, text, expected] of CASES) {
    it(label, async () => {
      const a = await logs([path, text]);
      assert.deepEqual(
        a.findings.map((f): Row => (f.range ? [f.code, f.cause, f.confidence, f.message, [f.range.start, f.range.end]] : [f.code, f.cause, f.confidence, f.message])),
        [expected],
      );
    });
  }
});

describe('bounded reports', () => {
  it('a root cause keeps its first 1000 findings and counts the rest', async () => {
    const sb = 0x200000;
    const lines = Array.from({ length: 1005 }, (_, i) => `tdx: Failed to accept memory [0x${(0x100000000 + i * sb).toString(16)}, 0x${(0x100000000 + (i + 1) * sb).toString(16)})`);
    const a = await logs(['guest.log', dmesg(...lines)]);
    assert.equal(a.findings.length, 1000);
    assert.deepEqual(
      a.rootCauses.map((rc) => [rc.code, rc.findings.length, rc.omitted]),
      [['HPL003', 1000, 5]],
    );
    assert.match(a.rootCauses[0].summary, /^1000 times, first: Accepting \[0x100000000, 0x100200000\) failed/);
    assert.equal(a.findings[999].range?.start, 0x100000000n + 999n * 0x200000n);
  });
});

describe('plugged size against the requests the driver logged', () => {
  it('a plugged size the logged plugs do not add up to is HPL009, with the difference', async () => {
    const init = ['start address: 0x100000000', 'region size: 0x100000000', 'device block size: 0x200000', 'memory block size: 0x8000000', 'subblock size: 0x200000'];
    const a = await logs([
      'guest.log',
      dmesg(
        ...init.map((l) => `virtio_mem virtio5: ${l}`),
        'virtio_mem virtio5: plugged size: 0x0',
        'virtio_mem virtio5: requested size: 0x8000000',
        'virtio_mem virtio5: plugging memory: 0x100000000 - 0x103ffffff',
        'virtio_mem virtio5: plugged size: 0x8000000',
      ),
    ]);
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.cause, f.confidence, f.location.line, f.message]),
      [['HPL009', 'vmm', 'likely', 9, 'virtio5 reports 0x8000000 plugged, 0x4000000 off from what the acknowledged requests add up to.']],
    );
    assert.equal(
      a.rootCauses[0].summary,
      'virtio5 was asked to plug 0x8000000 (128 MiB) at line 7, and had 0x8000000 (128 MiB) plugged at line 9. virtio5 reports 0x8000000 plugged, 0x4000000 off from what the acknowledged requests add up to.',
    );
  });

  it('a plugged size that matches the logged plugs is no finding', async () => {
    const a = await logs([
      'guest.log',
      dmesg('virtio_mem virtio5: start address: 0x100000000', 'virtio_mem virtio5: plugged size: 0x0', 'virtio_mem virtio5: plugging memory: 0x100000000 - 0x107ffffff', 'virtio_mem virtio5: plugged size: 0x8000000'),
    ]);
    assert.deepEqual(
      a.findings.map((f) => f.code),
      [],
    );
  });
});

describe('incomplete inputs and what a root cause asks for', () => {
  it('each incomplete input is its own HPL015, naming every reason and the lines that show them', async () => {
    const a = await logs(
      ['a.log', '[  100.000000] virtio_mem virtio5: plugged size: 0x8000000\n[  101.000000] virtio_mem virtio5: requested size: 0x10000000\n[   50.000000] virtio_mem virtio5: plugged size: 0x8000000\n'],
      ['b.log', dmesg('virtio_mem virtio6: plugged size: 0x8000000')],
    );
    assert.deepEqual(
      a.rootCauses.map((rc) => [rc.id, rc.code, rc.summary, rc.findings.map((f) => [f.location.path, f.location.line, f.sequence, f.related.map((r) => `${r.line} ${r.message}`)])]),
      [
        ['RC1', 'HPL015', 'a.log is incomplete: it starts mid-stream (no probe lines for virtio5 before its first state); its clock jumps backwards.', [['a.log', 1, Number.MAX_SAFE_INTEGER, ['3 its clock jumps backwards']]]],
        ['RC2', 'HPL015', 'b.log is incomplete: it starts mid-stream (no probe lines for virtio6 before its first state).', [['b.log', 1, Number.MAX_SAFE_INTEGER, []]]],
      ],
    );
  });

  it('a re-accept failure asks for the QEMU trace only when it was not given', async () => {
    const withQemu = await scenario('F03-old-vmm-notifier-replug');
    assert.equal(withQemu.rootCauses[0].toConfirm, undefined);
    assert.deepEqual(
      withQemu.findings.map((f) => f.device),
      ['virtio5', 'virtio5'],
    );
    const guestOnly = await analyze([await fileSource(join(SCENARIOS, 'F03-old-vmm-notifier-replug', 'guest.log'))]);
    assert.equal(guestOnly.rootCauses[0].toConfirm, 'add the QEMU log, run with -trace virtio_mem_* -trace kvm_convert_memory -trace ram_block_discard*');
  });
});

describe("a root cause tells the device's size story up to it", () => {
  async function story(...sizes: string[]): Promise<string> {
    const a = await logs(['guest.log', dmesg('virtio_mem virtio5: start address: 0x100000000', ...sizes.map((s) => `virtio_mem virtio5: ${s}`), 'tdx: Failed to accept memory [0x100000000, 0x102000000)')]);
    assert.equal(a.rootCauses.length, 1);
    return a.rootCauses[0].summary.split(' Accepting [')[0];
  }

  it('requests of nothing are not told; a plugged size is told once while it holds; a shrink is an unplug, the next growth a plug back with what was left', async () => {
    assert.equal(
      await story('requested size: 0x0', 'requested size: 0x8000000', 'plugged size: 0x8000000', 'plugged size: 0x8000000', 'requested size: 0x8000000', 'requested size: 0x4000000', 'plugged size: 0x4000000', 'requested size: 0x8000000'),
      'virtio5 was asked to plug 0x8000000 (128 MiB) at line 3, had 0x8000000 (128 MiB) plugged at line 4, was asked to unplug to 0x4000000 (64 MiB) at line 7, had 0x4000000 (64 MiB) plugged at line 8, and was asked to plug back to 0x8000000 (128 MiB) at line 9 with 0x4000000 still plugged.',
    );
  });

  it('nothing plugged is neither told nor said to be left', async () => {
    assert.equal(
      await story('plugged size: 0x0', 'requested size: 0x8000000', 'plugged size: 0x8000000', 'requested size: 0x0', 'plugged size: 0x0', 'requested size: 0x8000000'),
      'virtio5 was asked to plug 0x8000000 (128 MiB) at line 3, had 0x8000000 (128 MiB) plugged at line 4, was asked to unplug to 0x0 at line 5, and was asked to plug back to 0x8000000 (128 MiB) at line 7.',
    );
  });
});
