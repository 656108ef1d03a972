/**
 * What-ifs that keep their word: every finding's "would not happen if" that a policy models is
 * replayed as `check --what-if` on a scenario that produces the finding, and the replay must
 * remove every finding of that code and add none. Then the what-ifs that must not change a run
 * (a policy the world tried does not remove the private page) and the one that must add a
 * failure (a guest that does not accept).
 */
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Analysis, analyze } from '../../../src/core/analyze';
import { type Platform, type Remedy, remediesNamed } from '../../../src/core/diagnose/codes/definition';
import { DEFINITIONS, HPL011 } from '../../../src/core/diagnose/codes/index';
import { policiesText } from '../../../src/core/model/policy';
import { fileSource } from '../../../src/node/inputs';
import { memorySource, utf8 } from '../../helpers/bytes';

const ROOT = join(__dirname, '..', '..', '..', '..');
const SCENARIOS = join(ROOT, 'test', 'fixtures', 'scenarios');
const EXAMPLE = join(ROOT, 'examples', 'tdx-replug-failure', 'guest.log');

type Run = (options?: Parameters<typeof analyze>[1]) => Promise<Analysis>;

function scenario(name: string): Run {
  const dir = join(SCENARIOS, name);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => join(dir, f));
  return async (options: Parameters<typeof analyze>[1] = {}) => analyze(await Promise.all(files.map((f) => fileSource(f))), options);
}

/** A block of which half is plugged, accepted whole (HPL013). */
const PARTIAL_BLOCK = [
  '[    1.000000] virtio_mem virtio5: start address: 0x100000000',
  '[    1.000001] virtio_mem virtio5: region size: 0x100000000',
  '[    1.000002] virtio_mem virtio5: device block size: 0x200000',
  '[    1.000003] virtio_mem virtio5: memory block size: 0x8000000',
  '[    1.000004] virtio_mem virtio5: subblock size: 0x200000',
  '[   10.000000] virtio_mem virtio5: plugging memory: 0x100000000 - 0x103ffffff',
  '[   10.000100] virtio_mem virtio5: plugged size: 0x4000000',
  '[   10.000200] tdx: Failed to accept memory [0x100000000, 0x108000000)',
];

/** For each code with a remedy a policy models, runs that produce it (with the platform whose words they get). */
const PRODUCED_BY: Record<string, Array<{ name: string; platform: Platform; run: Run }>> = {
  HPL001: [
    { name: 'F03', platform: 'unknown', run: scenario('F03-old-vmm-notifier-replug') },
    { name: 'F19 (kexec)', platform: 'tdx', run: scenario('F19-kexec-stale-private') },
    { name: 'the bundled example', platform: 'tdx', run: async (o = {}) => analyze([await fileSource(EXAMPLE)], o) },
  ],
  HPL004: [{ name: 'F01', platform: 'tdx', run: scenario('F01-mainline-no-accept') }],
  HPL005: [{ name: 'F03', platform: 'unknown', run: scenario('F03-old-vmm-notifier-replug') }],
  HPL011: [{ name: 'F17', platform: 'snp', run: scenario('F17-snp-double-validate') }],
  HPL013: [{ name: 'a partly plugged block', platform: 'tdx', run: (o = {}) => analyze([memorySource('guest.log', utf8(`${PARTIAL_BLOCK.join('\n')}\n`))], o) }],
};


describe('every "would not happen if" that a policy models is a what-if that removes the finding', () => {
  const withPolicies = DEFINITIONS.filter((d) => (['tdx', 'snp', 'unknown'] as const).some((p) => d.remedies(p).some((r) => r.policies)));

  it('has runs that produce every code with such a remedy', () => {
    assert.deepEqual(withPolicies.map((d) => d.code).sort(), Object.keys(PRODUCED_BY).sort());
  });

  it('finds a root cause\'s remedies, with their policies, from the texts it names (what the Explain page replays)', async () => {
    const a = await scenario('F17-snp-double-validate')();
    const rc = a.rootCauses.find((r) => r.code === 'HPL011');
    assert.ok(rc);
    assert.deepEqual(
      remediesNamed(HPL011, rc.wouldNotHappenIf).map((r) => [r.text, r.policies && policiesText(r.policies)]),
      [
        ['the guest rescinded validation and changed the page to shared before unplug', 'guest.convertSharedOnUnplug=yes, device.unpluggedInaccessible=no'],
        ['the host removed the page on UNPLUG', 'vmm.discardPrivate=yes'],
      ],
    );
    assert.deepEqual(remediesNamed(HPL011, ['not a remedy of HPL011']), []);
  });

  it('keeps the text of every remedy in wouldNotHappenIf, in order', () => {
    for (const d of DEFINITIONS) {
      for (const p of ['tdx', 'snp', 'unknown'] as const) assert.deepEqual(d.wouldNotHappenIf(p), d.remedies(p).map((r) => r.text), `${d.code} ${p}`);
    }
  });

  for (const d of withPolicies) {
    for (const produced of PRODUCED_BY[d.code] ?? []) {
      const remedies = d.remedies(produced.platform).filter((r): r is Required<Remedy> => r.policies !== undefined);
      for (const remedy of remedies) {
        it(`${d.code} on ${produced.name}: "${remedy.text}" (${policiesText(remedy.policies)})`, async () => {
          const asLogged = await produced.run();
          const mine = asLogged.findings.filter((f) => f.code === d.code);
          assert.ok(mine.length > 0, `${produced.name} produces ${d.code}`);
          // The root cause names this remedy in the words of the run's platform.
          assert.ok(asLogged.rootCauses.filter((r) => r.code === d.code).every((r) => r.wouldNotHappenIf.includes(remedy.text)));
          const tried = await produced.run({ whatIf: remedy.policies });
          const left = tried.findings.filter((f) => f.code === d.code);
          assert.deepEqual(left.map((f) => f.message), []);
          assert.equal(tried.whatIf?.removed.filter((f) => f.code === d.code).length, mine.length);
          assert.deepEqual(tried.whatIf?.added.map((f) => `${f.code} ${f.message}`), []);
        });
      }
    }
  }
});

describe('what-ifs that must not invent or remove findings', () => {
  it('on a mid-stream log (F04), vmm.discardPrivate=yes removes the re-accept failure and invents no HPL002', async () => {
    const a = await scenario('F04-coco-rfc-stale-private')({ whatIf: { 'vmm.discardPrivate': 'yes' } });
    assert.deepEqual(a.whatIf?.added, []);
    assert.deepEqual(a.whatIf?.removed.map((f) => f.code).sort(), ['HPL001', 'HPL005']);
  });

  it('on a mid-stream log with a partly plugged block (F20), no policy of unplug or granularity changes anything', async () => {
    for (const policy of ['vmm.discardPrivate', 'guest.convertSharedOnUnplug', 'guest.releaseOnUnplug'] as const) {
      const a = await scenario('F20-midstream-partial-block')({ whatIf: { [policy]: 'yes' } });
      assert.deepEqual([a.whatIf?.removed, a.whatIf?.added], [[], []], policy);
    }
    const a = await scenario('F20-midstream-partial-block')({ whatIf: { 'guest.acceptGranularity': 'block' } });
    assert.deepEqual([a.whatIf?.removed, a.whatIf?.added], [[], []]);
  });

  it('converting to shared is no fix when UNPLUGGED_INACCESSIBLE was negotiated: the RFC skips the conversion', async () => {
    const a = await analyze([await fileSource(EXAMPLE)], { whatIf: { 'guest.convertSharedOnUnplug': 'yes', 'device.unpluggedInaccessible': 'yes' } });
    assert.equal(a.findings.filter((f) => f.code === 'HPL001').length, 8);
    assert.deepEqual(a.whatIf?.removed, []);
  });

  it('a policy that does not remove the private page on unplug removes no failed accept or validation', async () => {
    for (const [name, run] of [
      ['F08', scenario('F08-reaccept-fails-leak')],
      ['F17', scenario('F17-snp-double-validate')],
      ['F04', scenario('F04-coco-rfc-stale-private')],
    ] as const) {
      const a = await run({ whatIf: { 'guest.acceptGranularity': 'subblock' } });
      assert.deepEqual(a.whatIf?.removed.map((f) => f.code), [], name);
    }
  });
});

describe('guest.acceptsMemory=no: a guest that does not accept', () => {
  it('turns onlining the bundled example\'s plugged memory into an access before accept (HPL004)', async () => {
    const a = await analyze([await fileSource(EXAMPLE)], { whatIf: { 'guest.acceptsMemory': 'no' } });
    assert.deepEqual(
      a.whatIf?.added.map((f) => [f.code, f.location.line, f.range?.start, f.range?.end]),
      [['HPL004', 18, 0x100000000n, 0x180000000n]],
    );
    assert.match(a.whatIf?.added[0].message ?? '', /before accepting it/);
  });
});
