/**
 * A generated cross-version QEMU corpus: a line for every row of the QEMU error table (QEMU 7.2
 * to master, the wordings of test/helpers/qemu-cases.ts and the older rows' lines), each under
 * every prefix QEMU's reports carry, the error_setg() lines also as libvirt and Kata/containerd
 * relay them, and the crash records, all in one log with look-alikes between them. Every row
 * must be there, no line unparsed, and `recognized + ignored + unparsed = lines`.
 */
import { strict as assert } from 'node:assert';
import { qemuCrash } from '../../../src/core/sources/qemu-crash';
import { qemuErrors } from '../../../src/core/sources/qemu-errors';
import {
  bareSetg,
  QEMU_ASSERT_CASES,
  QEMU_CRASH_CASES,
  QEMU_FPRINTF_CASES,
  QEMU_GUEST_LOG_CASES,
  QEMU_LOOKALIKES,
  QEMU_REPORT_CASES,
  QEMU_SETG_CASES,
  QEMU_WARN_CASES,
  relayed,
} from '../../helpers/qemu-cases';
import { type Case, one, parseLines, QEMU_ERROR, QEMU_WARNING, show, type Variant } from '../../helpers/source-cases';

/** Lines of the rows that were read before (test/unit/sources/sources.test.ts has their decoded fields). */
const OLDER: readonly Case[] = [
  one('QE1', 'virtio-mem protocol violation: invalid request size: 16', { kind: 'qemu.error', rule: 'QE1' }),
  one('QE3', 'Could not detect THP size, falling back to 2  MiB.', { kind: 'qemu.error', rule: 'QE3' }),
  one('QE5', "'block-size' property is smaller than the default block size (2 MiB)", { kind: 'qemu.error', rule: 'QE5' }),
  one('QE7', 'virtio_mem_rdm_register_listener: Replaying plugged ranges failed: Invalid argument', { kind: 'qemu.error', rule: 'QE7' }),
  one('QE8', "Property 'block-size' changed from 0x200000 to 0x400000", { kind: 'qemu.error', rule: 'QE8' }),
  one('KE3', 'kvm_set_phys_mem: failed to set memory attribute private: Invalid argument', { kind: 'qemu.error', rule: 'KE3' }),
  one('KE4', 'ram_block_discard_range: Failed to discard range vmem0:8000000 +200000 (-22)', { kind: 'qemu.error', rule: 'KE4' }),
  one('KE4b', 'ram_block_discard_range: Discarding RAM in private file mappings is possibly dangerous, because it will modify the underlying file and will affect other users of the file', { kind: 'qemu.error', rule: 'KE4b' }),
  one('KE5', 'ram_block_discard_guest_memfd_range: Failed to fallocate vmem0:8000000 +200000 (-22)', { kind: 'qemu.error', rule: 'KE5' }),
  one('KE6', 'ram_block_attributes_state_change, invalid range: offset 0x8000000, size 0x1000', { kind: 'qemu.error', rule: 'KE6' }),
  one('KE7', 'cannot set up private guest memory: discard currently blocked: Operation not permitted', { kind: 'qemu.error', rule: 'KE7' }),
  one('KE8', 'error: kvm run failed Input/output error', { kind: 'qemu.kvmRunFailed', rule: 'KE8' }),
];

const REPORTED: readonly Case[] = [...QEMU_SETG_CASES, ...QEMU_REPORT_CASES, ...QEMU_FPRINTF_CASES, ...QEMU_WARN_CASES, ...QEMU_GUEST_LOG_CASES, ...OLDER];
const RELAYED: readonly Case[] = QEMU_SETG_CASES.map(bareSetg);
const CRASHES: readonly Case[] = [...QEMU_CRASH_CASES, ...QEMU_ASSERT_CASES.map((c) => ({ ...c, lines: [`qemu-system-x86_64: ${c.lines[0]}`, ...c.lines.slice(1)] }))];

/** The corpus under one QEMU prefix style: each case, then a look-alike. */
function corpus(v: Variant): { lines: string[]; cases: Case[] } {
  const lines: string[] = [];
  const cases: Case[] = [];
  const add = (c: Case, first: (l: string) => string): void => {
    lines.push(first(c.lines[0]), ...c.lines.slice(1));
    lines.push(QEMU_LOOKALIKES[cases.length % QEMU_LOOKALIKES.length]);
    cases.push(c);
  };
  for (const c of REPORTED) add(c, v.first);
  relayed('device_add').forEach((relay, i) => add(RELAYED[i % RELAYED.length], relay.first));
  for (const c of CRASHES) add(c, (l) => l);
  return { lines, cases };
}

describe('QEMU corpus: every row of the QEMU error table and the crash record', () => {
  it('has a line for each', async () => {
    const { events } = await parseLines(corpus(QEMU_ERROR[0]).lines);
    const rules = new Set(events.map((e) => e.rule));
    assert.deepEqual(qemuErrors.rows.map((r) => r.id).filter((id) => !rules.has(id)), [], 'rows without a corpus line');
    const rows = new Set(CRASHES.flatMap((c) => c.lines).flatMap((l) => qemuCrash.rows.filter((r) => r.pattern.test(l.replace(/^qemu-system-x86_64: /, ''))).map((r) => r.id)));
    assert.deepEqual(qemuCrash.rows.map((r) => r.id).filter((id) => !rows.has(id)), [], 'crash rows without a corpus line');
  });
});

describe('QEMU corpus: all rows in one log, under every QEMU prefix style', () => {
  for (const v of [...QEMU_ERROR, ...QEMU_WARNING.map((w) => ({ ...w, name: `${w.name}, warning: ` }))]) {
    it(v.name, async () => {
      const { lines, cases } = corpus(v);
      const { events, summary } = await parseLines(lines, v.eol);
      assert.equal(summary.unparsed, 0, `unparsed ${show(summary.unparsedLines)}`);
      assert.equal(summary.lines, lines.length);
      assert.equal(summary.recognized + summary.ignored + summary.unparsed, summary.lines);
      assert.equal(summary.ignored, cases.length, 'the look-alikes, and only they, are ignored');
      assert.deepEqual(
        events.map((e) => `${e.kind} ${e.rule}`),
        cases.flatMap((c) => c.events.map((f) => `${String(f.kind)} ${String(f.rule)}`)),
      );
    });
  }
});
