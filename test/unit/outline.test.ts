/**
 * The outline of an input (OutlineCollector) fed with the events of real analyses: the devices
 * of each input from their first to their last line, and their resize phases — one per new
 * requested size, from its line to the line before the next phase, the last one to the
 * device's last line — for the bundled example and for small hand-written logs (repeated
 * sizes, interleaved devices, QEMU monitor commands).
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import type { InputSource } from '../../src/core/ingest';
import { type DeviceOutline, OutlineCollector } from '../../src/core/outline';
import { fileSource } from '../../src/node/inputs';

const EXAMPLE = join(__dirname, '..', '..', '..', 'examples', 'tdx-replug-failure');

function memory(path: string, text: string): InputSource {
  return {
    path,
    async *open() {
      yield Buffer.from(text);
    },
  };
}

/** Analyses `sources`, feeding every event to a fresh collector. */
async function collect(sources: InputSource[]): Promise<OutlineCollector> {
  const outline = new OutlineCollector();
  await analyze(sources, { observe: { event: (e) => outline.see(e) } });
  return outline;
}

async function outlineOf(text: string): Promise<DeviceOutline[]> {
  return (await collect([memory('x.log', text)])).outline(0);
}

/** Guest dmesg lines, stamped one after the other. */
function dmesg(...lines: string[]): string {
  return lines.map((l, i) => `[${String(i + 1).padStart(5)}.000000] ${l}\n`).join('');
}

/** Each phase's [line, endLine, label]. */
function phases(d: DeviceOutline | undefined): Array<[number, number, string]> {
  assert.ok(d, 'no such device in the outline');
  return d.phases.map((p) => [p.line, p.endLine, p.label]);
}

describe('outline of an input', () => {
  it('outlines the example guest log: virtio5 with its four resize phases', async () => {
    const outline = await collect([await fileSource(join(EXAMPLE, 'guest.log')), await fileSource(join(EXAMPLE, 'qemu.log'))]);
    const guest = outline.outline(0);
    assert.deepEqual(
      guest.map((d) => d.device),
      ['virtio5'],
    );
    assert.equal(guest[0].firstLine, 4);
    assert.equal(guest[0].lastLine, 21);
    assert.deepEqual(phases(guest[0]), [
      [11, 13, 'resize to 0x0'],
      [14, 18, 'resize to 0x80000000 (2 GiB)'],
      [19, 20, 'resize to 0x0'],
      [21, 21, 'resize to 0x80000000 (2 GiB)'],
    ]);
  });

  it('outlines the example QEMU trace as the QEMU side of virtio-mem, without phases', async () => {
    const outline = await collect([await fileSource(join(EXAMPLE, 'guest.log')), await fileSource(join(EXAMPLE, 'qemu.log'))]);
    const qemu = outline.outline(1);
    assert.deepEqual(
      qemu.map((d) => d.device),
      ['virtio-mem (QEMU)'],
    );
    assert.equal(qemu[0].firstLine, 2);
    assert.ok(qemu[0].lastLine > 200, `last line ${qemu[0].lastLine}`);
    assert.deepEqual(qemu[0].phases, []);
    assert.deepEqual(outline.outline(2), [], 'an input that was not given has no outline');
  });

  it('the example guest log alone gives the same outline as with the QEMU trace', async () => {
    const alone = (await collect([await fileSource(join(EXAMPLE, 'guest.log'))])).outline(0);
    const together = (await collect([await fileSource(join(EXAMPLE, 'guest.log')), await fileSource(join(EXAMPLE, 'qemu.log'))])).outline(0);
    assert.deepEqual(alone, together);
  });

  it('makes one phase of repeated identical requested sizes, ending at the device’s last line', async () => {
    const outline = await outlineOf(
      dmesg(
        'virtio_mem virtio5: start address: 0x100000000',
        'virtio_mem virtio5: region size: 0x100000000',
        'virtio_mem virtio5: requested size: 0x80000000',
        'virtio_mem virtio5: plugged size: 0x40000000',
        'virtio_mem virtio5: requested size: 0x80000000',
        'virtio_mem virtio5: plugged size: 0x80000000',
        'virtio_mem virtio5: requested size: 0x80000000',
        'ACPI: bus type PCI registered',
      ),
    );
    assert.equal(outline.length, 1);
    assert.equal(outline[0].device, 'virtio5');
    assert.equal(outline[0].firstLine, 1);
    assert.equal(outline[0].lastLine, 7, 'the unrelated last line is not the device’s');
    assert.deepEqual(phases(outline[0]), [[3, 7, 'resize to 0x80000000 (2 GiB)']]);
  });

  it('keeps interleaved devices apart, each with its own phases, in order of first appearance', async () => {
    const outline = await outlineOf(
      dmesg(
        'virtio_mem virtio5: requested size: 0x80000000',
        'virtio_mem virtio6: requested size: 0x40000000',
        'virtio_mem virtio5: plugged size: 0x80000000',
        'virtio_mem virtio6: requested size: 0x0',
        'virtio_mem virtio5: requested size: 0x100000',
        'virtio_mem virtio6: plugged size: 0x0',
      ),
    );
    assert.deepEqual(
      outline.map((d) => [d.device, d.firstLine, d.lastLine]),
      [
        ['virtio5', 1, 5],
        ['virtio6', 2, 6],
      ],
    );
    assert.deepEqual(phases(outline[0]), [
      [1, 4, 'resize to 0x80000000 (2 GiB)'],
      [5, 5, 'resize to 0x100000 (1 MiB)'],
    ]);
    assert.deepEqual(phases(outline[1]), [
      [2, 3, 'resize to 0x40000000 (1 GiB)'],
      [4, 6, 'resize to 0x0'],
    ]);
  });

  it('takes the device and size of a QEMU monitor qom-set … requested-size command', async () => {
    const outline = await outlineOf(
      [
        "QEMU 9.2.0 monitor - type 'help' for more information",
        '(qemu) qom-set vmem0 requested-size 2G',
        '(qemu) info memory-devices',
        'Memory device [virtio-mem]: "vmem0"',
        '  memaddr: 0x100000000',
        '  node: 0',
        '  requested-size: 2147483648',
        '  size: 0',
        '  max-size: 4294967296',
        '  block-size: 2097152',
        '  memdev: /objects/mem0',
        '(qemu) qom-set vmem0 requested-size 512M',
        '(qemu) qom-set /machine/peripheral/vmem0 requested-size 0',
        '',
      ].join('\n'),
    );
    assert.deepEqual(
      outline.map((d) => [d.device, d.firstLine, d.lastLine]),
      [['vmem0', 2, 13]],
      'info memory-devices names no device; its entry and the full QOM path are vmem0',
    );
    assert.deepEqual(phases(outline[0]), [
      [2, 11, 'resize to 0x80000000 (2 GiB)'],
      [12, 12, 'resize to 0x20000000 (512 MiB)'],
      [13, 13, 'resize to 0x0'],
    ]);
  });

  it('ends each phase at the line before the next one and the last at the device’s last line', async () => {
    const outline = await outlineOf(
      dmesg(
        'virtio_mem virtio5: requested size: 0x40000000',
        'virtio_mem virtio5: plugging memory: 0x100000000 - 0x107ffffff',
        'virtio_mem virtio5: plugged size: 0x8000000',
        'virtio_mem virtio5: requested size: 0x0',
        'virtio_mem virtio5: requested size: 0x80000000',
        'virtio_mem virtio5: plugging memory: 0x108000000 - 0x10fffffff',
        'unrelated line',
        'virtio_mem virtio5: plugged size: 0x10000000',
        'unrelated line',
      ),
    );
    assert.deepEqual(phases(outline[0]), [
      [1, 3, 'resize to 0x40000000 (1 GiB)'],
      [4, 4, 'resize to 0x0'],
      [5, 8, 'resize to 0x80000000 (2 GiB)'],
    ]);
    assert.equal(outline[0].lastLine, 8);
    for (const d of outline) {
      for (const [i, p] of d.phases.entries()) {
        assert.ok(p.endLine >= p.line);
        const next = d.phases[i + 1];
        assert.equal(p.endLine, next ? next.line - 1 : d.lastLine);
      }
    }
  });

  it('keeps the outlines of several inputs apart', async () => {
    const outline = await collect([
      memory('a.log', dmesg('virtio_mem virtio5: requested size: 0x40000000', 'virtio_mem virtio5: plugged size: 0x0')),
      memory('b.log', dmesg('unrelated line', 'virtio_mem virtio7: requested size: 0x80000000')),
    ]);
    assert.deepEqual(
      outline.outline(0).map((d) => [d.device, d.firstLine, d.lastLine, d.phases.length]),
      [['virtio5', 1, 2, 1]],
    );
    assert.deepEqual(
      outline.outline(1).map((d) => [d.device, d.firstLine, d.lastLine, d.phases.length]),
      [['virtio7', 2, 2, 1]],
    );
  });

  it('gives no devices for a log without virtio-mem lines, and nothing for an empty collector', async () => {
    assert.deepEqual(await outlineOf(dmesg('ACPI: bus type PCI registered', 'virtio_net virtio0 enp1s0: renamed from eth0')), []);
    assert.deepEqual(new OutlineCollector().outline(0), []);
  });

  it('gives the same outline when asked twice', async () => {
    const outline = await collect([await fileSource(join(EXAMPLE, 'guest.log'))]);
    assert.deepEqual(outline.outline(0), outline.outline(0));
  });
});
