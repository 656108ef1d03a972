/**
 * The scenario generator (src/core/scenario/simulate.ts): every example scenario yields logs
 * that the real ingestion engine reads with no unparsed line, holding the events the scenario
 * is about, in order; the same seed gives the same bytes.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { drain } from '../../../src/core/drain';
import type { HotplugEvent } from '../../../src/core/events';
import { ingestAll } from '../../../src/core/ingest';
import type { LogName } from '../../../src/core/scenario/logs';
import { parseScenario } from '../../../src/core/scenario/parse';
import { simulate, type SimulationResult } from '../../../src/core/scenario/simulate';

/** The repository root: this file runs as out/test/unit/scenario-simulate.test.js. */
const ROOT = join(__dirname, '..', '..', '..', '..');
const EXAMPLES = join(ROOT, 'examples', 'scenarios');
const LOGS: readonly LogName[] = ['guest', 'qemu', 'host'];
const MB = 0x8000000n;
const REGION = 0x100000000n;

interface Run {
  text: Record<LogName, string>;
  events: Record<LogName, HotplugEvent[]>;
  result: SimulationResult;
}

/** Runs a scenario, checks that every log line is read, and returns the logs and their events. */
async function run(scenario: string): Promise<Run> {
  const text: Record<LogName, string> = { guest: '', qemu: '', host: '' };
  const result = await drain(simulate(parseScenario(scenario)), (chunk) => {
    for (const log of LOGS) text[log] += chunk[log];
  });
  const events: Record<LogName, HotplugEvent[]> = { guest: [], qemu: [], host: [] };
  for (const [index, log] of LOGS.entries()) {
    const bytes = Buffer.from(text[log]);
    // Two chunks cut mid-line, as a reader would hand them out.
    const source = { path: `${log}.log`, open: async function* () { yield bytes.subarray(0, bytes.length >> 1); yield bytes.subarray(bytes.length >> 1); } };
    const summary = await ingestAll(source, index, (e) => events[log].push(e));
    const lines = text[log] === '' ? 0 : text[log].split('\n').length - 1;
    assert.equal(summary.lines, lines, `${log}.log: every line counted`);
    assert.deepEqual(summary.unparsedLines, [], `${log}.log: no unparsed line`);
    assert.equal(summary.unparsed, 0);
    assert.equal(summary.ignored, 0, `${log}.log: every line is one of ours`);
    assert.equal(result.lines[log], lines, `${log}.log: the result counts its lines`);
  }
  return { text, events, result };
}

const example = (name: string): string => readFileSync(join(EXAMPLES, name), 'utf8');
const ofKind = <K extends HotplugEvent['kind']>(events: HotplugEvent[], kind: K): Array<HotplugEvent & { kind: K }> =>
  events.filter((e): e is HotplugEvent & { kind: K } => e.kind === kind);
const rules = (events: HotplugEvent[]): string[] => events.map((e) => e.rule);

/** Asserts that `wanted` occurs in `seen` in this order (other items may come between). */
function assertInOrder(seen: readonly string[], wanted: readonly string[]): void {
  let at = 0;
  for (const item of wanted) {
    const found = seen.indexOf(item, at);
    assert.ok(found >= 0, `'${item}' after position ${at} in ${JSON.stringify(seen.slice(at, at + 40))}`);
    at = found + 1;
  }
}

describe('scenario: generator', function () {
  this.timeout(60_000);

  it('has an example for every case the language was made for', () => {
    const names = readdirSync(EXAMPLES);
    for (const name of ['tdx-replug-no-discard.scn', 'tdx-replug-fixed-vmm.scn', 'plain-guest-cycles.scn', 'snp-replug-no-discard.scn', 'mainline-driver-in-td.scn']) {
      assert.ok(names.includes(name), name);
    }
  });

  it('every example scenario yields logs read with no unparsed line', async () => {
    for (const name of readdirSync(EXAMPLES).filter((n) => n.endsWith('.scn'))) {
      const { events } = await run(example(name));
      assert.ok(events.guest.length > 0, `${name}: guest events`);
    }
  });

  it('tdx-replug-no-discard: re-accepting stale private memory fails once per block, inside the range plugged before (F3, §4.6)', async () => {
    const { events, text } = await run(example('tdx-replug-no-discard.scn'));
    const failed = ofKind(events.guest, 'tdx.acceptFailed');
    assert.equal(failed.length, 8, 'eight lines, like the captured log');
    failed.forEach((e, i) => {
      assert.equal(e.start, 0x108000000n + BigInt(i) * MB);
      assert.equal(e.end, e.start + MB);
      assert.ok(e.start >= REGION && e.end <= REGION + 16n * MB, 'inside the 2 GiB plugged first');
    });
    // The guest sees the plugged size left by the unmovable part, then the failures.
    const sizes = ofKind(events.guest, 'vmem.size').map((e) => `${e.which}=${e.size.toString(16)}`);
    assert.deepEqual(sizes, ['plugged=0', 'requested=0', 'plugged=0', 'requested=80000000', 'plugged=80000000', 'requested=0', 'plugged=2e00000', 'requested=80000000']);
    assertInOrder(rules(events.guest), ['T12', 'V1', 'V2', 'V3', 'V4', 'V9', 'V10', 'V15', 'V16', 'V15', 'V16', 'V15', 'V16', 'V15', 'V16', 'T2']);
    // QEMU 9.2 discards with the old trace name only.
    const discards = ofKind(events.qemu, 'qemu.discard');
    assert.ok(discards.length > 0);
    assert.ok(discards.every((d) => d.rule === 'P1' && d.variant === 'range' && d.ramBlock === 'vmem0'));
    assert.equal(discards[0].length, MB, 'a whole block first');
    assert.equal(discards[0].hostAddr, 0x7f5a48000000n + 15n * MB);
    // Q6 without separator, with the 256 MiB extent; Q-9.2 `TID@sec.usec:` stamps.
    assert.match(text.qemu, /^\d+@\d+\.\d{6}:virtio_mem_resized_usable_region old_size=0x0new_size=0x90000000$/m);
    const requests = ofKind(events.qemu, 'qemu.vmem.request');
    const replug = requests.findIndex((r) => r.op === 'plug' && r.nbBlocks === 41);
    assert.equal(requests[replug].addr, 0x102e00000n, 'the rest of the first block goes back in first');
    assert.deepEqual(
      requests.slice(replug + 1).map((r) => r.addr),
      failed.map((f) => f.start),
      'one PLUG per failed block, nothing after the offline threshold',
    );
    assert.equal(ofKind(events.qemu, 'qemu.mapGpa').length, 0, 'the notifier patch accepts without MapGPA');
  });

  it('tdx-replug-fixed-vmm: the same cycle on QEMU master is clean, with the renamed discard (F5)', async () => {
    const { events } = await run(example('tdx-replug-fixed-vmm.scn'));
    assert.equal(ofKind(events.guest, 'tdx.acceptFailed').length, 0);
    const discards = ofKind(events.qemu, 'qemu.discard');
    assert.ok(discards.length > 0 && discards.every((d) => d.rule === 'P2' && d.variant === 'shared-range'));
    const responses = ofKind(events.qemu, 'qemu.vmem.response');
    assert.ok(responses.every((r) => r.type === 0));
    const plugs = ofKind(events.qemu, 'qemu.vmem.request').filter((r) => r.op === 'plug');
    assert.equal(plugs.length, 16 + 1 + 15, 'all of it plugged again');
  });

  it('plain-guest-cycles: every driver request shows on both sides, answered ACK', async () => {
    const { events } = await run(example('plain-guest-cycles.scn'));
    const driver = ofKind(events.guest, 'vmem.range').filter((e) => e.op === 'plug' || e.op === 'unplug');
    const device = ofKind(events.qemu, 'qemu.vmem.request');
    assert.equal(driver.length, device.length);
    driver.forEach((d, i) => {
      assert.equal(device[i].op, d.op);
      assert.equal(device[i].addr, d.start);
      assert.equal(BigInt(device[i].nbBlocks as number) * 0x200000n, d.end - d.start);
    });
    assert.ok(ofKind(events.qemu, 'qemu.vmem.response').every((r) => r.type === 0));
    assert.deepEqual(
      [...new Set(events.qemu.map((e) => e.kind))].sort(),
      ['qemu.discard', 'qemu.vmem.request', 'qemu.vmem.resized', 'qemu.vmem.response'],
      'no conversion traces for a plain guest',
    );
    assert.deepEqual(events.host, []);
    // Adds follow plugs of new blocks; emptied online blocks are offlined and removed.
    assertInOrder(rules(events.guest), ['V18', 'V25', 'V20', 'V28']);
    const last = ofKind(events.guest, 'vmem.size').slice(-2);
    assert.deepEqual(
      last.map((e) => e.size),
      [130n * 0x100000n, 0n],
    );
  });

  it('snp-replug-no-discard: the second PVALIDATE of still-validated memory terminates the guest (F17)', async () => {
    const { events, result } = await run(example('snp-replug-no-discard.scn'));
    const [failure] = ofKind(events.guest, 'snp.pvalidateFailed');
    assert.deepEqual({ pfn: failure.pfn, action: failure.action, pageSize: failure.pageSize, ret: failure.ret }, { pfn: 0x108000n, action: 1, pageSize: 0, ret: 255 });
    const [splat] = ofKind(events.guest, 'kernel.splat');
    assert.equal(splat.func, 'pval_terminate');
    assert.equal(splat.file, 'arch/x86/coco/sev/core.c');
    assert.equal(result.stop?.line, 17);
    assert.match(result.stop?.reason ?? '', /PVALIDATE/);
    // The last QEMU lines are the conversion of the first 2 MiB that failed; nothing after.
    assert.deepEqual(rules(events.qemu).slice(-5), ['Q2', 'Q1', 'K-Q1', 'K-Q2', 'P1']);
    assert.equal(ofKind(events.qemu, 'qemu.mapGpa').at(-1)?.gpa, 0x108000000n);
  });

  it('mainline-driver-in-td: plugged memory is used unaccepted, the TD dies (F1)', async () => {
    const { events, result } = await run(example('mainline-driver-in-td.scn'));
    assert.deepEqual(
      events.host.map((e) => e.kind),
      ['kvm.accessBeforeAccept'],
    );
    const [k1] = ofKind(events.host, 'kvm.accessBeforeAccept');
    assert.equal(k1.gpa, 0x100a3c000n);
    assertInOrder(rules(events.qemu), ['Q6', 'Q2', 'Q1', 'KE8', 'KE8-dump']);
    assert.equal(ofKind(events.qemu, 'qemu.mapGpa').length, 0, 'the mainline driver never converts');
    assertInOrder(rules(events.guest), ['V15', 'V16', 'V18', 'V25']);
    assert.equal(result.stop?.line, 13);
    assert.equal(ofKind(events.qemu, 'qemu.vmem.request').length, 1, 'the resize after the crash does nothing');
  });

  it('coco-rfc-no-discard: the re-plug converts, the accept fails, the CPA warning once (F4)', async () => {
    const { events } = await run(example('coco-rfc-no-discard.scn'));
    const cpa = ofKind(events.guest, 'cpa.failure');
    assert.equal(cpa.length, 1, 'WARN_ONCE');
    assert.deepEqual({ numPages: cpa[0].numPages, to: cpa[0].to, errno: cpa[0].errno }, { numPages: 32768, to: 'private', errno: -5 });
    assert.match(cpa[0].hashedAddr, /^00000000[0-9a-f]{8}$/);
    assert.deepEqual(
      ofKind(events.guest, 'mm.onlineFailed').map((e) => e.start),
      [0x100000000n, 0x108000000n],
      'both stale blocks stay offline, the fresh ones come online',
    );
    assertInOrder(rules(events.guest), ['V20', 'V28', 'V20', 'V28', 'V18', 'V25', 'splat', 'T1', 'M1', 'V18', 'V25', 'M1', 'V18', 'V25', 'V18', 'V25']);
    // The MapGPA burst of the failed block: 64 pairs to private, each with the shared-side discard.
    const converts = ofKind(events.qemu, 'qemu.convert').filter((c) => c.start >= 0x108000000n && c.start < 0x110000000n);
    assert.equal(converts.length, 64 * 2, 'converted at the first plug and again at the re-plug');
    assert.ok(converts.every((c) => c.to === 'private' && c.size === 0x200000n));
  });

  it('coco-rfc-migration-busy: BUSY answers, conversion back to private, retries after 50, 100, 200 s (F7, F12)', async () => {
    const { events } = await run(example('coco-rfc-migration-busy.scn'));
    const unplugs = ofKind(events.qemu, 'qemu.vmem.request').filter((r) => r.op === 'unplug' && r.addr === 0x107e00000n);
    assert.equal(unplugs.length, 4);
    const gaps = unplugs.slice(1).map((u, i) => Math.round(((u.time?.micros ?? 0) - (unplugs[i].time?.micros ?? 0)) / 1e6));
    assert.deepEqual(gaps, [50, 100, 200]);
    assert.deepEqual(
      ofKind(events.qemu, 'qemu.vmem.response').map((r) => r.type).filter((t) => t !== 0),
      [2, 2, 2],
    );
    assert.deepEqual(
      ofKind(events.guest, 'vmem.opFailed').map((e) => `${e.op} ${e.errno}`),
      ['unplug -26', 'unplug -26', 'unplug -26'],
    );
    // Each attempt converts to shared first; a BUSY answer converts back to private.
    const around = ofKind(events.qemu, 'qemu.mapGpa').filter((m) => m.gpa === 0x107e00000n).map((m) => m.attributes);
    assert.deepEqual(around.slice(1, 8), [0x0n, 0x10n, 0x0n, 0x10n, 0x0n, 0x10n, 0x0n]);
  });

  it('kexec-unplug-all: the new kernel unplugs everything at probe, then the re-plug fails (F13)', async () => {
    const { events } = await run(example('kexec-unplug-all.scn'));
    assertInOrder(rules(events.guest), ['T12', 'V15', 'V16', 'V18', 'V25', 'T12', 'V1', 'V12', 'V22', 'V15', 'V16', 'V18', 'V25', 'T2', 'M1']);
    assertInOrder(rules(events.qemu), ['Q6', 'Q2', 'Q1', 'Q5', 'P1', 'Q4', 'Q6', 'Q1', 'Q2', 'Q1']);
    const whole = ofKind(events.qemu, 'qemu.discard');
    assert.equal(whole.at(-1)?.length, REGION, 'UNPLUG_ALL discards the whole region');
    const [failed] = ofKind(events.guest, 'tdx.acceptFailed');
    assert.equal(failed.start, REGION);
    // The second boot's dmesg starts again near 0.
    const stamps = ofKind(events.guest, 'tdx.guestDetected').map((e) => e.time?.micros ?? -1);
    assert.ok(stamps.every((t) => t >= 0 && t < 1000));
  });

  it('release-rfc-no-discard: releasing before UNPLUG survives the buggy VMM', async () => {
    const { events } = await run(example('release-rfc-no-discard.scn'));
    assert.equal(ofKind(events.guest, 'tdx.acceptFailed').length, 0);
    assert.equal(ofKind(events.guest, 'tdx.releaseFailed').length, 0);
    assert.ok(ofKind(events.qemu, 'qemu.discard').every((d) => d.rule === 'P1'));
    assert.equal(ofKind(events.qemu, 'qemu.vmem.request').filter((r) => r.op === 'plug').length, 16);
  });

  it('admin-offline-online: onlining again converts and re-accepts: CPA warning, block offline (F6)', async () => {
    const { events } = await run(example('admin-offline-online.scn'));
    const [splat] = ofKind(events.guest, 'kernel.splat');
    assert.equal(splat.func, '__set_memory_enc_pgtable');
    assert.equal(ofKind(events.guest, 'cpa.failure').length, 1);
    const [m1] = ofKind(events.guest, 'mm.onlineFailed');
    assert.deepEqual([m1.start, m1.end], [0x108000000n, 0x110000000n]);
  });

  it('touch-after-unplug: touching discarded memory kills the TD (F15)', async () => {
    const { events } = await run(example('touch-after-unplug.scn'));
    assertInOrder(rules(events.qemu), ['Q3', 'P2', 'Q1', 'KE8']);
    const [k1] = ofKind(events.host, 'kvm.accessBeforeAccept');
    assert.equal(k1.gpa, 0x107e01000n);
  });

  it('a stale page touched on a VMM that kept it reads silently: no line at all (i4)', async () => {
    const scenario = example('touch-after-unplug.scn').replace('driver coco-rfc', 'driver coco-rfc\nvmm discard-private=no');
    const { events, result } = await run(scenario);
    assert.deepEqual(events.host, []);
    assert.equal(result.stop, undefined);
  });

  it('the notifier patch leaves subblocks plugged into an online block unaccepted', async () => {
    const { events } = await run(`${example('tdx-replug-fixed-vmm.scn')}\ntouch 0x102e00000\n`);
    assert.equal(ofKind(events.host, 'kvm.accessBeforeAccept')[0]?.gpa, 0x102e00000n);
  });

  it('release-rfc: a failed release prints T4 and breaks the driver (F18)', async () => {
    const { events, result } = await run('guest tdx\ndriver release-rfc\nvmm page-release=no\nresize 128M\nresize 126M\nresize 0\n');
    assert.deepEqual(
      events.guest.slice(-4).map((e) => e.rule),
      ['V15', 'V16', 'T4', 'V31'],
      'nothing after the driver broke: no V15/V16 for the last resize',
    );
    const [t4] = ofKind(events.guest, 'tdx.releaseFailed');
    assert.deepEqual([t4.start, t4.end], [0x107e00000n, 0x108000000n]);
    assert.equal(ofKind(events.guest, 'vmem.broken')[0].errno, -22);
    assert.deepEqual(result.broken, { errno: -22, line: 5 });
    assert.equal(ofKind(events.qemu, 'qemu.vmem.request').filter((r) => r.op === 'unplug').length, 0, 'no UNPLUG is sent');
  });

  it('release-rfc: accepting stale memory after a kexec fails right after the PLUG (T3)', async () => {
    const { events, result } = await run('guest tdx\ndriver release-rfc\nvmm discard-private=no\nresize 128M\nreboot\n');
    assertInOrder(rules(events.guest), ['V12', 'V15', 'V16', 'T2', 'V31']);
    assert.equal(ofKind(events.guest, 'vmem.broken')[0].errno, -5);
    assert.deepEqual(result.broken, { errno: -5, line: 5 });
    // The accept failed on the first page: the range is unplugged again.
    assertInOrder(rules(events.qemu), ['Q5', 'Q4', 'Q6', 'Q1', 'Q2', 'Q1', 'Q3', 'P1', 'Q1']);
  });

  it('Big Block Mode: whole big blocks, offlined and removed before the UNPLUG', async () => {
    const { events } = await run('device virtio3 at 0x200000000 size 2G block 2M bbm\nlog dynamic-debug=on\nresize 512M\nresize 256M\n');
    assertInOrder(rules(events.guest), ['V11', 'V18', 'V25', 'V18', 'V25', 'V28', 'V20']);
    const [big] = ofKind(events.guest, 'vmem.geometry').filter((e) => e.field === 'bigBlockSize');
    assert.equal(big.value, MB);
    const unplugs = ofKind(events.qemu, 'qemu.vmem.request').filter((r) => r.op === 'unplug');
    assert.deepEqual(
      unplugs.map((u) => u.addr),
      [0x218000000n, 0x210000000n],
    );
  });

  it('renders every timestamp variant the parser reads, with the same events', async () => {
    const base = example('tdx-replug-no-discard.scn').replace('log qemu-timestamps=tid', '');
    const kinds = (r: Run): string[] => LOGS.flatMap((log) => r.events[log].map((e) => e.kind));
    const reference = kinds(await run(base));
    for (const guest of ['dmesg', 'dmesg-T', 'syslog', 'none']) {
      for (const qemu of ['iso', 'tid', 'none']) {
        const variant = await run(`log guest-timestamps=${guest} qemu-timestamps=${qemu}\n${base}`);
        assert.deepEqual(kinds(variant), reference, `${guest} / ${qemu}`);
        const sample = variant.text.guest.split('\n')[9];
        if (guest === 'dmesg-T') assert.match(sample, /^\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d 2026\] virtio_mem/);
        if (guest === 'syslog') assert.match(sample, /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d guest kernel: virtio_mem/);
        if (guest === 'none') assert.match(sample, /^virtio_mem virtio5: /);
      }
    }
  });

  it('hides what the log settings hide, from the statement on', async () => {
    const { events } = await run('guest tdx\nlog qemu-trace=off host=off\nresize 128M\ntouch 0x100000000\n');
    assert.deepEqual(events.host, []);
    assert.deepEqual([...new Set(events.qemu.map((e) => e.rule))], ['KE8', 'KE8-dump'], 'QEMU stderr stays');
    const later = await run('log dynamic-debug=off\nresize 128M\nlog dynamic-debug=on\nresize 256M\n');
    assert.deepEqual(
      ofKind(later.events.guest, 'vmem.range').map((e) => e.start),
      [0x108000000n, 0x108000000n],
      'debug lines only after the log statement',
    );
  });

  it('gives the same bytes for the same seed, other timestamps for another seed', async () => {
    const text = example('coco-rfc-no-discard.scn');
    const a = await run(text);
    const b = await run(text);
    for (const log of LOGS) assert.equal(a.text[log], b.text[log], log);
    const c = await run(text.replace('seed 900', 'seed 901'));
    assert.notEqual(c.text.qemu, a.text.qemu);
    assert.deepEqual(
      c.events.qemu.map((e) => e.rule),
      a.events.qemu.map((e) => e.rule),
      'the same events',
    );
  });

  it('keeps the three clocks consistent: QEMU wall time = boot time + guest seconds', async () => {
    const { events } = await run('resize 128M\nwait 100\nresize 256M\n');
    const guestV16 = ofKind(events.guest, 'vmem.size').filter((e) => e.which === 'requested').slice(1);
    const q6 = ofKind(events.qemu, 'qemu.vmem.resized');
    assert.equal(guestV16.length, q6.length);
    const offsets = q6.map((q, i) => (q.time?.micros ?? 0) - (guestV16[i].time?.micros ?? 0));
    const base = Date.UTC(2026, 2, 24, 15, 0, 0) * 1000;
    for (const offset of offsets) assert.ok(Math.abs(offset - base) < 5000, `${offset - base} µs off`);
  });
});
