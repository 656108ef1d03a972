/**
 * What events do to a run (diagnose/handlers.ts, diagnose/analyzer.ts), through `analyze()` on
 * in-memory logs, and the analyzer's own answers (its policies, a draft's words in the platform
 * seen so far): memory added and removed by the driver, a request applied to the device its
 * line names, the policies a failed accept or re-accept shows, a panic that is not an EPT
 * violation, a QEMU error no finding depends on.
 *
 * Wordings: drivers/virtio/virtio_mem.c (Linux v6.12, "adding memory", "removing memory",
 * "offlining and removing memory", "requesting state"), arch/x86/coco/tdx/tdx.c ("Failed to
 * accept memory", "TDVMCALL failed. TDX module bug?"), hw/virtio/virtio-mem.c (QEMU 9.2,
 * "virtio-mem device cannot get unplugged while some of its memory is still plugged").
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analyzer } from '../../../src/core/diagnose/analyzer';
import type { HotplugEvent } from '../../../src/core/events';
import { analyzeLogs, dmesg, line, related, stateAt, trace, VIRTIO5_PROBE } from './in-memory-logs';

const PLUG_0 = 'virtio_mem virtio5: plugging memory: 0x100000000 - 0x107ffffff';
const ADD_0 = 'virtio_mem virtio5: adding memory: 0x100000000 - 0x107ffffff';

describe('event handlers: the driver’s memory lines', () => {
  it('"adding memory" onlines (and, in a TD, accepts) the plugged block', async () => {
    const a = await analyzeLogs([['guest.log', dmesg('tdx: Guest detected', ...VIRTIO5_PROBE, PLUG_0, ADD_0)]]);
    assert.equal(stateAt(a, 'virtio5', 0x100000000n), 'plugged buddy private accepted page');
    assert.equal(stateAt(a, 'virtio5', 0x107e00000n), 'plugged buddy private accepted page');
  });

  it('"removing memory" and "offlining and removing memory" offline it', async () => {
    for (const remove of ['removing memory', 'offlining and removing memory']) {
      const a = await analyzeLogs([['guest.log', dmesg('tdx: Guest detected', ...VIRTIO5_PROBE, PLUG_0, ADD_0, `virtio_mem virtio5: ${remove}: 0x100000000 - 0x107ffffff`)]]);
      assert.equal(stateAt(a, 'virtio5', 0x100000000n), 'plugged offline private accepted page', remove);
    }
  });

  it('memory offlined and onlined again is still accepted: its next accept fails (HPL002)', async () => {
    const a = await analyzeLogs([
      [
        'guest.log',
        dmesg(
          'tdx: Guest detected',
          ...VIRTIO5_PROBE,
          PLUG_0,
          ADD_0,
          'virtio_mem virtio5: offlining and removing memory: 0x100000000 - 0x107ffffff',
          ADD_0,
          'tdx: Failed to accept memory [0x100000000, 0x108000000)',
        ),
      ],
    ]);
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.location.line, f.range?.start, f.range?.end]),
      [['HPL002', 12, 0x100000000n, 0x108000000n]],
    );
  });

  it('"requesting state" changes no state', async () => {
    const a = await analyzeLogs([['guest.log', dmesg(...VIRTIO5_PROBE, PLUG_0, 'virtio_mem virtio5: requesting state: 0x100000000 - 0x107ffffff', 'virtio_mem virtio5: requested size: 0x8000000')]]);
    assert.equal(stateAt(a, 'virtio5', 0x100000000n), 'plugged none ? ? ?');
  });

  it('a request is applied to the device its line names, even where that device’s region is not known', async () => {
    const a = await analyzeLogs([
      ['guest.log', dmesg(...VIRTIO5_PROBE, 'virtio_mem virtio6: nid: 0', 'virtio_mem virtio6: plugging memory: 0x300000000 - 0x3001fffff', 'virtio_mem virtio6: requested size: 0x200000')],
    ]);
    assert.equal(stateAt(a, 'virtio6', 0x300000000n), 'plugged none ? ? ?');
    assert.equal(stateAt(a, 'virtio5', 0x100000000n), undefined);
  });
});

describe('event handlers: what failures show about the policies', () => {
  it('a guest that logs its own failed accept accepts memory itself', async () => {
    const a = await analyzeLogs([['guest.log', dmesg('tdx: Guest detected', ...VIRTIO5_PROBE, 'tdx: Failed to accept memory [0x108000000, 0x110000000)')]]);
    assert.deepEqual(a.policies, [{ name: 'guest.acceptsMemory', value: 'yes', how: 'inferred', reason: 'the guest logs its own accept failures', at: { input: 0, line: 8 } }]);
  });

  it('a re-accept of unplugged memory that failed shows a VMM that does not discard private memory, when no line says so', async () => {
    const F03 = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'scenarios', 'F03-old-vmm-notifier-replug');
    const a = await analyzeLogs([['guest.log', readFileSync(join(F03, 'guest.log'), 'utf8')]]);
    assert.deepEqual(
      a.findings.map((f) => `${f.code} ${f.location.line}`),
      ['HPL001 16'],
    );
    // No UNPLUG line: the plugged size that shrank is the evidence.
    assert.deepEqual(related(a.findings[0]), ['guest.log:14 plugged size shrank here: this memory was unplugged, and nothing shows its private pages were discarded']);
    assert.deepEqual(
      a.policies.find((p) => p.name === 'vmm.discardPrivate'),
      {
        name: 'vmm.discardPrivate',
        value: 'no',
        how: 'inferred',
        reason: 're-accepts of unplugged memory failed as if its private pages were never discarded',
        at: { input: 0, line: 16 },
      },
    );
  });
});

describe('event handlers: a failed validation of memory an UNPLUG left validated (SEV-SNP)', () => {
  it('is HPL011, likely, with the UNPLUG related, and the UNPLUG’s HPL005 is part of its root cause', async () => {
    // arch/x86/coco/sev/core.c pval_terminate(): "PVALIDATE failure: pfn 0x%llx, action=%d, size=%d - ret=%d" (Linux v6.15).
    const a = await analyzeLogs([
      [
        'console.log',
        trace(
          ...VIRTIO5_PROBE,
          'virtio_mem_plug_request addr=0x108000000 nb_blocks=64',
          'virtio_mem_send_response type=0',
          'virtio_mem_unplug_request addr=0x108000000 nb_blocks=64',
          'ram_block_discard_range vmem0@0x7f5a50000000 + 0x8000000: madvise: 1 fallocate: 0 ret: 0',
          'virtio_mem_send_response type=0',
          'virtio_mem_plug_request addr=0x108000000 nb_blocks=64',
          'virtio_mem_send_response type=0',
          'PVALIDATE failure: pfn 0x108000, action=1, size=0 - ret=255',
        ),
      ],
    ]);
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.location.line, f.confidence, related(f)]),
      [
        ['HPL011', 14, 'likely', ['console.log:9 the UNPLUG of this memory, acknowledged without a private discard']],
        ['HPL005', 9, 'likely', ['console.log:10 QEMU discarded the shared side only (ram_block_discard_range)']],
      ],
    );
    assert.equal(a.findings[1].rootCause, a.findings[0].rootCause);
  });
});

describe('event handlers: a CPA warning placed on QEMU’s conversions', () => {
  // arch/x86/mm/pat/set_memory.c: "CPA VMM failure to convert memory (addr=%p, numpages=%d) to %s: %d" (Linux v6.12).
  const CPA = 'CPA VMM failure to convert memory (addr=000000008c6e2b1f, numpages=1024) to private: -5';
  const convert = (start: string) => `kvm_convert_memory start ${start} size 0x200000 shared_to_private`;

  it('adjacent conversions are one burst: the warning’s 4 MiB are placed on both', async () => {
    const a = await analyzeLogs([['console.log', trace('tdx: Guest detected', ...VIRTIO5_PROBE, convert('0x108000000'), convert('0x108200000'), CPA)]]);
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.location.line, f.range?.start, f.range?.end, related(f)]),
      [['HPL003', 10, 0x108000000n, 0x108400000n, ['console.log:8 QEMU converted this range to private just before']]],
    );
  });

  it('conversions apart are not: a burst too small for the warning leaves it unplaced, without a range', async () => {
    const a = await analyzeLogs([['console.log', trace('tdx: Guest detected', ...VIRTIO5_PROBE, convert('0x108000000'), convert('0x10a000000'), CPA)]]);
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.location.line, f.range, f.related]),
      [['HPL003', 10, undefined, []]],
    );
  });

  it('a failed accept implies the memory was plugged again, even when no line says so', async () => {
    const F03 = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'scenarios', 'F03-old-vmm-notifier-replug');
    const a = await analyzeLogs([['guest.log', readFileSync(join(F03, 'guest.log'), 'utf8')]]);
    assert.equal(stateAt(a, 'virtio5', 0x108000000n), 'plugged offline private stale page');
  });
});

describe('event handlers: lines about the VM’s end and QEMU’s errors', () => {
  it('a panic that is not an EPT violation ends the VM without HPL004, its message kept whole but the final period', async () => {
    const a = await analyzeLogs([['guest.log', dmesg('tdx: Guest detected', ...VIRTIO5_PROBE, 'Kernel panic - not syncing: TDVMCALL failed. TDX module bug?')]]);
    assert.deepEqual(
      a.findings.map((f) => f.code),
      ['HPL014'],
    );
    assert.match(a.findings[0].message, /the guest panicked \(TDVMCALL failed\. TDX module bug\?\)/);
    const ept = await analyzeLogs([['guest.log', dmesg('tdx: Guest detected', ...VIRTIO5_PROBE, 'Kernel panic - not syncing: Unexpected EPT-violation on private memory.')]]);
    assert.match(ept.findings.find((f) => f.code === 'HPL014')?.message ?? '', /the guest panicked \(Unexpected EPT-violation on private memory\)/);
  });

  it('a virtio_mem_refresh_config splat whose WARNING line was lost is placed at its first line', async () => {
    // lib/bug.c prints the `cut here` line before the WARNING; here only the RIP names the function.
    const a = await analyzeLogs([
      ['guest.log', dmesg(...VIRTIO5_PROBE, '------------[ cut here ]------------', 'RIP: 0010:virtio_mem_refresh_config+0x1a/0x30 [virtio_mem]', '---[ end trace 0000000000000000 ]---')],
    ]);
    assert.deepEqual(
      a.findings.map((f) => line(f)),
      ['HPL009 guest.log:7 (vmm, certain) The driver WARNs in virtio_mem_refresh_config: the device reports a plugged size different from what the driver plugged.'],
    );
  });

  it('a QEMU error no finding depends on makes none', async () => {
    const a = await analyzeLogs([['qemu.log', 'qemu-system-x86_64: virtio-mem device cannot get unplugged while some of its memory is still plugged\n']]);
    assert.deepEqual(a.findings.map(line), []);
  });
});

describe('the analyzer’s answers', () => {
  function event(e: Partial<HotplugEvent> & { kind: HotplugEvent['kind'] }, line: number): HotplugEvent {
    return { rule: 'test', input: 0, source: { path: 'guest.log', line, span: 1, column: 0, endColumn: 0, offset: 0 }, ...e } as HotplugEvent;
  }

  it('replays with the policies forced, and the defaults for the rest', () => {
    const analyzer = new Analyzer({ forced: { 'vmm.discardPrivate': 'yes' } });
    assert.equal(analyzer.policies['vmm.discardPrivate'], 'yes');
    assert.equal(new Analyzer().policies['vmm.discardPrivate'], 'unknown');
  });

  it('words a draft for the platform the events show so far', () => {
    const analyzer = new Analyzer();
    analyzer.event(event({ kind: 'qemu.convert', start: 0x100000000n, size: 0x200000n, to: 'private' }, 1));
    analyzer.event(event({ kind: 'qemu.vmem.request', op: 'unplug', addr: 0x100000000n, nbBlocks: 1 }, 2));
    analyzer.event(event({ kind: 'qemu.discard', variant: 'range', ramBlock: 'vmem0', hostAddr: 0x7f5a50000000n, length: 0x200000n, madvise: true, fallocate: false, ret: 0 }, 3));
    analyzer.event(event({ kind: 'qemu.vmem.response', type: 0 }, 4));
    const [draft] = analyzer.drafts;
    assert.equal(draft.code, 'HPL005');
    assert.equal(
      analyzer.messageOf(draft),
      'UNPLUG of [0x100000000, 0x100200000) was acknowledged, but only the shared side was discarded: the private pages stay accepted (TDX) or validated (SEV-SNP), and a re-plug of this range will fail.',
    );
    analyzer.event(event({ kind: 'tdx.guestDetected' }, 5));
    assert.equal(
      analyzer.messageOf(draft),
      'UNPLUG of [0x100000000, 0x100200000) was acknowledged, but only the shared side was discarded: the private pages stay accepted and a re-plug of this range will fail to accept.',
    );
  });
});
