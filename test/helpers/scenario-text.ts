/**
 * Scenario texts made of the language's words (src/core/scenario): a machine's configuration
 * and actions nested in repeats, for property tests that simulate logs.
 */
import * as fc from 'fast-check';

/** Sizes every device below takes, and now and then one it does not. */
const size = fc.oneof({ arbitrary: fc.constantFrom('0', '1G', '2G', '0x40000000'), weight: 20 }, { arbitrary: fc.constantFrom('1.5G', '128M', '3M', '8G'), weight: 1 });
const seconds = fc.constantFrom('0', '1', '0.000001', '50', '300.5', '86400', '999999999');
const count = fc.constantFrom('1', '2', '3', '1000', '999999999999');
const setting = fc.constantFrom(
  'dynamic-debug=on',
  'dynamic-debug=off',
  'qemu-trace=off',
  'qemu-trace=on',
  'qemu-timestamps=tid',
  'qemu-timestamps=none',
  'guest-timestamps=syslog',
  'guest-timestamps=dmesg-T',
  'host=off',
  'host=on',
);
const logStatement = fc.array(setting, { minLength: 1, maxLength: 3 }).map((s) => `log ${s.join(' ')}`);
/** Every action, mostly with values the default-like devices below take. */
const action: fc.Arbitrary<string> = fc.oneof(
  size.map((s) => `resize ${s}`),
  seconds.map((s) => `wait ${s}`),
  fc.constantFrom('32', '33', 'memory40', '47').map((n) => `offline-online ${n}`),
  fc.constantFrom('0x108000000', '0x100000000', '0x17fffffff').map((a) => `touch ${a}`),
  fc.constantFrom('migrate-begin', 'migrate-end', 'reset', 'reboot', '# a comment', ''),
  logStatement,
);
/** Actions and repeats of actions, nested a few deep, with `{` and `}` where they belong. */
export const { actions } = fc.letrec<{ actions: string[]; item: string[] }>((tie) => ({
  actions: fc.array(tie('item'), { maxLength: 6 }).map((items) => items.flat()),
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    action.map((a) => [a]),
    fc.tuple(count, tie('actions')).map(([n, body]) => [`repeat ${n} {`, ...body, '}']),
  ),
}));
/** A configuration the parser takes: the options of one machine, each at most once. */
export const config = fc
  .record({
    device: fc.constantFrom(
      'device virtio5 at 0x100000000 size 4G block 2M node 0',
      'device virtio5 at 0x100000000 size 2G block 128M memory-block 128M',
      'device virtio5 at 0x100000000 size 2G block 2M memory-block 128M subblock 4M',
      'device virtio5 at 0x100000000 size 2G block 1G memory-block 128M bbm',
    ),
    machine: fc.constantFrom(
      ['guest plain', 'driver mainline'],
      ['guest tdx', 'driver notifier-patch'],
      ['guest tdx', 'driver release-rfc'],
      ['guest tdx convert-shared-on-unplug=yes', 'driver coco-rfc'],
      ['guest snp unmovable=256M', 'driver coco-rfc'],
      ['guest tdx', 'driver mainline'],
    ),
    vmm: fc.subarray(['discard-private=no', 'unplugged-inaccessible=no', 'page-release=no']),
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    log: fc.option(logStatement),
  })
  .map((c) => [c.device, ...c.machine, ...(c.vmm.length > 0 ? [`vmm ${c.vmm.join(' ')}`] : []), `seed ${c.seed}`, ...(c.log ? [c.log] : [])]);
