/**
 * How findings are kept (diagnose/ledger.ts), through `analyze()` on in-memory logs: grouped
 * under root causes per device and phase of requested size, one refusal seen from both sides
 * joined (HPL007), adjacent unplugs joined (HPL005), the device's story of size lines, the last
 * failure a "marking device broken" is about, and latent HPL005 folded into the re-accept
 * failures they became (or dropped for a guest that is not confidential).
 *
 * Wordings: drivers/virtio/virtio_mem.c (Linux v6.12), arch/x86/coco/tdx/tdx.c ("Failed to accept
 * memory"), QEMU 9.2 trace events and error_report texts (hw/virtio/virtio-mem.c,
 * accel/kvm/kvm-all.c "kvm run failed"). A console log (`console.log`) holds the guest's
 * serial console and QEMU's stderr trace interleaved, as `-serial stdio -trace …` prints them.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Analysis } from '../../../src/core/analyze';
import { analyzeLogs, dmesg, hexRange, line, related, trace, VIRTIO5_PROBE, VIRTIO6_PROBE } from './in-memory-logs';

const ACK = 'virtio_mem_send_response type=0';
const ERROR = 'virtio_mem_send_response type=3';
const REFUSED = 'virtio_mem virtio5: plugging memory failed: -22';

/** The root-cause id of each finding, by `code@line`. */
function rootCauses(a: Analysis): Record<string, string> {
  return Object.fromEntries(a.findings.map((f) => [`${f.code}@${f.location.line}`, f.rootCause]));
}

/** Which findings share a root cause: lists of `code@line`, in report order. */
function together(a: Analysis): string[][] {
  return a.rootCauses.map((rc) => rc.findings.map((f) => `${f.code}@${f.location.line}`).sort());
}

describe('ledger: root causes by device and phase of requested size', () => {
  it('a new requested size starts a new root cause; the same size again, a plugged size, or the first requested size do not', async () => {
    const a = await analyzeLogs([
      [
        'guest.log',
        dmesg(
          ...VIRTIO5_PROBE,
          'virtio_mem virtio6: start address: 0x200000000',
          REFUSED, // 8
          'virtio_mem virtio5: requested size: 0x8000000',
          REFUSED, // 10
          'virtio_mem virtio5: plugged size: 0x0',
          REFUSED, // 12
          'virtio_mem virtio5: requested size: 0x8000000',
          REFUSED, // 14
          'virtio_mem virtio5: requested size: 0x10000000',
          REFUSED, // 16
          'virtio_mem virtio6: plugging memory failed: -22', // 17
        ),
      ],
    ]);
    assert.deepEqual(together(a), [['HPL007@10', 'HPL007@12', 'HPL007@14', 'HPL007@8'], ['HPL007@16'], ['HPL007@17']]);
  });

  it('findings about no device share one root cause per code', async () => {
    const a = await analyzeLogs([
      [
        'qemu.log',
        trace('virtio-mem protocol violation: invalid request size: 16', 'virtio-mem protocol violation: unknown request type: 7', 'error: kvm run failed Input/output error'),
      ],
    ]);
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.location.line, f.device]),
      [
        ['HPL007', 1, undefined],
        ['HPL007', 2, undefined],
        ['HPL014', 3, undefined],
      ],
    );
    assert.deepEqual(together(a), [['HPL007@1', 'HPL007@2'], ['HPL014@3']]);
    // An end nothing explains: its cause is unknown.
    assert.equal(line(a.findings[2]), 'HPL014 qemu.log:3 (unknown, certain) The VM stopped: QEMU stopped the VM: kvm run failed (Input/output error).');
  });

  it('a plugged size on the way to the requested one is not part of the story', async () => {
    const a = await analyzeLogs([
      ['guest.log', dmesg(...VIRTIO5_PROBE, 'virtio_mem virtio5: requested size: 0x10000000', 'virtio_mem virtio5: plugged size: 0x8000000', REFUSED)],
    ]);
    assert.deepEqual(
      a.rootCauses.map((r) => r.summary),
      ['virtio5 was asked to plug 0x10000000 (256 MiB) at line 7. virtio5: the device answered ERROR to a PLUG: driver and device disagree about which blocks are plugged, or the range is invalid.'],
    );
  });

  it('a root cause tells the device’s last sixteen size lines', async () => {
    // 20 requested sizes, alternating: the story starts at the fifth (line 11).
    const sizes = Array.from({ length: 20 }, (_, i) => `virtio_mem virtio5: requested size: ${i % 2 === 0 ? '0x8000000' : '0x10000000'}`);
    const a = await analyzeLogs([['guest.log', dmesg(...VIRTIO5_PROBE, ...sizes, REFUSED)]]);
    assert.equal(a.rootCauses.length, 1);
    const summary = a.rootCauses[0].summary;
    assert.match(summary, /^virtio5 was asked to plug 0x8000000 \(128 MiB\) at line 11, was asked to plug 0x10000000 \(256 MiB\) at line 12, was asked to unplug to 0x8000000 \(128 MiB\) at line 13, /);
    assert.match(summary, /, and was asked to plug back to 0x10000000 \(256 MiB\) at line 26\. virtio5: the device answered ERROR to a PLUG: /);
  });
});

describe('ledger: one refusal seen from both sides (HPL007)', () => {
  it('QEMU’s ERROR answer and the driver’s -22 over the same range are one finding; another range is another', async () => {
    const refusal = (first: string, last: string, addr: string) => [
      `virtio_mem virtio5: plugging memory: ${first} - ${last}`,
      `virtio_mem_plug_request addr=${addr} nb_blocks=64`,
      ERROR,
      REFUSED,
    ];
    const a = await analyzeLogs([
      ['console.log', trace(...VIRTIO5_PROBE, ...refusal('0x100000000', '0x107ffffff', '0x100000000'), ...refusal('0x108000000', '0x10fffffff', '0x108000000'))],
    ]);
    assert.deepEqual(
      a.findings.map((f) => [line(f), hexRange(f), related(f)]),
      [
        [
          'HPL007 console.log:9 (vmm, certain) QEMU answered ERROR to a PLUG of [0x100000000, 0x108000000): the range is not entirely unplugged in the device (double plug), misaligned or outside the usable region. (memory block 32)',
          '0x100000000-0x108000000',
          ['console.log:8 the request QEMU refused', 'console.log:10 the same refusal, seen from the other side'],
        ],
        [
          'HPL007 console.log:13 (vmm, certain) QEMU answered ERROR to a PLUG of [0x108000000, 0x110000000): the range is not entirely unplugged in the device (double plug), misaligned or outside the usable region. (memory block 33)',
          '0x108000000-0x110000000',
          ['console.log:12 the request QEMU refused', 'console.log:14 the same refusal, seen from the other side'],
        ],
      ],
    );
  });
});

describe('ledger: adjacent unplugs without private discard are one finding (HPL005)', () => {
  const unplug = (addr: string, blocks: number) => [
    `virtio_mem_unplug_request addr=${addr} nb_blocks=${blocks}`,
    `ram_block_discard_range vmem0@0x7f5a50000000 + 0x${(BigInt(blocks) * 0x200000n).toString(16)}: madvise: 1 fallocate: 0 ret: 0`,
    ACK,
  ];

  it('top down and bottom up, within a device; not across devices, not over a gap', async () => {
    const a = await analyzeLogs([
      ['guest.log', dmesg('tdx: Guest detected', ...VIRTIO5_PROBE, ...VIRTIO6_PROBE)],
      [
        'qemu.log',
        trace(
          // virtio5, top down (the driver's order): [0x1ffc00000, 0x200000000)
          ...unplug('0x1ffe00000', 1), // 1
          ...unplug('0x1ffc00000', 1), // 4
          // virtio6 starts where virtio5 ends: adjacent, another device. Then bottom up: [0x200000000, 0x200400000)
          ...unplug('0x200000000', 1), // 7
          ...unplug('0x200200000', 1), // 10
          // A gap: another finding.
          ...unplug('0x200800000', 2), // 13
        ),
      ],
    ]);
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.location.line, f.device, hexRange(f), related(f)]),
      [
        [
          'HPL005',
          1,
          'virtio5',
          '0x1ffc00000-0x200000000',
          ['qemu.log:2 QEMU discarded the shared side only (ram_block_discard_range)', 'qemu.log:4 an adjacent UNPLUG, also without private discard'],
        ],
        [
          'HPL005',
          7,
          'virtio6',
          '0x200000000-0x200400000',
          ['qemu.log:8 QEMU discarded the shared side only (ram_block_discard_range)', 'qemu.log:10 an adjacent UNPLUG, also without private discard'],
        ],
        ['HPL005', 13, 'virtio6', '0x200800000-0x200c00000', ['qemu.log:14 QEMU discarded the shared side only (ram_block_discard_range)']],
      ],
    );
    assert.match(a.findings[0].message, /^UNPLUG of \[0x1ffc00000, 0x200000000\) was acknowledged, but only the shared side was discarded: /);
  });
});

describe('ledger: the failure a "marking device broken" is about', () => {
  it('is the device’s last error or warning, not a later info finding, and joins its root cause', async () => {
    const busy = ['virtio_mem virtio5: plugging memory: 0x100000000 - 0x107ffffff', 'virtio_mem virtio5: plugging memory failed: -26'];
    const a = await analyzeLogs([
      [
        'guest.log',
        dmesg(
          ...VIRTIO5_PROBE,
          REFUSED, // 7: HPL007
          ...Array.from({ length: 8 }, () => busy).flat(), // HPL016 (info) at 23
          'virtio_mem virtio5: unknown error, marking device broken: -22', // 24
        ),
      ],
    ]);
    const broken = a.findings.find((f) => f.code === 'HPL008');
    assert.ok(broken);
    assert.equal(broken.location.line, 24);
    assert.deepEqual(related(broken), ['guest.log:7 the failure behind it (HPL007)']);
    const rc = rootCauses(a);
    assert.equal(rc['HPL008@24'], rc['HPL007@7']);
    assert.notEqual(rc['HPL016@23'], rc['HPL007@7']);
  });

  it('is none when only another device failed', async () => {
    const a = await analyzeLogs([
      [
        'guest.log',
        dmesg(...VIRTIO5_PROBE, 'virtio_mem virtio6: start address: 0x200000000', 'virtio_mem virtio6: plugging memory failed: -22', 'virtio_mem virtio5: unknown error, marking device broken: -22'),
      ],
    ]);
    const broken = a.findings.find((f) => f.code === 'HPL008');
    assert.ok(broken);
    assert.deepEqual(broken.related, []);
    assert.equal(a.rootCauses.length, 2);
  });
});

describe('ledger: latent unplugs (HPL005) and the re-accepts they became', () => {
  const unplug = (addr: string, blocks: number) => [
    `virtio_mem_unplug_request addr=${addr} nb_blocks=${blocks}`,
    `ram_block_discard_range vmem0@0x7f5a50000000 + 0x${(BigInt(blocks) * 0x200000n).toString(16)}: madvise: 1 fallocate: 0 ret: 0`,
    ACK,
  ];
  const plug = (addr: string, blocks: number) => [`virtio_mem_plug_request addr=${addr} nb_blocks=${blocks}`, ACK];

  it('each joins the root cause of the failure over its range, whatever the order the failures came in; one that touches a failure without overlapping stays apart', async () => {
    const a = await analyzeLogs([
      [
        'console.log',
        trace(
          ...VIRTIO5_PROBE,
          ...VIRTIO6_PROBE,
          ...plug('0x200000000', 64),
          ...plug('0x108000000', 64),
          ...plug('0x100000000', 32),
          ...unplug('0x200000000', 64), // L1 virtio6 [0x200000000, 0x208000000) at line 15
          ...unplug('0x108000000', 64), // L2 virtio5 [0x108000000, 0x110000000) at 18
          ...unplug('0x100000000', 32), // L3 virtio5 [0x100000000, 0x104000000) at 21
          ...unplug('0x180000000', 1), // L4 virtio5, never re-plugged, at 24
          ...unplug('0x104000000', 1), // L5 starts where L3 ends (not adjacent to L4): at 27
          ...unplug('0x107e00000', 1), // L6 ends where L2 starts: at 30
          ...plug('0x200000000', 64),
          ...plug('0x108000000', 64),
          ...plug('0x100000000', 32),
          'tdx: Failed to accept memory [0x108000000, 0x110000000)', // 39
          'tdx: Failed to accept memory [0x200000000, 0x208000000)', // 40
          'tdx: Failed to accept memory [0x100000000, 0x104000000)', // 41
        ),
      ],
    ]);
    const rc = rootCauses(a);
    assert.deepEqual(Object.keys(rc).sort(), ['HPL001@39', 'HPL001@40', 'HPL001@41', 'HPL005@15', 'HPL005@18', 'HPL005@21', 'HPL005@24', 'HPL005@27', 'HPL005@30']);
    // The re-accepts of one device are one root cause.
    assert.equal(rc['HPL001@41'], rc['HPL001@39']);
    assert.notEqual(rc['HPL001@40'], rc['HPL001@39']);
    assert.equal(rc['HPL005@15'], rc['HPL001@40'], 'L1 folds into virtio6’s re-accept');
    assert.equal(rc['HPL005@18'], rc['HPL001@39'], 'L2 into virtio5’s');
    assert.equal(rc['HPL005@21'], rc['HPL001@39'], 'L3 into virtio5’s');
    // L4, L5, L6 overlap no failure: they stay latent, in their own root cause.
    assert.equal(rc['HPL005@27'], rc['HPL005@24']);
    assert.equal(rc['HPL005@30'], rc['HPL005@24']);
    assert.notEqual(rc['HPL005@24'], rc['HPL001@39']);
    assert.notEqual(rc['HPL005@24'], rc['HPL001@40']);
    // The failure heads its root cause; the latent warning is part of the story.
    const head = a.rootCauses.find((r) => r.id === rc['HPL001@40']);
    assert.equal(head?.code, 'HPL001');
    assert.deepEqual(
      head?.findings.map((f) => `${f.code}@${f.location.line}`),
      ['HPL001@40', 'HPL005@15'],
    );
  });

  it('a latent range inside a long failure is found past a shorter failure that starts later', async () => {
    const a = await analyzeLogs([
      [
        'console.log',
        trace(
          ...VIRTIO5_PROBE,
          ...plug('0x100000000', 128),
          ...unplug('0x100000000', 48), // L1 [0x100000000, 0x106000000) at 9
          'virtio_mem_unplug_request addr=0x1f0000000 nb_blocks=1', // refused: breaks the adjacency of L1 and L2
          ERROR,
          ...unplug('0x106000000', 80), // L2 [0x106000000, 0x110000000) at 14
          ...plug('0x100000000', 128),
          'tdx: Failed to accept memory [0x100000000, 0x110000000)', // 19
          'tdx: Failed to accept memory [0x104000000, 0x104200000)', // 20
        ),
      ],
    ]);
    const rc = rootCauses(a);
    assert.deepEqual(Object.keys(rc).sort(), ['HPL001@19', 'HPL001@20', 'HPL005@14', 'HPL005@9', 'HPL007@13']);
    assert.equal(rc['HPL005@9'], rc['HPL001@19']);
    assert.equal(rc['HPL005@14'], rc['HPL001@19']);
  });

  it('a failure that ends where the latent range starts is not its cause; the one over it is, in another root cause', async () => {
    const a = await analyzeLogs([
      [
        'console.log',
        trace(
          ...VIRTIO5_PROBE,
          'virtio_mem virtio5: requested size: 0x10000000',
          ...plug('0x100000000', 128),
          ...unplug('0x100000000', 48), // [0x100000000, 0x106000000) at 10
          'virtio_mem_unplug_request addr=0x1f0000000 nb_blocks=1',
          ERROR,
          ...unplug('0x106000000', 16), // L [0x106000000, 0x108000000) at 15
          'virtio_mem_unplug_request addr=0x1f2000000 nb_blocks=1',
          ERROR,
          ...unplug('0x108000000', 64), // [0x108000000, 0x110000000) at 20
          ...plug('0x100000000', 128),
          'tdx: Failed to accept memory [0x100000000, 0x110000000)', // A at 25
          // A new requested size: what fails next is another root cause.
          'virtio_mem virtio5: requested size: 0x8000000',
          'tdx: Failed to accept memory [0x104000000, 0x106000000)', // B at 27, ends where L starts
        ),
      ],
    ]);
    const rc = rootCauses(a);
    assert.deepEqual(Object.keys(rc).sort(), ['HPL001@25', 'HPL001@27', 'HPL005@10', 'HPL005@15', 'HPL005@20', 'HPL007@14', 'HPL007@19']);
    assert.notEqual(rc['HPL001@27'], rc['HPL001@25']);
    assert.equal(rc['HPL005@15'], rc['HPL001@25']);
    assert.equal(rc['HPL005@20'], rc['HPL001@25']);
  });

  it('a guest that is not confidential has no private memory: the latent warnings are dropped, nothing else', async () => {
    const a = await analyzeLogs([
      ['qemu.log', trace(...plug('0x100000000', 64), ...unplug('0x100000000', 64), 'virtio_mem_unplug_request addr=0x108000000 nb_blocks=1', ERROR)],
    ]);
    assert.deepEqual(
      a.findings.map((f) => `${f.code}@${f.location.line}`),
      ['HPL007@7'],
    );
  });
});

describe('ledger: the VM’s end joins the finding that explains it (HPL014)', () => {
  // F03 (re-accept after an unplug without private discard), its QEMU trace moved down nine lines
  // so that its HPL005 is on the line number of the guest's HPL001, and the guest then panics.
  const F03 = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'scenarios', 'F03-old-vmm-notifier-replug');
  const guest = `${readFileSync(join(F03, 'guest.log'), 'utf8')}[Tue Mar 24 16:21:47 2026] Kernel panic - not syncing: TDX: Failed to accept memory\n`;
  const warning = "2026-03-24T15:18:02.771204Z qemu-system-x86_64: warning: host doesn't support requested feature: CPUID.80000007H:EDX.invtsc [bit 8]\n";
  const qemu = warning.repeat(9) + readFileSync(join(F03, 'qemu.log'), 'utf8');

  it('the panic after the failed re-accept is part of its root cause, not of the unplug noted before on the same line number', async () => {
    const a = await analyzeLogs([
      ['guest.log', guest],
      ['qemu.log', qemu],
    ]);
    assert.deepEqual(
      a.findings.map((f) => `${f.code} ${f.location.path}:${f.location.line}`),
      ['HPL001 guest.log:16', 'HPL014 guest.log:17', 'HPL005 qemu.log:16'],
    );
    const end = a.findings[1];
    assert.equal(end.cause, 'vmm');
    assert.match(end.message, /the guest panicked \(TDX: Failed to accept memory\), after HPL001\.$/);
    assert.deepEqual(related(end), ['guest.log:16 HPL001 explains it']);
    assert.deepEqual(together(a), [['HPL001@16', 'HPL005@16', 'HPL014@17']]);
    assert.match(a.rootCauses[0].summary, / Part of the same story: HPL005 unplug without private discard, HPL014 VM terminated\./);
  });
});

describe('ledger: each finding that ends a VM explains its end', () => {
  // Guest, host and QEMU lines as their source tables give them (arch/x86/coco/sev/core.c,
  // arch/x86/kvm/vmx/tdx.c, accel/kvm/kvm-all.c), then QEMU's "kvm run failed".
  // The end takes the cause of the finding that explains it: a failed page state change and a
  // PVALIDATE with no unplug before it do not say whose they are.
  const CASES: Array<[string, string, string]> = [
    ['SEV-SNP: PSC failed ret=1 exit_info_2=0x1', 'HPL010', 'unknown'],
    ['kvm_intel: kvm [4321]: TD vp_enter_ret 0x8000000000000000', 'HPL012', 'host-kernel'],
    ['PVALIDATE failure: pfn 0x108000, action=1, size=0 - ret=6', 'HPL003', 'unknown'],
    ['PVALIDATE failure: pfn 0x108000, action=1, size=0 - ret=255', 'HPL011', 'unknown'],
    ["qemu-system-x86_64: failed to set memory (0x100000000+0x200000) with attr 0x8 error 'Bad address'", 'HPL010', 'vmm'],
  ];
  for (const [failure, code, cause] of CASES) {
    it(`${code}: ${failure}`, async () => {
      const a = await analyzeLogs([['console.log', trace(failure, 'error: kvm run failed Input/output error')]]);
      const end = a.findings.find((f) => f.code === 'HPL014');
      assert.ok(end, a.findings.map(line).join('\n'));
      assert.equal(end.message, `The VM stopped: QEMU stopped the VM: kvm run failed (Input/output error), after ${code}.`);
      assert.equal(end.cause, cause);
      assert.deepEqual(related(end), [`console.log:1 ${code} explains it`]);
      // One root cause, as sure as its least sure finding.
      assert.equal(a.rootCauses.length, 1);
      const ranks = ['possible', 'likely', 'certain'];
      const least = a.rootCauses[0].findings.map((f) => f.confidence).sort((x, y) => ranks.indexOf(x) - ranks.indexOf(y))[0];
      assert.equal(a.rootCauses[0].confidence, least);
    });
  }
});
