/**
 * QEMU human monitor (HMP): `(qemu)` commands (the envelope strips the prompt) and the
 * `info memory-devices` entries, plus the `cpu_dump_state()` register dump after KE8.
 */
import type { MonitorMemoryDeviceEvent } from '../events';
import type { GroupFamily } from './group';
import { type Family, whole } from './table';

/** `2G`, `512M`, `0x80000000`, `2147483648` as HMP and qom-set accept them → bytes. */
export function parseSize(text: string): bigint | undefined {
  const m = /^(0x[0-9a-fA-F]+|\d+)([KMGTkmgt]?)[Bb]?$/.exec(text.trim());
  if (!m) return undefined;
  const shift = { '': 0n, k: 10n, m: 20n, g: 30n, t: 40n }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return BigInt(m[1]) << shift;
}

export const qemuMonitorCommand: Family = {
  name: 'QEMU monitor command',
  prefix: /(?=\(qemu\)|qom-set|info |device_add|object_add|device_del|system_reset)/y,
  rows: [
    {
      id: 'HMP-qom-set',
      pattern: whole('qom-set (\\S+) requested-size (\\S+)'),
      build: (m) => {
        const size = parseSize(m[2]);
        return {
          kind: 'monitor.command',
          rule: 'HMP-qom-set',
          command: m[0].trim(),
          ...(size !== undefined ? { requestedSize: { id: m[1].replace(/^\/machine\/peripheral\//, ''), size } } : {}),
        };
      },
    },
    {
      id: 'HMP',
      pattern: whole('(?:info memory-devices|info memory_size_summary|info numa|qom-set .*|qom-get .*|device_add .*|object_add .*|device_del .*|system_reset)'),
      build: (m) => ({ kind: 'monitor.command', rule: 'HMP', command: m[0].trim() }),
    },
  ],
};

const SIZE_FIELDS: Record<string, keyof MonitorMemoryDeviceEvent> = {
  memaddr: 'memaddr',
  'requested-size': 'requestedSize',
  size: 'size',
  'max-size': 'maxSize',
  'block-size': 'blockSize',
};

export const monitorMemoryDevice: GroupFamily = {
  name: 'info memory-devices',
  takesMessage: false,
  maxLines: 20,
  rows: [
    {
      id: 'HMP-memdev',
      role: 'start',
      pattern: /^Memory device \[([\w-]+)\]: "([^"]*)"\s*$/,
      collect: (m, r) => {
        r.fields.type = m[1];
        r.fields.id = m[2];
      },
    },
    {
      id: 'HMP-memdev-field',
      role: 'body',
      pattern: /^([a-z][\w-]*): (.+?)\s*$/,
      collect: (m, r) => {
        r.fields[m[1]] = m[2];
      },
    },
  ],
  build: (r) => {
    const f = r.fields;
    const event: Record<string, unknown> = { kind: 'monitor.memoryDevice', rule: 'HMP-memdev', type: f.type, id: f.id };
    for (const [name, key] of Object.entries(SIZE_FIELDS)) {
      const size = f[name] !== undefined ? parseSize(f[name]) : undefined;
      if (size !== undefined) event[key] = size;
    }
    if (f.node !== undefined && /^\d+$/.test(f.node)) event.node = Number(f.node);
    if (f.memdev !== undefined) event.memdev = f.memdev;
    return event as unknown as MonitorMemoryDeviceEvent;
  },
};

/** `cpu_dump_state()` after `kvm run failed`: `RAX=… RBX=…`, `RIP=…`, segment and FPU lines. */
export const qemuCpuDump: GroupFamily = {
  name: 'QEMU register dump',
  takesMessage: false,
  maxLines: 80,
  rows: [
    {
      id: 'KE8-dump',
      role: 'head',
      pattern: /^[ER]AX=[0-9a-fA-F]+ [ER]BX=.*$/,
    },
    {
      id: 'KE8-dump-line',
      role: 'body',
      pattern: /^(?:(?:[A-Z][A-Z0-9]{0,4} *=|(?:FPR|[XYZ]MM|Opmask)\d+=)\S*.*|Code=.*)$/,
      collect: (m, r) => {
        // Outside long mode (e.g. the reset state QEMU keeps for a TD it cannot read) it is `EIP=`.
        const rip = /^[RE]IP=([0-9a-fA-F]+)/.exec(m[0]);
        if (rip) r.fields.rip = rip[1];
      },
    },
  ],
  build: (r) => ({
    kind: 'qemu.cpuDump',
    rule: 'KE8-dump',
    ...(r.fields.rip !== undefined ? { rip: BigInt(`0x${r.fields.rip}`) } : {}),
  }),
};
