/**
 * QEMU trace events (log backend): virtio-mem device (DOMAIN.md §1.6 Q1–Q8) and KVM
 * conversion / RAM discard (§1.7 K-Q1–K-Q4, P1–P3). The envelope has removed any
 * `TID@sec.usec:` or ISO-8601 prefix; the message starts with the event name.
 */
import { type Family, hex, whole } from './table';

const HEX = '0x([0-9a-fA-F]+)';
const N = '(-?\\d+)';

export const qemuVirtioMemTrace: Family = {
  name: 'QEMU virtio-mem trace',
  prefix: /(?=virtio_mem_)/y,
  rows: [
    {
      id: 'Q1',
      pattern: whole(`virtio_mem_send_response type=${N}`),
      build: (m) => ({ kind: 'qemu.vmem.response', rule: 'Q1', type: Number(m[1]) }),
    },
    {
      id: 'Q2',
      pattern: whole(`virtio_mem_plug_request addr=${HEX} nb_blocks=(\\d+)`),
      build: (m) => ({ kind: 'qemu.vmem.request', rule: 'Q2', op: 'plug', addr: hex(m[1]), nbBlocks: Number(m[2]) }),
    },
    {
      id: 'Q3',
      pattern: whole(`virtio_mem_unplug_request addr=${HEX} nb_blocks=(\\d+)`),
      build: (m) => ({ kind: 'qemu.vmem.request', rule: 'Q3', op: 'unplug', addr: hex(m[1]), nbBlocks: Number(m[2]) }),
    },
    { id: 'Q4', pattern: whole('virtio_mem_unplugged_all'), build: () => ({ kind: 'qemu.vmem.unpluggedAll', rule: 'Q4' }) },
    {
      id: 'Q5',
      pattern: whole('virtio_mem_unplug_all_request'),
      build: () => ({ kind: 'qemu.vmem.request', rule: 'Q5', op: 'unplugAll' }),
    },
    {
      // The format string has no separator: `old_size=0x0new_size=0x20000000`.
      id: 'Q6',
      pattern: whole(`virtio_mem_resized_usable_region old_size=${HEX} ?new_size=${HEX}`),
      build: (m) => ({ kind: 'qemu.vmem.resized', rule: 'Q6', oldSize: hex(m[1]), newSize: hex(m[2]) }),
    },
    {
      id: 'Q7',
      pattern: whole(`virtio_mem_state_request addr=${HEX} nb_blocks=(\\d+)`),
      build: (m) => ({ kind: 'qemu.vmem.request', rule: 'Q7', op: 'state', addr: hex(m[1]), nbBlocks: Number(m[2]) }),
    },
    {
      id: 'Q8',
      pattern: whole(`virtio_mem_state_response state=${N}`),
      build: (m) => ({ kind: 'qemu.vmem.state', rule: 'Q8', state: Number(m[1]) }),
    },
  ],
};

export const qemuKvmTrace: Family = {
  name: 'QEMU KVM conversion and discard trace',
  prefix: /(?=kvm_|ram_block_)/y,
  rows: [
    {
      id: 'K-Q1',
      pattern: whole(`kvm_hc_map_gpa_range gpa ${HEX} size ${HEX} attributes ${HEX} flags ${HEX}`),
      build: (m) => ({ kind: 'qemu.mapGpa', rule: 'K-Q1', gpa: hex(m[1]), size: hex(m[2]), attributes: hex(m[3]), flags: hex(m[4]) }),
    },
    {
      id: 'K-Q2',
      pattern: whole(`kvm_convert_memory start ${HEX} size ${HEX} (shared_to_private|private_to_shared)`),
      build: (m) => ({
        kind: 'qemu.convert',
        rule: 'K-Q2',
        start: hex(m[1]),
        size: hex(m[2]),
        to: m[3] === 'shared_to_private' ? 'private' : 'shared',
      }),
    },
    {
      id: 'K-Q3',
      pattern: whole(`kvm_memory_fault start ${HEX} size ${HEX} flags ${HEX}`),
      build: (m) => ({ kind: 'qemu.memoryFault', rule: 'K-Q3', start: hex(m[1]), size: hex(m[2]), flags: hex(m[3]) }),
    },
    {
      id: 'K-Q4',
      pattern: whole(
        `kvm_set_user_memory AddrSpace#${N} Slot#${N} flags=${HEX} gpa=${HEX} size=${HEX} ua=${HEX}(?: guest_memfd=${N} guest_memfd_offset=${HEX})? ret=${N}`,
      ),
      build: (m) => ({
        kind: 'qemu.setUserMemory',
        rule: 'K-Q4',
        addressSpace: Number(m[1]),
        slot: Number(m[2]),
        flags: hex(m[3]),
        gpa: hex(m[4]),
        size: hex(m[5]),
        userAddr: hex(m[6]),
        guestMemfd: m[7] === undefined ? -1 : Number(m[7]),
        guestMemfdOffset: m[8] === undefined ? 0n : hex(m[8]),
        ret: Number(m[9]),
      }),
    },
    {
      // P1 (QEMU 9.2 name) and P2 (renamed in QEMU master) share one format.
      id: 'P1',
      pattern: whole(`ram_block_discard_(range|shared_range) (\\S*?)@(0x[0-9a-fA-F]+|\\(nil\\)) \\+ ${HEX}: madvise: ${N} fallocate: ${N} ret: ${N}`),
      build: (m) => ({
        kind: 'qemu.discard',
        rule: m[1] === 'range' ? 'P1' : 'P2',
        variant: m[1] === 'range' ? 'range' : 'shared-range',
        ramBlock: m[2],
        hostAddr: m[3] === '(nil)' ? 0n : hex(m[3]),
        length: hex(m[4]),
        madvise: m[5] !== '0',
        fallocate: m[6] !== '0',
        ret: Number(m[7]),
      }),
    },
    {
      id: 'P3',
      pattern: whole(`ram_block_attributes_state_change offset ${HEX} size ${HEX} from '([^']*)' to '([^']*)'`),
      build: (m) => ({ kind: 'qemu.attributeChange', rule: 'P3', offset: hex(m[1]), size: hex(m[2]), from: m[3], to: m[4] }),
    },
  ],
};
