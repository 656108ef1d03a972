/**
 * Boot lines that say what kind of guest or host this is: the memory encryption in use, the
 * TDX module on the host, and a kernel command line that turns on virtio-mem dynamic debug
 * (which tells the model whether the DYN lines of DOMAIN.md §1.1 can be expected).
 */
import { type Family, whole } from './table';

export const platform: Family = {
  name: 'platform',
  prefix: /(?=Memory Encryption Features active|SEV: Status|Kernel command line|virt\/tdx: |kvm_intel: TDX)/y,
  rows: [
    {
      id: 'PLAT-mem-encrypt',
      pattern: whole('Memory Encryption Features active:? ?(.*?)'),
      build: (m) => ({ kind: 'platform.info', rule: 'PLAT-mem-encrypt', what: 'memoryEncryption', detail: m[1] }),
    },
    {
      id: 'PLAT-sev-status',
      pattern: whole('SEV: Status: (.*?)'),
      build: (m) => ({ kind: 'platform.info', rule: 'PLAT-sev-status', what: 'sevStatus', detail: m[1] }),
    },
    {
      id: 'PLAT-cmdline',
      pattern: whole('Kernel command line: (.*?)'),
      build: (m) => ({
        kind: 'platform.info',
        rule: 'PLAT-cmdline',
        what: 'commandLine',
        detail: m[1],
        dynamicDebug: /virtio_mem\.dyndbg=\S*\+p/.test(m[1]),
      }),
    },
    {
      id: 'PLAT-tdx-supported',
      pattern: whole('kvm_intel: TDX is supported\\.'),
      build: () => ({ kind: 'platform.info', rule: 'PLAT-tdx-supported', what: 'tdxSupported', detail: 'TDX is supported' }),
    },
    {
      // The host TDX core's init messages (module version, TDMRs, "module initialized"); its
      // SEAMCALL reports and their register lines are records of host-kvm-tdx.ts.
      id: 'PLAT-tdx-module',
      pattern: whole('virt/tdx: (?!SEAMCALL |RCX |R09 )(.*?)'),
      build: (m) => ({ kind: 'platform.info', rule: 'PLAT-tdx-module', what: 'tdxModule', detail: m[1] }),
    },
  ],
};
