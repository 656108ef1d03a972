/**
 * Properties of the whole analysis (merge → analyzer → model → report) on generated logs:
 * it never throws, every finding is well-formed and placed inside its input, the findings are
 * deterministic, and unrelated devices analysed together give the union of their analyses.
 *
 * The logs are built from real line templates (guest dmesg, QEMU trace, host dmesg) with
 * random addresses and sizes, shuffled, duplicated and truncated.
 */
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { type Analysis, analyze } from '../../../src/core/analyze';
import { CATALOG } from '../../../src/core/diagnose/catalog';
import type { Finding } from '../../../src/core/diagnose/finding';
import type { InputSource } from '../../../src/core/ingest';
import { memorySource, utf8 } from '../../helpers/bytes';

const SEVERITIES = new Set(['error', 'warning', 'info']);
const CAUSES = new Set(['vmm', 'host-kernel', 'tdx-module', 'snp-firmware', 'guest-kernel', 'config', 'log', 'unknown']);
const CONFIDENCES = new Set(['certain', 'likely', 'possible']);

const MiB = 1n << 20n;
const GiB = 1n << 30n;
const SB = 2n * MiB;

/** `PROPERTY_SCALE=20 npx mocha …` runs every property 20 times as often (bug hunting). */
const SCALE = Math.max(1, Number(process.env.PROPERTY_SCALE ?? '1') || 1);
const runs = (n: number): number => Math.round(n * SCALE);

const hex = (v: bigint): string => `0x${v.toString(16)}`;

/** A value for JSON.stringify with bigints as hex strings. */
function json(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? hex(v) : v));
}

function source(path: string, lines: readonly string[], sizes: readonly number[] = [1 << 16]): InputSource {
  return memorySource(path, utf8(lines.length > 0 ? `${lines.join('\n')}\n` : ''), sizes);
}

// ---------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------

const REGION5 = 0x100000000n;
const REGION6 = 0x800000000n;
const REGION_SIZE = 4n * GiB;

/**
 * Addresses the model must cope with while staying bounded (≤ 64 GiB): subblock-aligned and
 * unaligned addresses inside the region, its edges, far below and far above it.
 */
function addressArb(base: bigint, span: bigint): fc.Arbitrary<bigint> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.bigInt({ min: 0n, max: span / SB - 1n }).map((i) => base + i * SB) },
    { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: span - 1n }).map((o) => base + o) },
    { weight: 1, arbitrary: fc.constantFrom(0n, 0x1000n, base - SB, base - 1n, base + span, base + span + 128n * MiB) },
    { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 1n << 36n }) },
  );
}

/** Lengths: zero, one page, a subblock, a memory block, a few subblocks, random (≤ 1 GiB). */
const lengthArb: fc.Arbitrary<bigint> = fc.oneof(
  fc.constantFrom(0n, 0x1000n, SB, 128n * MiB),
  fc.bigInt({ min: 1n, max: 64n }).map((n) => n * SB),
  fc.bigInt({ min: 1n, max: GiB }),
);

/** Sizes for `plugged size` / `requested size`: bounded by twice the region. */
const deviceSizeArb: fc.Arbitrary<bigint> = fc.oneof(
  fc.constantFrom(0n, SB, 0x2e00000n, 2n * GiB, REGION_SIZE),
  fc.bigInt({ min: 0n, max: 2n * REGION_SIZE / SB }).map((n) => n * SB),
  fc.bigInt({ min: 0n, max: 2n * REGION_SIZE }),
);

/** Values no real log has but a corrupted or hand-edited one may: 2^64 − 1, 2^63, 2^52, 2^46, a TiB. */
const hugeArb: fc.Arbitrary<bigint> = fc.constantFrom((1n << 64n) - 1n, 1n << 63n, 1n << 52n, 1n << 46n, 1n << 40n);

// ---------------------------------------------------------------------------------------
// Lines
// ---------------------------------------------------------------------------------------

type Kind = 'guest' | 'qemu' | 'host';
interface Rec {
  kind: Kind;
  text: string;
}

/** Envelopes: a guest dmesg stamp, a QEMU trace `TID@epoch:`, a host syslog line. */
function envelope(kind: Kind, t: number, text: string): string {
  const sec = Math.floor(t / 1e6);
  const usec = String(t % 1e6).padStart(6, '0');
  if (kind === 'guest') return `[${String(sec).padStart(5)}.${usec}] ${text}`;
  if (kind === 'qemu') return `4321@${1774365000 + sec}.${usec}:${text}`;
  return `[${String(sec).padStart(5)}.${usec}] ${text}`;
}

interface Values {
  addr: fc.Arbitrary<bigint>;
  len: fc.Arbitrary<bigint>;
  size: fc.Arbitrary<bigint>;
  blocks: fc.Arbitrary<number>;
}

function boundedValues(base: bigint): Values {
  return {
    addr: addressArb(base, REGION_SIZE),
    len: lengthArb,
    size: deviceSizeArb,
    blocks: fc.oneof(fc.constantFrom(0, 1, 64), fc.integer({ min: 0, max: 4096 })),
  };
}

/** The event templates of every kind of input, for device `dev`. */
function templates(dev: string, v: Values): Array<fc.Arbitrary<Rec>> {
  const g = (a: fc.Arbitrary<string>): fc.Arbitrary<Rec> => a.map((text) => ({ kind: 'guest' as const, text }));
  const q = (a: fc.Arbitrary<string>): fc.Arbitrary<Rec> => a.map((text) => ({ kind: 'qemu' as const, text }));
  const h = (a: fc.Arbitrary<string>): fc.Arbitrary<Rec> => a.map((text) => ({ kind: 'host' as const, text }));
  const range = fc.tuple(v.addr, v.len);
  const inclusive = range.map(([a, l]) => `${hex(a)} - ${hex(l === 0n ? a : a + l - 1n)}`);
  const exclusive = range.map(([a, l]) => `[${hex(a)}, ${hex(a + l)})`);
  return [
    g(v.size.map((s) => `virtio_mem ${dev}: plugged size: ${hex(s)}`)),
    g(v.size.map((s) => `virtio_mem ${dev}: requested size: ${hex(s)}`)),
    g(inclusive.map((r) => `virtio_mem ${dev}: plugging memory: ${r}`)),
    g(inclusive.map((r) => `virtio_mem ${dev}: unplugging memory: ${r}`)),
    g(inclusive.map((r) => `virtio_mem ${dev}: adding memory: ${r}`)),
    g(inclusive.map((r) => `virtio_mem ${dev}: offlining and removing memory: ${r}`)),
    g(fc.constantFrom('plugging memory', 'unplugging memory', 'unplugging all memory').chain((op) =>
      fc.constantFrom(-22, -26, -11, -12).map((e) => `virtio_mem ${dev}: ${op} failed: ${e}`),
    )),
    g(fc.constant(`virtio_mem ${dev}: unplugging all memory`)),
    g(exclusive.map((r) => `tdx: Failed to accept memory ${r}`)),
    g(exclusive.map((r) => `tdx: Failed to release memory ${r}`)),
    g(
      fc
        .tuple(fc.integer({ min: 0, max: 1 << 20 }), fc.constantFrom('private: -5', 'shared: -5', 'private.', 'private: -22'))
        .map(([n, to]) => `CPA VMM failure to convert memory (addr=00000000b3f1a7c4, numpages=${n}) to ${to}`),
    ),
    g(fc.constantFrom(-22, -5, -12, 0).map((e) => `virtio_mem ${dev}: unknown error, marking device broken: ${e}`)),
    g(fc.constant(`virtio_mem ${dev}: CoCo set_encrypted failed, leaking memory`)),
    g(fc.constantFrom('Kernel panic - not syncing: Unexpected EPT-violation on private memory.', 'Kernel panic - not syncing: Fatal exception')),
    g(v.addr.map((a) => `PVALIDATE failure: pfn ${hex(a >> 12n)}, action=1, size=0 - ret=255`)),
    g(fc.constant('tdx: Guest detected')),
    q(fc.tuple(v.addr, v.blocks).map(([a, n]) => `virtio_mem_plug_request addr=${hex(a)} nb_blocks=${n}`)),
    q(fc.tuple(v.addr, v.blocks).map(([a, n]) => `virtio_mem_unplug_request addr=${hex(a)} nb_blocks=${n}`)),
    q(fc.constantFrom('virtio_mem_unplug_all_request', 'virtio_mem_unplugged_all')),
    q(fc.integer({ min: 0, max: 3 }).map((t) => `virtio_mem_send_response type=${t}`)),
    q(v.len.map((l) => `ram_block_discard_range vmem0@0x7f5ac0000000 + ${hex(l)}: madvise: 1 fallocate: 0 ret: 0`)),
    q(v.len.map((l) => `ram_block_discard_shared_range vmem0@0x7f5ac0000000 + ${hex(l)}: madvise: 1 fallocate: 0 ret: 0`)),
    q(
      fc
        .tuple(v.addr, v.len, fc.constantFrom('shared_to_private', 'private_to_shared'))
        .map(([a, l, d]) => `kvm_convert_memory start ${hex(a)} size ${hex(l)} ${d}`),
    ),
    q(fc.constant('error: kvm run failed Input/output error')),
    h(fc.tuple(v.addr, fc.integer({ min: 0, max: 255 })).map(([a, c]) => `kvm_intel: Guest access before accepting ${hex(a)} on vCPU ${c}`)),
    h(
      fc
        .tuple(fc.constantFrom('TDH_MEM_PAGE_AUG', 'TDH_MEM_PAGE_REMOVE', 'TDH_MEM_RANGE_BLOCK'), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }))
        .map(([fn, s]) => `kvm_intel: SEAMCALL ${fn} failed: ${hex(s)}`),
    ),
  ];
}

/**
 * Sequences that make the model's hazards happen (plug → accept → unplug without private
 * discard → re-plug → accept fails; offline → online; SNP re-validation; touch before accept),
 * over a memory-block-aligned range inside the region. They are mangled with the rest.
 */
function stories(dev: string, base: bigint): fc.Arbitrary<Rec[]> {
  const MB = 128n * MiB;
  const range = fc.tuple(fc.bigInt({ min: 0n, max: REGION_SIZE / MB - 2n }), fc.bigInt({ min: 1n, max: 2n })).map(([i, n]) => ({ start: base + i * MB, end: base + (i + n) * MB }));
  const g = (text: string): Rec => ({ kind: 'guest', text });
  const q = (text: string): Rec => ({ kind: 'qemu', text });
  const h = (text: string): Rec => ({ kind: 'host', text });
  const incl = (r: { start: bigint; end: bigint }) => `${hex(r.start)} - ${hex(r.end - 1n)}`;
  const blocks = (r: { start: bigint; end: bigint }) => Number((r.end - r.start) / SB);
  return fc.tuple(range, fc.constantFrom('replug', 'offline', 'snp', 'touch', 'converted'), fc.constantFrom('range', 'shared_range')).map(([r, story, discard]) => {
    const plug = [
      g(`virtio_mem ${dev}: plugging memory: ${incl(r)}`),
      q(`virtio_mem_plug_request addr=${hex(r.start)} nb_blocks=${blocks(r)}`),
      q('virtio_mem_send_response type=0'),
      q(`kvm_convert_memory start ${hex(r.start)} size ${hex(r.end - r.start)} shared_to_private`),
      g(`virtio_mem ${dev}: adding memory: ${incl(r)}`),
    ];
    const unplug = [
      g(`virtio_mem ${dev}: unplugging memory: ${incl(r)}`),
      q(`virtio_mem_unplug_request addr=${hex(r.start)} nb_blocks=${blocks(r)}`),
      q(`ram_block_discard_${discard} vmem0@0x7f5ac0000000 + ${hex(r.end - r.start)}: madvise: 1 fallocate: 0 ret: 0`),
      q('virtio_mem_send_response type=0'),
    ];
    switch (story) {
      case 'replug':
        return [...plug, ...unplug, ...plug.slice(0, 4), g(`tdx: Failed to accept memory [${hex(r.start)}, ${hex(r.end)})`)];
      case 'offline':
        return [...plug, g(`virtio_mem ${dev}: offlining and removing memory: ${incl(r)}`), g(`virtio_mem ${dev}: adding memory: ${incl(r)}`), g(`tdx: Failed to accept memory [${hex(r.start)}, ${hex(r.end)})`)];
      case 'snp':
        return [...plug, ...unplug, ...plug.slice(0, 3), g(`PVALIDATE failure: pfn ${hex(r.start >> 12n)}, action=1, size=0 - ret=255`)];
      case 'touch':
        return [...plug.slice(0, 3), h(`kvm_intel: Guest access before accepting ${hex(r.start + 0x1000n)} on vCPU 1`), q('error: kvm run failed Input/output error')];
      default:
        return [
          ...plug,
          q(`kvm_convert_memory start ${hex(r.start)} size ${hex(r.end - r.start)} private_to_shared`),
          ...unplug,
          ...plug.slice(0, 4),
          g(`CPA VMM failure to convert memory (addr=00000000b3f1a7c4, numpages=${blocks(r) * 512}) to private: -5`),
        ];
    }
  });
}

/** The driver's init lines, with sizes drawn by `size`. */
function initLines(dev: string, start: fc.Arbitrary<bigint>, size: fc.Arbitrary<bigint>): fc.Arbitrary<Rec[]> {
  return fc
    .tuple(start, size, size, size, size, fc.subarray(['start address', 'region size', 'device block size', 'memory block size', 'subblock size']))
    .map(([s, r, dbs, mbs, sbs, fields]) => {
      const value: Record<string, bigint> = {
        'start address': s,
        'region size': r,
        'device block size': dbs,
        'memory block size': mbs,
        'subblock size': sbs,
      };
      return fields.map((f) => ({ kind: 'guest' as const, text: `virtio_mem ${dev}: ${f}: ${hex(value[f])}` }));
    });
}

/**
 * Init lines as the driver prints them: in order, before the events, and `start address`
 * always with `region size` (printed together). The unbounded property drops these rules.
 */
function driverInitLines(dev: string, start: fc.Arbitrary<bigint>, size: fc.Arbitrary<bigint>): fc.Arbitrary<Rec[]> {
  return initLines(dev, start, size).map((recs) => {
    const has = (f: string) => recs.some((r) => r.text.includes(`: ${f}: `));
    return has('start address') && !has('region size') ? recs.filter((r) => !r.text.includes(': start address: ')) : recs;
  });
}

/** Realistic geometry sizes (powers of two from 2 MiB up to 1 GiB) and region starts. */
const geometrySizeArb = fc.integer({ min: 21, max: 30 }).map((s) => 1n << BigInt(s));
const regionStartArb = fc.oneof(fc.constant(REGION5), fc.integer({ min: 1, max: 32 }).map((n) => BigInt(n) * GiB));

interface LogCase {
  /** Per input kind, the lines of that input (only kinds that got lines are inputs). */
  files: Array<{ path: string; lines: string[] }>;
  sizes: readonly number[];
}

/** Random order, duplicates and a truncated tail, applied to a sequence of records. */
function mangle<T>(records: fc.Arbitrary<T[]>): fc.Arbitrary<T[]> {
  return records.chain((rs) =>
    fc.oneof(
      fc.constant(rs),
      fc.shuffledSubarray(rs, { minLength: rs.length, maxLength: rs.length }),
      fc.shuffledSubarray(rs),
      fc.array(fc.nat({ max: Math.max(0, rs.length - 1) }), { maxLength: 6 }).map((dups) => {
        const out = [...rs];
        for (const i of dups) if (rs.length > 0) out.splice(i, 0, rs[i]);
        return out;
      }),
      fc.nat({ max: rs.length }).map((n) => rs.slice(0, n)),
    ),
  );
}

/**
 * A log case: init lines and events, mangled (shuffled, duplicated, truncated) as a whole, or
 * with the init lines kept first and only the events mangled (`initFirst`).
 */
function logCaseArb(init: fc.Arbitrary<Rec[]>, events: fc.Arbitrary<Rec | Rec[]>, initFirst = false): fc.Arbitrary<LogCase> {
  const eventList = fc.array(events, { maxLength: 30 }).map((es) => es.flat());
  const records = initFirst
    ? fc.tuple(init, mangle(eventList)).map(([i, e]) => [...i, ...e])
    : mangle(fc.tuple(init, eventList).map(([i, e]) => [...i, ...e]));
  return fc
    .tuple(
      records,
      // A cut last line (a log copied while being written).
      fc.option(fc.nat({ max: 60 }), { nil: undefined }),
      fc.constantFrom<readonly number[]>([1 << 16], [7], [1, 3, 64]),
    )
    .map(([records, cut, sizes]) => {
      let t = 1_000_000;
      const perKind: Record<Kind, string[]> = { guest: [], qemu: [], host: [] };
      for (const r of records) {
        t += 1000 + (t % 7919);
        perKind[r.kind].push(envelope(r.kind, t, r.text));
      }
      const files = (['guest', 'qemu', 'host'] as const).filter((k) => perKind[k].length > 0).map((k) => ({ path: `${k}.log`, lines: perKind[k] }));
      if (cut !== undefined && files.length > 0) {
        const last = files[files.length - 1].lines;
        last[last.length - 1] = last[last.length - 1].slice(0, cut);
      }
      return { files, sizes };
    });
}

function sourcesOf(c: LogCase, sizes: readonly number[] = c.sizes): InputSource[] {
  return c.files.map((f) => source(f.path, f.lines, sizes));
}

function boundedCaseArb(): fc.Arbitrary<LogCase> {
  const devs = fc.constantFrom('virtio5', 'virtio6');
  const events = devs.chain((dev) => {
    const base = dev === 'virtio5' ? REGION5 : REGION6;
    const single: fc.Arbitrary<Rec | Rec[]> = fc.oneof(...templates(dev, boundedValues(base)));
    const story: fc.Arbitrary<Rec | Rec[]> = stories(dev, base);
    return fc.oneof({ weight: 8, arbitrary: single }, { weight: 1, arbitrary: story });
  });
  const init = fc
    .tuple(driverInitLines('virtio5', regionStartArb, geometrySizeArb), fc.option(driverInitLines('virtio6', fc.constant(REGION6), geometrySizeArb), { nil: undefined }))
    .map(([a, b]) => [...a, ...(b ?? [])]);
  return logCaseArb(init, events, true);
}

// ---------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------

function checkWellFormed(a: Analysis, lineCounts: readonly number[]): void {
  assert.equal(a.inputs.length, lineCounts.length);
  const paths = a.inputs.map((i) => i.path);
  const rootIds = new Set(a.rootCauses.map((r) => r.id));
  const within = (where: { input?: number; path: string; line: number }, what: string): void => {
    const index = paths.indexOf(where.path);
    assert.ok(index >= 0, `${what}: path ${where.path} is one of the inputs`);
    if (where.input !== undefined) assert.equal(paths[where.input], where.path, `${what}: input index and path agree`);
    assert.ok(Number.isInteger(where.line) && where.line >= 1 && where.line <= lineCounts[index], `${what}: line ${where.line} within 1..${lineCounts[index]} of ${where.path}`);
  };
  for (const f of a.findings) {
    const info = CATALOG.get(f.code);
    assert.ok(info, `known code ${f.code}`);
    assert.equal(f.name, info.name, `${f.code} name`);
    assert.equal(f.severity, info.severity, `${f.code} severity is the catalog's`);
    assert.ok(SEVERITIES.has(f.severity), `severity ${f.severity}`);
    assert.ok(CAUSES.has(f.cause), `cause ${f.cause}`);
    assert.ok(CONFIDENCES.has(f.confidence), `confidence ${f.confidence}`);
    assert.equal(typeof f.message, 'string');
    assert.ok(f.message.length > 0, 'a message');
    within(f.location, `${f.code} location`);
    for (const r of f.related) {
      within(r, `${f.code} related`);
      assert.ok(r.message.length > 0, 'related evidence has a message');
    }
    if (f.range) assert.ok(f.range.start <= f.range.end, `${f.code} range [${hex(f.range.start)}, ${hex(f.range.end)}) is not inverted`);
    assert.ok(rootIds.has(f.rootCause), `${f.code} grouped under a listed root cause`);
  }
  assert.equal(a.rootCauses.reduce((n, r) => n + r.findings.length, 0), a.findings.length, 'every finding under exactly one root cause');
  const count = (s: string) => a.findings.filter((f) => f.severity === s).length;
  assert.deepEqual(a.summary, { errors: count('error'), warnings: count('warning'), infos: count('info') });
}

async function analyzeCase(c: LogCase, sizes?: readonly number[]): Promise<Analysis> {
  return analyze(sourcesOf(c, sizes));
}

const lineCountsOf = (c: LogCase): number[] => c.files.map((f) => f.lines.length);

/** What identifies a finding across runs (no root-cause id, no input index). */
function findingView(f: Finding, shift = 0, path?: string) {
  return {
    code: f.code,
    device: f.device ?? null,
    range: f.range ? [hex(f.range.start), hex(f.range.end)] : null,
    message: f.message,
    line: f.location.line + shift,
    path: path ?? f.location.path,
    related: f.related.map((r) => ({ line: r.line + shift, message: r.message })),
  };
}

// ---------------------------------------------------------------------------------------
// (c) two unrelated devices
// ---------------------------------------------------------------------------------------

/** Guest lines of one device whose region is `[base, base + 4 GiB)`: init lines, then events in time order. */
function deviceLogArb(dev: string, base: bigint): fc.Arbitrary<string[]> {
  const inRegion = fc.bigInt({ min: 0n, max: REGION_SIZE / SB - 1n }).map((i) => base + i * SB);
  const rangeIn = fc.tuple(inRegion, fc.bigInt({ min: 1n, max: 128n })).map(([a, n]) => {
    const end = a + n * SB > base + REGION_SIZE ? base + REGION_SIZE : a + n * SB;
    return { start: a, end };
  });
  const size = fc.bigInt({ min: 0n, max: REGION_SIZE / SB }).map((n) => n * SB);
  const event = fc.oneof(
    size.map((s) => `virtio_mem ${dev}: plugged size: ${hex(s)}`),
    size.map((s) => `virtio_mem ${dev}: requested size: ${hex(s)}`),
    rangeIn.map((r) => `virtio_mem ${dev}: plugging memory: ${hex(r.start)} - ${hex(r.end - 1n)}`),
    rangeIn.map((r) => `virtio_mem ${dev}: unplugging memory: ${hex(r.start)} - ${hex(r.end - 1n)}`),
    rangeIn.map((r) => `virtio_mem ${dev}: adding memory: ${hex(r.start)} - ${hex(r.end - 1n)}`),
    rangeIn.map((r) => `virtio_mem ${dev}: offlining and removing memory: ${hex(r.start)} - ${hex(r.end - 1n)}`),
    fc.constantFrom(-22, -26, -11).map((e) => `virtio_mem ${dev}: plugging memory failed: ${e}`),
    fc.constantFrom(-22, -26, -11).map((e) => `virtio_mem ${dev}: unplugging memory failed: ${e}`),
    fc.constant(`virtio_mem ${dev}: unplugging all memory`),
    rangeIn.map((r) => `tdx: Failed to accept memory [${hex(r.start)}, ${hex(r.end)})`),
    fc.constantFrom(-22, -5).map((e) => `virtio_mem ${dev}: unknown error, marking device broken: ${e}`),
    fc.constant(`virtio_mem ${dev}: CoCo set_encrypted failed, leaking memory`),
    // plug → online (accept) → unplug → re-plug → the accept fails (HPL001 in the guest log alone).
    rangeIn.map((r) => {
      const incl = `${hex(r.start)} - ${hex(r.end - 1n)}`;
      return [
        `virtio_mem ${dev}: plugging memory: ${incl}`,
        `virtio_mem ${dev}: adding memory: ${incl}`,
        `virtio_mem ${dev}: unplugging memory: ${incl}`,
        `virtio_mem ${dev}: plugging memory: ${incl}`,
        `tdx: Failed to accept memory [${hex(r.start)}, ${hex(r.end)})`,
      ];
    }),
  );
  const init = [
    'tdx: Guest detected',
    `virtio_mem ${dev}: start address: ${hex(base)}`,
    `virtio_mem ${dev}: region size: ${hex(REGION_SIZE)}`,
    `virtio_mem ${dev}: device block size: 0x200000`,
    `virtio_mem ${dev}: nid: 0`,
    `virtio_mem ${dev}: memory block size: 0x8000000`,
    `virtio_mem ${dev}: subblock size: 0x200000`,
    `virtio_mem ${dev}: plugged size: 0x0`,
    `virtio_mem ${dev}: requested size: 0x0`,
  ];
  return fc.array(event, { maxLength: 25 }).map((events) => [...init, ...events.flat()]);
}

/** Stamps the lines of both logs in one increasing sequence (b's after a's). */
function stamp(a: string[], b: string[]): { a: string[]; b: string[] } {
  let t = 1_000_000;
  const next = (text: string) => {
    t += 1234;
    return envelope('guest', t, text);
  };
  return { a: a.map(next), b: b.map(next) };
}

// ---------------------------------------------------------------------------------------

describe('model and analysis properties', function () {
  this.timeout(60_000);

  it('never throws on generated logs; every finding is well-formed and inside its input', async () => {
    await fc.assert(
      fc.asyncProperty(boundedCaseArb(), async (c) => {
        const a = await analyzeCase(c);
        checkWellFormed(a, lineCountsOf(c));
      }),
      { numRuns: runs(150) },
    );
  });

  it('never throws with random init sizes (realistic powers of two) and what-if replays', async () => {
    const policy = fc.constantFrom(
      { 'vmm.discardPrivate': 'yes' as const },
      { 'guest.convertSharedOnUnplug': 'yes' as const },
      { 'guest.releaseOnUnplug': 'yes' as const },
      { 'guest.acceptGranularity': 'subblock' as const },
      { 'vmm.discardPrivate': 'no' as const, 'guest.acceptsMemory': 'no' as const },
    );
    await fc.assert(
      fc.asyncProperty(boundedCaseArb(), policy, async (c, whatIf) => {
        const a = await analyze(sourcesOf(c), { whatIf });
        checkWellFormed(a, lineCountsOf(c));
        assert.ok(a.whatIf, 'a what-if part');
        const asLogged = await analyzeCase(c);
        // Removed findings are findings of the analysis as logged; added ones of the replay.
        const logged = new Set(asLogged.findings.map((f) => json(findingView(f))));
        const tried = new Set(a.findings.map((f) => json(findingView(f))));
        for (const f of a.whatIf.removed) assert.ok(logged.has(json(findingView(f))), `removed ${f.code} was a finding as logged`);
        for (const f of a.whatIf.added) assert.ok(tried.has(json(findingView(f))), `added ${f.code} is a finding of the replay`);
      }),
      { numRuns: runs(60) },
    );
  });

  it('is deterministic: the same input twice (and chunked differently) gives the same findings', async () => {
    await fc.assert(
      fc.asyncProperty(boundedCaseArb(), async (c) => {
        const first = await analyzeCase(c);
        const second = await analyzeCase(c);
        const third = await analyzeCase(c, [5]);
        assert.deepEqual(json(second.findings), json(first.findings));
        assert.deepEqual(json(third.findings), json(first.findings));
        assert.deepEqual(json(second.rootCauses), json(first.rootCauses));
      }),
      { numRuns: runs(60) },
    );
  });

  it('analyses two unrelated devices concatenated as the union of their separate analyses', async () => {
    await fc.assert(
      fc.asyncProperty(deviceLogArb('virtio5', REGION5), deviceLogArb('virtio6', REGION6), async (rawA, rawB) => {
        const { a, b } = stamp(rawA, rawB);
        const path = 'guest.log';
        const alone = await analyze([source(path, a)]);
        const other = await analyze([source(path, b)]);
        const together = await analyze([source(path, [...a, ...b])]);
        checkWellFormed(together, [a.length + b.length]);
        const expected = [...alone.findings.map((f) => findingView(f)), ...other.findings.map((f) => findingView(f, a.length))].map(json).sort();
        const actual = together.findings.map((f) => findingView(f)).map(json).sort();
        assert.deepEqual(actual, expected);
        assert.deepEqual(together.summary, {
          errors: alone.summary.errors + other.summary.errors,
          warnings: alone.summary.warnings + other.summary.warnings,
          infos: alone.summary.infos + other.summary.infos,
        });
      }),
      { numRuns: runs(80) },
    );
  });

  /** Addresses, lengths and sizes up to 2^64, block counts up to 2^32 − 1. */
  const unboundedValues: Values = {
    addr: fc.oneof(addressArb(REGION5, REGION_SIZE), hugeArb, fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
    len: fc.oneof(lengthArb, hugeArb),
    size: fc.oneof(deviceSizeArb, hugeArb),
    blocks: fc.oneof(fc.integer({ min: 0, max: 4096 }), fc.constantFrom(2 ** 22, 2 ** 31, 2 ** 32 - 1)),
  };
  const anyStart = fc.oneof(regionStartArb, hugeArb, fc.bigInt({ min: 0n, max: 1n << 40n }));
  /** Init sizes: powers of two, odd values, huge values; never zero (zero has its own property below). */
  const nonZeroInitSize = fc.oneof(geometrySizeArb, hugeArb, fc.bigInt({ min: 1n, max: 1n << 40n }));

  it('never throws with unbounded addresses and sizes, init lines of any non-zero size, in any order', async () => {
    const init = fc
      .tuple(initLines('virtio5', anyStart, nonZeroInitSize), fc.option(initLines('virtio6', anyStart, nonZeroInitSize), { nil: undefined }))
      .map(([a, b]) => [...a, ...(b ?? [])]);
    const events = fc.oneof(
      { weight: 6, arbitrary: fc.oneof(...templates('virtio5', unboundedValues)) as fc.Arbitrary<Rec | Rec[]> },
      { weight: 2, arbitrary: fc.oneof(...templates('virtio6', unboundedValues)) as fc.Arbitrary<Rec | Rec[]> },
      { weight: 1, arbitrary: stories('virtio5', REGION5) as fc.Arbitrary<Rec | Rec[]> },
    );
    await fc.assert(
      fc.asyncProperty(logCaseArb(init, events), async (c) => {
        checkWellFormed(await analyzeCase(c), lineCountsOf(c));
      }),
      { numRuns: runs(100) },
    );
  });

  // -------------------------------------------------------------------------------------
  // Minimal counterexamples the properties above found. Those fixed in src/ since stay as
  // regression tests; the open one is skipped until it is fixed.
  // -------------------------------------------------------------------------------------

  /** Resolves (does not throw) and is well-formed. */
  async function resolves(lines: string[]): Promise<Analysis> {
    const a = await analyze([source('guest.log', lines)]);
    checkWellFormed(a, [lines.length]);
    return a;
  }

  it('survives a zero geometry size in the init lines', async () => {
    await resolves([
      '[    1.000000] virtio_mem virtio5: subblock size: 0x0',
      '[    1.000001] virtio_mem virtio5: start address: 0x100000000',
      '[    1.000002] virtio_mem virtio5: plugged size: 0x200000',
    ]);
    await resolves(['[    1.000000] virtio_mem virtio5: memory block size: 0x0', '[    1.000001] virtio_mem virtio5: plugging memory: 0x100000000 - 0x1001fffff']);
    await resolves(['[    1.000000] virtio_mem virtio5: memory block size: 0x0', '[    1.000001] tdx: Failed to accept memory [0x100000000, 0x100200000)']);
  });

  // Regression (was RangeError "Invalid typed array length: 8796093022208" at 0afb2b5): a range or
  // size near 2^64 sized one store entry per subblock up to it.
  it('survives ranges and sizes near 2^64', async () => {
    await resolves(['[    1.000000] tdx: Failed to accept memory [0x0, 0xffffffffffffffff)']);
    await resolves(['[    1.000000] virtio_mem virtio5: start address: 0x100000000', '[    1.000001] virtio_mem virtio5: plugged size: 0xffffffffffffffff']);
    await resolves(['4321@1774365612.803412:kvm_convert_memory start 0x100000000 size 0xffffffffffff0000 shared_to_private']);
  });

  // Regression (was RangeError "Invalid typed array length: -1919" at 0afb2b5): a start address
  // without a region size, then an event below it.
  it('survives an event below a logged start address when the region size is not logged', async () => {
    await resolves(['[    1.000000] virtio_mem virtio5: start address: 0x200000000', '[    2.000000] tdx: Failed to accept memory [0x100000000, 0x100200000)']);
    await resolves(['[    1.000000] virtio_mem virtio5: start address: 0x200000000', '[    2.000000] kvm_intel: Guest access before accepting 0x100000000 on vCPU 0']);
  });

  // Regression (at 0afb2b5: HPL007 "the device answered ERROR to a PLUG of [0x0, 0x0)"): a
  // refusal after `unplugging all memory` was paired with the UNPLUG_ALL as a range 0..0.
  it('does not give an UNPLUG_ALL refusal the range [0x0, 0x0)', async () => {
    for (const failed of ['plugging memory failed: -22', 'unplugging all memory failed: -22']) {
      const a = await resolves(['[    1.000000] virtio_mem virtio6: unplugging all memory', `[    2.000000] virtio_mem virtio6: ${failed}`]);
      const refusal = a.findings.find((f) => f.code === 'HPL007');
      assert.ok(refusal, failed);
      assert.ok(!refusal.range || refusal.range.start < refusal.range.end, `range [${hex(refusal.range?.start ?? 0n)}, ${hex(refusal.range?.end ?? 0n)})`);
      assert.doesNotMatch(refusal.message, /\[0x0, 0x0\)/);
    }
  });

  // Regression (at 0afb2b5 this two-line trace made `check` allocate ~24 GB and get killed, exit
  // 137): a request of 4e9 device blocks far above the region.
  it('survives a plug request of 4e9 device blocks without exhausting memory', async () => {
    const before = process.memoryUsage().rss;
    await resolves([
      '4321@1774365612.803412:virtio_mem_plug_request addr=0xfff00000000000 nb_blocks=4000000000',
      '4321@1774365612.803499:virtio_mem_send_response type=0',
    ]);
    assert.ok(process.memoryUsage().rss - before < 1024 * 1024 * 1024, 'less than 1 GiB more resident memory');
  });

  // The unbounded property with zero init sizes as well.
  it('never throws with init lines of any size, zero included', async () => {
    const init = initLines('virtio5', anyStart, fc.oneof(nonZeroInitSize, fc.constant(0n)));
    await fc.assert(
      fc.asyncProperty(logCaseArb(init, fc.oneof(...templates('virtio5', unboundedValues))), async (c) => {
        checkWellFormed(await analyzeCase(c), lineCountsOf(c));
      }),
      { numRuns: runs(100) },
    );
  });
});
