/**
 * A corrupt geometry line must not hide the real failure: each kind of impossible value in the
 * bundled example's init lines is ignored and told (HPL015 naming the line and the value),
 * and the eight HPL001 the rest of the log proves stay.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Analysis, analyze } from '../../../src/core/analyze';
import { GeometryBuilder, impossibleGeometry } from '../../../src/core/model/geometry';
import { bufferedSource, fileSource } from '../../../src/node/inputs';
import { EXAMPLE_DIR } from '../replay/replay-example';

const GUEST = readFileSync(join(EXAMPLE_DIR, 'guest.log'), 'utf8');
const FAILED_LINES = [22, 23, 24, 25, 26, 27, 28, 29];

/** The example with each `[from, to]` replacement made in its guest log. */
async function exampleWith(...edits: Array<[string, string]>): Promise<Analysis> {
  let guest = GUEST;
  for (const [from, to] of edits) {
    assert.ok(guest.includes(from), `the example has ${from}`);
    guest = guest.replace(from, to);
  }
  return analyze([await bufferedSource('guest.log', Buffer.from(guest)), await fileSource(join(EXAMPLE_DIR, 'qemu.log'))]);
}

function lineOf(text: string): number {
  return GUEST.split('\n').findIndex((l) => l.includes(text)) + 1;
}

/** The eight HPL001 of the example are there, on the guest's failed-accept lines. */
function assertEightHpl001(a: Analysis): void {
  const hpl001 = a.findings.filter((f) => f.code === 'HPL001' && f.location.path === 'guest.log');
  assert.deepEqual(
    hpl001.map((f) => f.location.line),
    FAILED_LINES,
  );
  assert.equal(a.summary.errors, 8, 'the eight re-accepts, nothing else');
}

function hpl015(a: Analysis): { line: number; message: string } {
  const found = a.findings.filter((f) => f.code === 'HPL015');
  assert.equal(found.length, 1, `one HPL015: ${JSON.stringify(found.map((f) => f.message))}`);
  assert.equal(found[0].location.path, 'guest.log');
  return { line: found[0].location.line, message: found[0].message };
}

const CASES: Array<{ kind: string; from: string; to: string; why: string }> = [
  { kind: 'a region that wraps around 2^64', from: 'region size: 0x100000000', to: 'region size: 0xffffffffffffffff', why: 'the region from 0x100000000 would wrap around 2^64' },
  { kind: 'a region of size zero', from: 'region size: 0x100000000', to: 'region size: 0x0', why: 'a region cannot be empty' },
  { kind: 'a region past any physical address space', from: 'region size: 0x100000000', to: 'region size: 0x100000000000000', why: 'the region from 0x100000000 would end past 2^56, beyond any physical address space' },
  { kind: 'a region not made of pages', from: 'region size: 0x100000000', to: 'region size: 0x100000800', why: 'it is not a multiple of the page size 0x1000' },
  { kind: 'a region not made of device blocks (told when the block size comes)', from: 'region size: 0x100000000', to: 'region size: 0x100001000', why: 'it is not a multiple of the device block size 0x200000' },
  { kind: 'a value wider than 64 bits', from: 'region size: 0x100000000', to: 'region size: 0xffffffffffffffffff', why: 'it does not fit in 64 bits' },
  { kind: 'a start address past any physical address space', from: 'start address: 0x100000000', to: 'start address: 0x1000000000000000', why: 'it is at or past 2^56, beyond any physical address space' },
  { kind: 'a subblock below a page', from: 'subblock size: 0x200000', to: 'subblock size: 0x1', why: 'it is below the page size 0x1000' },
  { kind: 'a subblock size that is not a power of two', from: 'subblock size: 0x200000', to: 'subblock size: 0x300000', why: 'it is not a power of two' },
  { kind: 'a subblock bigger than its memory block', from: 'subblock size: 0x200000', to: 'subblock size: 0x10000000', why: 'it is bigger than the memory block size 0x8000000' },
  { kind: 'a subblock smaller than a device block', from: 'subblock size: 0x200000', to: 'subblock size: 0x100000', why: 'it is smaller than the device block size 0x200000' },
  { kind: 'a device block size of zero', from: 'device block size: 0x200000', to: 'device block size: 0x0', why: 'it is below the page size 0x1000' },
  { kind: 'a memory block size that is not a power of two', from: 'memory block size: 0x8000000', to: 'memory block size: 0x8000001', why: 'it is not a power of two' },
];

describe('findings: an impossible geometry line', () => {
  for (const c of CASES) {
    it(`ignores and tells ${c.kind}, keeping the eight HPL001`, async () => {
      const a = await exampleWith([c.from, c.to]);
      assertEightHpl001(a);
      const field = c.to.split(':')[0];
      const line = lineOf(c.from);
      const told = hpl015(a);
      assert.equal(told.line, line);
      assert.equal(told.message, `guest.log is incomplete: its line ${line} gives virtio5 an impossible ${field} ${c.to.split(': ')[1]} (${c.why}): ignored.`);
      // The value is not taken: the field is the example's, or inferred.
      const g = a.devices.find((d) => d.device === 'virtio5');
      assert.ok(g);
      const key = { 'region size': 'regionSize', 'start address': 'startAddress', 'subblock size': 'subblockSize', 'device block size': 'deviceBlockSize', 'memory block size': 'memoryBlockSize' }[field] as keyof typeof g;
      assert.notEqual(g[key], BigInt(c.to.split(': ')[1]));
    });
  }

  it('takes both corruptions of the issue at once, still with exit-worthy errors and both lines told', async () => {
    const a = await exampleWith(['region size: 0x100000000', 'region size: 0xffffffffffffffff'], ['subblock size: 0x200000', 'subblock size: 0x1']);
    assertEightHpl001(a);
    const told = hpl015(a);
    assert.equal(told.line, 5);
    assert.match(told.message, /its line 5 gives virtio5 an impossible region size 0xffffffffffffffff .*; its line 9 gives virtio5 an impossible subblock size 0x1 /);
    const g = a.devices.find((d) => d.device === 'virtio5');
    assert.equal(g?.subblockSize, 0x200000n);
    assert.equal(g?.geometry, 'inferred');
  });

  it('keeps the last possible value when a later line of the same field is impossible', async () => {
    const a = await exampleWith(['[    2.771532] virtio_net', '[    2.771530] virtio_mem virtio5: region size: 0x0\n[    2.771532] virtio_net']);
    const g = a.devices.find((d) => d.device === 'virtio5');
    assert.equal(g?.regionSize, 0x100000000n);
    assert.equal(g?.geometry, 'logged');
    assert.equal(hpl015(a).line, 12);
  });

  it('is checked against the fields logged before it, field by field', () => {
    const g = new GeometryBuilder('virtio5');
    assert.equal(impossibleGeometry('subblockSize', 0x200000n, g), undefined, 'nothing to compare with yet');
    g.memoryBlockSize = 0x8000000n;
    g.deviceBlockSize = 0x200000n;
    assert.equal(impossibleGeometry('subblockSize', 0x8000000n, g), undefined, 'one subblock per memory block (older drivers)');
    assert.equal(impossibleGeometry('bigBlockSize', 0x4000000n, g), 'it is smaller than the memory block size 0x8000000');
    assert.equal(impossibleGeometry('bigBlockSize', 0x8000000n, g), undefined);
    assert.equal(impossibleGeometry('deviceBlockSize', 0x10000000n, g), undefined, 'a device block bigger than a memory block is BBM');
    g.subblockSize = 0x200000n;
    assert.equal(impossibleGeometry('deviceBlockSize', 0x400000n, g), 'it is bigger than the subblock size 0x200000');
    assert.equal(impossibleGeometry('memoryBlockSize', 0x100000n, g), 'it is smaller than the subblock size 0x200000');
    assert.equal(impossibleGeometry('startAddress', 0n, g), undefined, 'a start at 0 is a probe failure (HPL019), not an impossible number');
  });
});
