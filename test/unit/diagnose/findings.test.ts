/**
 * The findings of every DOMAIN.md §5 scenario, asserted exactly (code, line, cause, range),
 * the captured re-plug failure of §4.6 (as logged and as pasted in a mail), healthy runs, and
 * the what-if replay that flips the VMM's discard policy.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type Analysis, analyze } from '../../../src/core/analyze';
import { codeInfo } from '../../../src/core/diagnose/catalog';
import { bufferedSource, fileSource } from '../../../src/node/inputs';

const ROOT = join(__dirname, '..', '..', '..', '..');
const SCENARIOS = join(ROOT, 'test', 'fixtures', 'scenarios');

async function check(files: string[], options: Parameters<typeof analyze>[1] = {}): Promise<Analysis> {
  return analyze(await Promise.all(files.map((f) => fileSource(f))), options);
}

function scenarioFiles(name: string): string[] {
  const dir = join(SCENARIOS, name);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => join(dir, f));
}

type Row = [code: string, where: string, cause: string, range?: string];

function rows(a: Analysis): Row[] {
  return a.findings.map((f) => {
    const row: Row = [f.code, `${basename(f.location.path)}:${f.location.line}`, f.cause];
    if (f.range) row.push(`0x${f.range.start.toString(16)}-0x${f.range.end.toString(16)}`);
    return row;
  });
}

const EXPECTED: Record<string, Row[]> = {
  // Mainline driver in a TD: the touch of unaccepted memory kills the VM (i1).
  'F01-mainline-no-accept': [
    ['HPL004', 'host.log:4', 'guest-kernel', '0x100a3c000-0x100a3d000'],
    ['HPL014', 'qemu.log:5', 'guest-kernel'],
  ],
  'F02-debug-td-ept-violation': [
    ['HPL004', 'guest.log:16', 'guest-kernel'],
    ['HPL014', 'guest.log:16', 'guest-kernel'],
  ],
  // Old VMM, notifier patch: the re-accept fails; the UNPLUG that left the page is the latent cause.
  'F03-old-vmm-notifier-replug': [
    ['HPL001', 'guest.log:16', 'vmm', '0x108000000-0x110000000'],
    ['HPL005', 'qemu.log:7', 'vmm', '0x108000000-0x110000000'],
  ],
  'F04-coco-rfc-stale-private': [
    ['HPL001', 'guest.log:11', 'vmm', '0x108000000-0x110000000'],
    ['HPL005', 'qemu.log:1', 'vmm', '0x108000000-0x110000000'],
    ['HPL015', 'guest.log:1', 'log'],
  ],
  'F05-fixed-vmm-clean-replug': [],
  // The offline is not logged: the failed accept is placed on QEMU's burst, cause unknown.
  'F06-admin-offline-online': [['HPL003', 'guest.log:7', 'unknown', '0x108000000-0x110000000']],
  'F07-unplug-busy-migration': [['HPL015', 'guest.log:2', 'log']],
  'F08-reaccept-fails-leak': [
    ['HPL003', 'guest.log:7', 'unknown', '0x107e00000-0x108000000'],
    ['HPL006', 'guest.log:38', 'guest-kernel'],
    ['HPL015', 'guest.log:2', 'log'],
  ],
  'F09-convert-non-gmem': [['HPL010', 'qemu.log:7', 'config', '0x100000000-0x100200000']],
  'F10-double-plug-error': [
    ['HPL007', 'qemu.log:5', 'vmm', '0x100000000-0x108000000'],
    ['HPL008', 'guest.log:6', 'vmm'],
    ['HPL015', 'guest.log:2', 'log'],
  ],
  'F11-plug-nack-race': [['HPL015', 'guest.log:1', 'log']],
  'F12-plug-busy-migration': [['HPL015', 'guest.log:1', 'log']],
  'F13-kexec-unplug-all': [['HPL005', 'qemu.log:1', 'vmm', '0x100000000-0x200000000']],
  'F14-plugged-size-mismatch': [
    // At the WARNING line inside the splat, not at its `cut here`.
    ['HPL009', 'guest.log:4', 'vmm'],
    ['HPL015', 'guest.log:1', 'log'],
  ],
  'F15-touch-after-discard': [
    ['HPL004', 'host.log:4', 'guest-kernel', '0x107e01000-0x107e02000'],
    ['HPL014', 'qemu.log:4', 'guest-kernel'],
  ],
  'F16-host-seamcall-remove': [
    ['HPL012', 'host.log:42', 'host-kernel'],
    ['HPL014', 'qemu.log:4', 'host-kernel'],
  ],
  'F17-snp-double-validate': [
    ['HPL011', 'guest.log:6', 'unknown', '0x108000000-0x108001000'],
    ['HPL015', 'guest.log:1', 'log'],
  ],
  'F18-release-failure': [
    ['HPL017', 'guest.log:4', 'guest-kernel', '0x107e00000-0x108000000'],
    ['HPL008', 'guest.log:5', 'guest-kernel'],
    ['HPL015', 'guest.log:2', 'log'],
  ],
  // A kexec'd kernel's dmesg and a QEMU trace that holds the first kernel's plug: the UNPLUG_ALL
  // at probe discarded the shared side only, so the new kernel's accept hits the stale pages.
  'F19-kexec-stale-private': [
    ['HPL001', 'guest.log:18', 'vmm', '0x100000000-0x108000000'],
    ['HPL005', 'qemu.log:4', 'vmm', '0x100000000-0x200000000'],
  ],
  // A log that starts mid-stream: onlining a partly plugged block does not plug its other subblocks.
  'F20-midstream-partial-block': [],
};

describe('findings of the DOMAIN.md scenarios', () => {
  it('has an expectation for every scenario fixture', () => {
    assert.deepEqual(readdirSync(SCENARIOS).sort(), Object.keys(EXPECTED).sort());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(name, async () => {
      const a = await check(scenarioFiles(name));
      assert.deepEqual(rows(a), expected);
      assert.equal(a.summary.errors, expected.filter(([code]) => codeInfo(code).severity === 'error').length);
    });
  }

  it('F15 says the touched memory had been unplugged and discarded (i4), not that it was never accepted', async () => {
    const a = await check(scenarioFiles('F15-touch-after-discard'));
    assert.match(a.findings[0].message, /after it was unplugged and discarded/);
  });

  it('F16 decodes the SEAMCALL status by name and says where it comes from', async () => {
    const a = await check(scenarioFiles('F16-host-seamcall-remove'));
    assert.match(a.findings[0].message, /0xc0000b0d00000001 = TDX_EPT_ENTRY_STATE_INCORRECT \(operand RCX\)/);
    assert.match(a.findings[0].message, /host SEAMCALLs only/);
  });

  it('F10 reports one refusal seen from both sides, with both lines', async () => {
    const a = await check(scenarioFiles('F10-double-plug-error'));
    const refusal = a.findings.find((f) => f.code === 'HPL007');
    assert.deepEqual(
      refusal?.related.map((r) => `${basename(r.path)}:${r.line}`),
      ['qemu.log:4', 'guest.log:5'],
    );
    const broken = a.findings.find((f) => f.code === 'HPL008');
    assert.deepEqual(broken?.related.map((r) => `${basename(r.path)}:${r.line}`), ['qemu.log:5']);
    // A device that answers ERROR and its driver disagree: the logs do not say which is wrong.
    for (const f of [refusal, broken]) assert.deepEqual([f?.cause, f?.otherCauses], ['vmm', ['guest-kernel']], f?.code);
    assert.deepEqual([a.rootCauses[0].code, a.rootCauses[0].cause, a.rootCauses[0].otherCauses], ['HPL007', 'vmm', ['guest-kernel']]);
  });

  it('F18: a device marked broken after a failed RELEASE is the guest\'s alone', async () => {
    const a = await check(scenarioFiles('F18-release-failure'));
    const broken = a.findings.find((f) => f.code === 'HPL008');
    assert.deepEqual([broken?.cause, broken?.otherCauses], ['guest-kernel', undefined]);
  });

  it('F19: the kexec\'d kernel\'s failed accept names the UNPLUG_ALL in the QEMU trace that left the first kernel\'s pages accepted', async () => {
    const a = await check(scenarioFiles('F19-kexec-stale-private'));
    const hpl001 = a.findings.find((f) => f.code === 'HPL001');
    assert.deepEqual(hpl001?.related.map((r) => `${basename(r.path)}:${r.line}`), ['qemu.log:6']);
    assert.deepEqual(a.devices.map((d) => d.device), ['virtio5'], 'the QEMU trace\'s requests are virtio5\'s: one device');
  });

  it('F19 with the guest log alone: `unplugging all memory is required` is the UNPLUG_ALL that may have left the pages accepted (HPL001, not HPL003)', async () => {
    const a = await check([join(SCENARIOS, 'F19-kexec-stale-private', 'guest.log')]);
    assert.deepEqual(rows(a), [['HPL001', 'guest.log:18', 'vmm', '0x100000000-0x108000000']]);
    assert.deepEqual(a.findings[0].related.map((r) => `${basename(r.path)}:${r.line}`), ['guest.log:15']);
  });

  it('a probe without memory plugged (no `unplugging all memory is required`) leaves a failed accept unexplained (HPL003)', async () => {
    const text = readFileSync(join(SCENARIOS, 'F19-kexec-stale-private', 'guest.log'), 'utf8').replace(/^.*unplugging all memory is required\n/m, '');
    const a = await analyze([await bufferedSource('guest.log', Buffer.from(text))]);
    assert.deepEqual(rows(a), [['HPL003', 'guest.log:17', 'unknown', '0x100000000-0x108000000']]);
  });

  it('F03 infers from the discard line that the VMM does not discard private memory', async () => {
    const a = await check(scenarioFiles('F03-old-vmm-notifier-replug'));
    const p = a.policies.find((x) => x.name === 'vmm.discardPrivate');
    assert.equal(p?.value, 'no');
    assert.equal(p?.how, 'inferred');
    const hpl001 = a.findings.find((f) => f.code === 'HPL001');
    assert.deepEqual(hpl001?.related.map((r) => `${basename(r.path)}:${r.line}`), ['qemu.log:7']);
  });
});

describe('the captured TDX re-plug failure (DOMAIN.md §4.6)', () => {
  const EXAMPLE = join(ROOT, 'examples', 'tdx-replug-failure');

  it('yields eight HPL001 errors under one root cause that blames the VMM', async () => {
    const a = await check([join(EXAMPLE, 'guest.log')]);
    assert.equal(a.summary.errors, 8);
    assert.deepEqual(
      a.findings.map((f) => f.code),
      Array(8).fill('HPL001'),
    );
    assert.equal(a.rootCauses.length, 1);
    const rc = a.rootCauses[0];
    assert.equal(rc.cause, 'vmm');
    // The guest log shows the unplug only as a plugged size that shrank: possible. The QEMU
    // trace beside it shows the UNPLUG acknowledged with a shared-only discard: likely.
    assert.equal(rc.confidence, 'possible');
    const both = await check([join(EXAMPLE, 'guest.log'), join(EXAMPLE, 'qemu.log')]);
    assert.deepEqual([both.rootCauses[0].code, both.rootCauses[0].cause, both.rootCauses[0].confidence], ['HPL001', 'vmm', 'likely']);
    assert.match(rc.summary, /was asked to unplug to 0x0 at line 19/);
    assert.match(rc.summary, /plug back to 0x80000000 \(2 GiB\) at line 21 with 0x2e00000 still plugged/);
    assert.match(rc.why, /TDX_PAGE_ALREADY_ACCEPTED/);
    assert.match(rc.why, /not TDX_EPT_ENTRY_STATE_INCORRECT/);
    assert.ok(rc.wouldNotHappenIf.some((w) => /VMM discarded both/.test(w)));
    assert.match(rc.toConfirm ?? '', /-trace virtio_mem_\*/);
    assert.equal(a.devices[0].geometry, 'logged');
  });

  it('tells the story up to the failure, also when many size lines follow it', async () => {
    const log = readFileSync(join(EXAMPLE, 'guest.log'), 'utf8');
    const later = Array.from({ length: 100 }, (_, i) => `[ ${6000 + i}.000000] virtio_mem virtio5: requested size: 0x${(((i % 4) + 1) * 0x8000000).toString(16)}\n`);
    const a = await analyze([await bufferedSource('guest.log', Buffer.from(log + later.join('')))]);
    const rc = a.rootCauses.find((r) => r.findings.some((f) => f.code === 'HPL001'));
    assert.ok(rc, 'a root cause for the re-accept failures');
    const told = [...rc.summary.matchAll(/line (\d+)/g)].map((m) => Number(m[1]));
    assert.ok(told.length > 0 && told.every((line) => line <= 22), `the story names lines after the failure: ${told.join(', ')}`);
    assert.match(rc.summary, /plug back to 0x80000000 \(2 GiB\) at line 21 with 0x2e00000 still plugged/);
  });

  it('names memory block 33 for the first failed range', async () => {
    const a = await check([join(EXAMPLE, 'guest.log')]);
    assert.deepEqual(
      a.findings[0].range && [a.findings[0].range.start, a.findings[0].range.end],
      [0x108000000n, 0x110000000n],
    );
    assert.match(a.findings[0].message, /memory block 33/);
  });

  it('still finds them, less surely and with an HPL015, when pasted from a mail', async () => {
    const a = await check([join(ROOT, 'test', 'fixtures', 'captured', 'tdx-replug-mail.log')]);
    const codes = a.findings.map((f) => f.code);
    assert.ok(codes.filter((c) => c === 'HPL001').length >= 3, codes.join(' '));
    assert.ok(codes.includes('HPL015'));
    const hpl001 = a.rootCauses.find((r) => r.code === 'HPL001');
    assert.equal(hpl001?.findings.length, codes.filter((c) => c === 'HPL001').length, 'one root cause');
    const device = a.devices.find((d) => d.device === 'virtio5');
    assert.equal(device?.geometry, 'inferred');
    assert.equal(device?.startAddress, 0x100000000n);
    assert.ok(device?.inferredFrom.some((w) => /region assumed to start at 0x100000000/.test(w)));
  });

  it('with the QEMU trace, points at the UNPLUG lines that left the pages accepted', async () => {
    const a = await check([join(EXAMPLE, 'guest.log'), join(EXAMPLE, 'qemu.log')]);
    assert.equal(a.summary.errors, 8);
    const hpl001 = a.findings.filter((f) => f.code === 'HPL001');
    assert.ok(hpl001.every((f) => f.related.some((r) => basename(r.path) === 'qemu.log' && /UNPLUG/.test(r.message))));
    assert.equal(a.policies.find((p) => p.name === 'vmm.discardPrivate')?.how, 'inferred');
  });
});

describe('what-if replay', () => {
  const GUEST = join(ROOT, 'examples', 'tdx-replug-failure', 'guest.log');

  for (const policy of ['vmm.discardPrivate', 'guest.convertSharedOnUnplug', 'guest.releaseOnUnplug'] as const) {
    it(`${policy}=yes removes the eight re-accept failures and adds nothing`, async () => {
      const a = await check([GUEST], { whatIf: { [policy]: 'yes' } });
      assert.equal(a.whatIf?.removed.length, 8);
      assert.ok(a.whatIf?.removed.every((f) => f.code === 'HPL001'));
      assert.deepEqual(a.whatIf?.added, []);
      assert.equal(a.summary.errors, 0);
    });
  }

  it('vmm.discardPrivate=no changes nothing: it is what the log shows', async () => {
    const a = await check([GUEST], { whatIf: { 'vmm.discardPrivate': 'no' } });
    assert.deepEqual(a.whatIf?.removed, []);
    assert.deepEqual(a.whatIf?.added, []);
  });
});

describe('healthy runs', () => {
  it('a plug/unplug/re-plug cycle on a fixed VMM has no warning or error (F5)', async () => {
    const a = await check(scenarioFiles('F05-fixed-vmm-clean-replug'));
    assert.equal(a.summary.errors + a.summary.warnings, 0);
  });

  it('a non-CoCo guest unplugging with a shared-only discard gets no latent warning', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'hpl-healthy-'));
    const qemu = join(dir, 'qemu.log');
    writeFileSync(
      qemu,
      [
        '4321@1774365612.803514:virtio_mem_plug_request addr=0x100000000 nb_blocks=64',
        '4321@1774365612.803811:virtio_mem_send_response type=0',
        '4321@1774365700.000100:virtio_mem_unplug_request addr=0x100000000 nb_blocks=64',
        '4321@1774365700.000180:ram_block_discard_range vmem0@0x7f5a50000000 + 0x8000000: madvise: 1 fallocate: 0 ret: 0',
        '4321@1774365700.000190:virtio_mem_send_response type=0',
        '4321@1774365707.651000:virtio_mem_plug_request addr=0x100000000 nb_blocks=64',
        '4321@1774365707.651050:virtio_mem_send_response type=0',
        '',
      ].join('\n'),
    );
    const a = await check([qemu]);
    assert.deepEqual(a.findings, []);
  });
});

describe('findings without a DOMAIN.md scenario of their own', () => {
  async function text(lines: string[]): Promise<Analysis> {
    const data = Buffer.from(`${lines.join('\n')}\n`);
    return analyze([
      {
        path: 'run.log',
        async *open() {
          yield data;
        },
      },
    ]);
  }

  const INIT = [
    '[    1.000000] virtio_mem virtio5: start address: 0x100000000',
    '[    1.000001] virtio_mem virtio5: region size: 0x100000000',
    '[    1.000002] virtio_mem virtio5: device block size: 0x200000',
    '[    1.000003] virtio_mem virtio5: memory block size: 0x8000000',
    '[    1.000004] virtio_mem virtio5: subblock size: 0x200000',
  ];

  it('HPL016: eight BUSY answers in a row are a retry storm', async () => {
    const busy = Array.from({ length: 8 }, (_, i) => [
      `[ ${100 + i * 50}.000000] virtio_mem virtio5: plugging memory: 0x100000000 - 0x107ffffff`,
      `[ ${100 + i * 50}.000100] virtio_mem virtio5: plugging memory failed: -26`,
    ]).flat();
    const a = await text([...INIT, ...busy]);
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.location.line]),
      [['HPL016', INIT.length + 16]],
    );
    assert.match(a.findings[0].message, /8 requests in a row were answered BUSY/);
  });

  it('HPL013: an accept of a whole memory block of which only part is plugged', async () => {
    const a = await text([
      ...INIT,
      // 32 of the 64 subblocks of memory block 32 are plugged, then the whole block fails to accept.
      '[   10.000000] virtio_mem virtio5: plugging memory: 0x100000000 - 0x103ffffff',
      '[   10.000100] virtio_mem virtio5: plugged size: 0x4000000',
      '[   10.000200] tdx: Failed to accept memory [0x100000000, 0x108000000)',
    ]);
    const codes = a.findings.map((f) => f.code);
    assert.ok(codes.includes('HPL013'), codes.join(' '));
    const hpl013 = a.findings.find((f) => f.code === 'HPL013');
    assert.match(hpl013?.message ?? '', /covers 32 unplugged subblocks/);
  });

  it('HPL012: a SEAMCALL failure with its status decoded, whatever the wording', async () => {
    const a = await text([
      '[90300.000300] kvm_intel: SEAMCALL TDH_MEM_PAGE_AUG failed: 0xc0000b0d00000001, rcx 0x108000000, rdx 0x0',
      '[90301.000000] virt/tdx: SEAMCALL (0x0000000000000010) failed: 0x8000020000000000',
    ]);
    assert.deepEqual(
      a.findings.map((f) => f.code),
      ['HPL012', 'HPL012'],
    );
    assert.match(a.findings[0].message, /TDX_EPT_ENTRY_STATE_INCORRECT \(operand RCX\)/);
    assert.match(a.findings[1].message, /TDX_OPERAND_BUSY/);
  });
});
