/** The scenario language (src/core/scenario/parse.ts): what it accepts, and every error with its line. */
import { strict as assert } from 'node:assert';
import { parseScenario, ScenarioError } from '../../../src/core/scenario/parse';
import type { ScenarioAction } from '../../../src/core/scenario/types';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** Actions without their line numbers, for comparing shapes. */
function shapes(actions: readonly ScenarioAction[]): unknown[] {
  return actions.map((a) => {
    const { line: _line, ...rest } = a;
    return a.kind === 'repeat' ? { ...rest, body: shapes(a.body) } : rest;
  });
}

describe('scenario: parser', () => {
  it('has the defaults of the common setup', () => {
    const { config, actions } = parseScenario('');
    assert.deepEqual(actions, []);
    assert.deepEqual(config.device, {
      name: 'virtio5',
      addr: 0x100000000,
      regionSize: 4 * GiB,
      blockSize: 2 * MiB,
      memoryBlockSize: 128 * MiB,
      subblockSize: 2 * MiB,
      bbm: false,
    });
    assert.equal(config.guest, 'plain');
    assert.equal(config.driver, 'mainline');
    assert.equal(config.discardPrivate, true);
    assert.equal(config.unpluggedInaccessible, true);
    assert.equal(config.pageRelease, true);
    assert.equal(config.convertSharedOnUnplug, undefined);
    assert.equal(config.unmovable, 0);
    assert.equal(config.seed, 1);
    assert.deepEqual(config.log, { dynamicDebug: false, qemuTrace: true, qemuTimestamps: 'iso', guestTimestamps: 'dmesg', host: true });
  });

  it('reads every configuration statement', () => {
    const { config } = parseScenario(
      [
        'device virtio7 at 0x200000000 size 8G block 1M memory-block 256M subblock 4M node 1',
        'guest tdx convert-shared-on-unplug=yes',
        'guest unmovable=46M',
        'driver release-rfc',
        'vmm discard-private=no unplugged-inaccessible=no page-release=no',
        'seed 4294967295',
        'log dynamic-debug=on qemu-trace=off qemu-timestamps=tid guest-timestamps=dmesg-T host=off',
      ].join('\n'),
    );
    assert.deepEqual(config.device, {
      name: 'virtio7',
      addr: 0x200000000,
      regionSize: 8 * GiB,
      blockSize: MiB,
      memoryBlockSize: 256 * MiB,
      subblockSize: 4 * MiB,
      node: 1,
      bbm: false,
    });
    assert.equal(config.guest, 'tdx');
    assert.equal(config.convertSharedOnUnplug, true);
    assert.equal(config.unmovable, 46 * MiB);
    assert.equal(config.driver, 'release-rfc');
    assert.equal(config.discardPrivate, false);
    assert.equal(config.unpluggedInaccessible, false);
    assert.equal(config.pageRelease, false);
    assert.equal(config.seed, 4294967295);
    assert.deepEqual(config.log, { dynamicDebug: true, qemuTrace: false, qemuTimestamps: 'tid', guestTimestamps: 'dmesg-T', host: false });
  });

  it('chooses Big Block Mode when asked or when a block is not smaller than a memory block', () => {
    assert.equal(parseScenario('device virtio5 at 4G size 4G block 2M bbm').config.device.bbm, true);
    const big = parseScenario('device virtio5 at 4G size 4G block 256M').config.device;
    assert.equal(big.bbm, true);
    assert.equal(big.subblockSize, 256 * MiB);
    assert.equal(parseScenario('device virtio5 at 4G size 4G block 2M').config.device.bbm, false);
  });

  it('reads every action, with its line, in order', () => {
    const { actions } = parseScenario(
      [
        '# a comment line',
        'resize 2G   # trailing comment',
        'wait 94.5; resize 0',
        'offline-online memory33; offline-online 34',
        'migrate-begin; migrate-end',
        'touch 0x100a3c000',
        'reset',
        'reboot',
        'log dynamic-debug=on',
        '',
      ].join('\n'),
    );
    assert.deepEqual(shapes(actions), [
      { kind: 'resize', size: 2 * GiB },
      { kind: 'wait', micros: 94_500_000 },
      { kind: 'resize', size: 0 },
      { kind: 'offline-online', block: 33 },
      { kind: 'offline-online', block: 34 },
      { kind: 'migrate-begin' },
      { kind: 'migrate-end' },
      { kind: 'touch', addr: 0x100a3c000 },
      { kind: 'reset' },
      { kind: 'reboot' },
      { kind: 'log', settings: { dynamicDebug: true } },
    ]);
    assert.deepEqual(
      actions.map((a) => a.line),
      [2, 3, 3, 4, 4, 5, 5, 6, 7, 8, 9],
    );
  });

  it('applies log statements before the first action to the boot settings', () => {
    const { config, actions } = parseScenario('log guest-timestamps=syslog\nresize 128M\nlog guest-timestamps=none');
    assert.equal(config.log.guestTimestamps, 'syslog');
    assert.deepEqual(shapes(actions), [{ kind: 'resize', size: 128 * MiB }, { kind: 'log', settings: { guestTimestamps: 'none' } }]);
  });

  it('reads repeat blocks on one line, over several lines and nested', () => {
    const { actions } = parseScenario('repeat 3 { resize 2G; resize 0 }\nrepeat 2 {\n  repeat 4{wait 1}\n  resize 4M\n}\nresize 0');
    assert.deepEqual(shapes(actions), [
      { kind: 'repeat', count: 3, body: [{ kind: 'resize', size: 2 * GiB }, { kind: 'resize', size: 0 }] },
      { kind: 'repeat', count: 2, body: [{ kind: 'repeat', count: 4, body: [{ kind: 'wait', micros: 1_000_000 }] }, { kind: 'resize', size: 4 * MiB }] },
      { kind: 'resize', size: 0 },
    ]);
    assert.deepEqual(
      actions.map((a) => a.line),
      [1, 2, 6],
    );
  });

  it('reads sizes with suffixes, fractions and hex, and CRLF text', () => {
    const sizes = ['2048K', '1.5G', '128m', '0x8000000', '1T'].map((s) => {
      const { actions } = parseScenario(`device virtio5 at 4G size 2T block 2M\r\nresize ${s}\r\n`);
      return (actions[0] as { size: number }).size;
    });
    assert.deepEqual(sizes, [2 * MiB, 1.5 * GiB, 128 * MiB, 128 * MiB, 1024 * GiB]);
  });

  /** [scenario text, line, message]: every message the parser has. */
  const ERRORS: Array<[string, number, string]> = [
    ['resize 2G\nrepeat 2 {\n  resize 0\n', 2, "repeat: missing '}'"],
    ['resize 0\n}', 2, "'}' without 'repeat'"],
    ['{ resize 0 }', 1, "'{' without 'repeat'"],
    ['repeat {\n}', 1, "repeat: expected 'repeat N {'"],
    ['repeat 0 { resize 0 }', 1, "repeat: '0' is not a positive count"],
    ['repeat x { resize 0 }', 1, "repeat: 'x' is not a positive count"],
    ['repeat 2\n{ resize 0 }', 1, "repeat: expected '{' after the count, on the same line"],
    ['resize 0\ndevice virtio5 at 4G size 4G block 2M', 2, "'device' must come before the first action"],
    ['resize 0\nguest tdx', 2, "'guest' must come before the first action"],
    ['repeat 2 { driver coco-rfc }', 1, "'driver' must come before the first action"],
    ['wait 1\nvmm discard-private=no', 2, "'vmm' must come before the first action"],
    ['reset\nseed 3', 2, "'seed' must come before the first action"],
    ['device virtio5 at 4G size 4G block 2M\ndevice virtio6 at 8G size 4G block 2M', 2, 'only one device is supported'],
    ['driver', 1, 'driver: expected one of mainline, coco-rfc, notifier-patch, release-rfc'],
    ['driver coco-rfc mainline', 1, 'driver: expected one of mainline, coco-rfc, notifier-patch, release-rfc'],
    ['driver upstream', 1, "unknown driver 'upstream' (mainline, coco-rfc, notifier-patch, release-rfc)"],
    ['driver mainline\ndriver coco-rfc', 2, "'driver' given twice (first on line 1)"],
    ['guest tdx\n\ndriver notifier-patch\nguest plain', 4, "'guest' given twice (first on line 1)"],
    ['guest snp\ndriver notifier-patch\nresize 0', 2, "driver notifier-patch needs 'guest tdx' (it patches the TDX guest code)"],
    ['driver release-rfc', 1, "driver release-rfc needs 'guest tdx' (it patches the TDX guest code)"],
    ['vmm', 1, 'vmm: expected discard-private=, unplugged-inaccessible= or page-release=yes|no'],
    ['vmm discard-private', 1, "vmm: expected KEY=VALUE, not 'discard-private'"],
    ['vmm version=9.2', 1, "vmm: unknown option 'version' (discard-private, unplugged-inaccessible, page-release)"],
    ['vmm page-release=perhaps', 1, "page-release must be yes or no, not 'perhaps'"],
    ['vmm discard-private=maybe', 1, "discard-private must be yes or no, not 'maybe'"],
    ['vmm unplugged-inaccessible=on', 1, "unplugged-inaccessible must be yes or no, not 'on'"],
    ['vmm discard-private=no\nvmm discard-private=yes', 2, "'vmm discard-private' given twice (first on line 1)"],
    ['seed', 1, 'seed: expected an integer from 0 to 4294967295'],
    ['seed -1', 1, 'seed: expected an integer from 0 to 4294967295'],
    ['seed 4294967296', 1, 'seed: expected an integer from 0 to 4294967295'],
    ['seed 1\nseed 2', 2, "'seed' given twice (first on line 1)"],
    ['guest', 1, 'guest: expected tdx, snp or plain'],
    ['guest sev', 1, "guest: 'sev' is not tdx, snp or plain"],
    ['guest tdx debug=yes', 1, "guest: unknown option 'debug' (convert-shared-on-unplug, unmovable)"],
    ['guest convert-shared-on-unplug=1', 1, "convert-shared-on-unplug must be yes or no, not '1'"],
    ['guest unmovable=lots', 1, "unmovable: bad size 'lots'"],
    ['guest unmovable=8G', 1, 'unmovable: larger than the device region'],
    ['guest unmovable=1M unmovable=2M', 1, "'guest unmovable' given twice (first on line 1)"],
    ['log', 1, 'log: expected KEY=VALUE (dynamic-debug, qemu-trace, qemu-timestamps, guest-timestamps, host)'],
    ['log verbose', 1, "log: expected KEY=VALUE, not 'verbose'"],
    ['log colour=on', 1, "log: unknown option 'colour' (dynamic-debug, qemu-trace, qemu-timestamps, guest-timestamps, host)"],
    ['log dynamic-debug=yes', 1, "dynamic-debug must be on or off, not 'yes'"],
    ['log qemu-trace=1', 1, "qemu-trace must be on or off, not '1'"],
    ['log host=no', 1, "host must be on or off, not 'no'"],
    ['log qemu-timestamps=unix', 1, "qemu-timestamps must be one of iso, tid, none, not 'unix'"],
    ['resize 0\nlog guest-timestamps=journal', 2, "guest-timestamps must be one of dmesg, dmesg-T, syslog, none, not 'journal'"],
    ['device', 1, "device: the name must look like virtio5, not ''"],
    ['device vmem0 at 4G size 4G block 2M', 1, "device: the name must look like virtio5, not 'vmem0'"],
    ['device virtio5 at 4G size 4G block 2M colour red', 1, "device: unknown option 'colour'"],
    ['device virtio5 at 4G size 4G block', 1, "device: 'block' needs a value"],
    ['device virtio5 at 4G size 4G size 8G block 2M', 1, "device: 'size' given twice"],
    ['device virtio5 at 4G size 4G block 2M node 0 node 1', 1, "device: 'node' given twice"],
    ['device virtio5 at 4G size 4G block 2M node x', 1, "device: bad node 'x'"],
    ['device virtio5 at here size 4G block 2M', 1, "device: bad address 'here'"],
    ['device virtio5 at 4G size big block 2M', 1, "device: bad size 'big'"],
    ['device virtio5 size 4G block 2M', 1, "device: missing 'at ADDR'"],
    ['device virtio5 at 4G block 2M', 1, "device: missing 'size SIZE'"],
    ['device virtio5 at 4G size 4G', 1, "device: missing 'block SIZE'"],
    ['device virtio5 at 4G size 4G block 3M', 1, 'device: the block size must be a power of two of at least 4K'],
    ['device virtio5 at 4G size 4G block 2K', 1, 'device: the block size must be a power of two of at least 4K'],
    ['device virtio5 at 4G size 4G block 2M memory-block 100M', 1, 'device: the memory block size must be a power of two of at least 4K'],
    ['device virtio5 at 4G size 4G block 2M subblock 1M', 1, 'device: the subblock size must be a power of two and at least the block size'],
    ['device virtio5 at 4G size 4G block 2M subblock 128M', 1, "device: the subblock size must be smaller than the memory block size (or use 'bbm')"],
    ['device virtio5 at 0x104000000 size 4G block 2M', 1, 'device: the start address must be a multiple of the memory block size (0x8000000)'],
    ['device virtio5 at 4G size 4G block 2M bbm memory-block 128M\ndevice', 2, 'only one device is supported'],
    ['device virtio5 at 0x110000000 size 4G block 512M', 1, 'device: the start address must be a multiple of the big block size (0x20000000)'],
    ['device virtio5 at 4G size 100M block 2M', 1, 'device: the region size must be a positive multiple of the memory block size (0x8000000)'],
    ['device virtio5 at 4G size 0 block 2M', 1, 'device: the region size must be a positive multiple of the memory block size (0x8000000)'],
    ['device virtio5 at 4G size 64T block 2M', 1, 'device: more than 16777216 device blocks'],
    ['device virtio5 at 0x1ff0000000000000 size 128M block 2M', 1, "device: bad address '0x1ff0000000000000'"],
    ['device virtio5 at 0x1ffffff8000000 size 256M block 2M', 1, 'device: the region ends beyond the addresses the model can hold'],
    ['resize', 1, "'resize' needs one SIZE"],
    ['resize 1G 2G', 1, "'resize' needs one SIZE"],
    ['resize lots', 1, "resize: bad size 'lots'"],
    ['resize 1.0000001G', 1, "resize: bad size '1.0000001G'"],
    ['\n\nresize 3M', 3, 'resize: 3M is not a multiple of the block size (0x200000)'],
    ['resize 8G', 1, 'resize: 8G exceeds the region size (0x100000000)'],
    ['wait', 1, "'wait' needs SECONDS"],
    ['wait soon', 1, "wait: 'soon' is not a number of seconds"],
    ['wait 1.1234567', 1, "wait: '1.1234567' is not a number of seconds"],
    ['offline-online', 1, "'offline-online' needs a memory block id (like 33 or memory33)"],
    ['offline-online memoryX', 1, "offline-online: 'memoryX' is not a memory block id"],
    ['offline-online 5', 1, 'offline-online: memory block 5 is outside the device region (blocks 32 to 63)'],
    ['offline-online memory64', 1, 'offline-online: memory block 64 is outside the device region (blocks 32 to 63)'],
    ['touch', 1, "'touch' needs an ADDR"],
    ['touch somewhere', 1, "touch: bad address 'somewhere'"],
    ['reset now', 1, "'reset' takes no arguments"],
    ['reboot -f', 1, "'reboot' takes no arguments"],
    ['migrate-begin fast', 1, "'migrate-begin' takes no arguments"],
    ['migrate-end 1', 1, "'migrate-end' takes no arguments"],
    ['resize 0\nfrobnicate', 2, "unknown statement 'frobnicate'"],
  ];

  for (const [text, line, message] of ERRORS) {
    it(`line ${line}: ${message}`, () => {
      assert.throws(
        () => parseScenario(text),
        (error: unknown) => {
          assert.ok(error instanceof ScenarioError, `a ScenarioError, not ${String(error)}`);
          assert.equal(error.message, message);
          assert.equal(error.line, line);
          return true;
        },
      );
    });
  }
});
