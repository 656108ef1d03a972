/** Guest memory hotplug core lines (DOMAIN.md §1.5 M1–M3). `%#010llx` prints `0x` + digits. */
import { ascending, type Family, hex, whole } from './table';

const HEX = '0x([0-9a-fA-F]+)';

export const mmHotplug: Family = {
  name: 'mm hotplug',
  prefix: /(?=online_pages|memory offlining|Block size)/y,
  rows: [
    {
      id: 'M1',
      pattern: whole(`online_pages \\[mem ${HEX}-${HEX}\\] failed`),
      valid: ascending(1, 2),
      build: (m) => ({ kind: 'mm.onlineFailed', rule: 'M1', start: hex(m[1]), end: hex(m[2]) + 1n }),
    },
    {
      id: 'M2',
      pattern: whole(`memory offlining \\[mem ${HEX}-${HEX}\\] failed due to (.+?)`),
      valid: ascending(1, 2),
      build: (m) => ({ kind: 'mm.offlineFailed', rule: 'M2', start: hex(m[1]), end: hex(m[2]) + 1n, reason: m[3] }),
    },
    {
      id: 'M3',
      pattern: whole(`Block size \\[${HEX}\\] unaligned hotplug range: start ${HEX}, size ${HEX}`),
      build: (m) => ({ kind: 'mm.unalignedRange', rule: 'M3', blockSize: hex(m[1]), start: hex(m[2]), size: hex(m[3]) }),
    },
  ],
};
