/**
 * What a parsed scenario is: the machine it describes (`ScenarioConfig`) and the actions that
 * happen to it, in order (`ScenarioAction`). The text format is documented in parse.ts and README.md.
 */

/** `guest tdx|snp|plain`: a TD, an SEV-SNP guest, or a guest without Confidential Computing. */
export type GuestKind = 'tdx' | 'snp' | 'plain';

/**
 * What the guest's virtio-mem driver does about acceptance (DOMAIN.md §0, §1.2, §1.3):
 * `mainline` never accepts (F1); `coco-rfc` converts with set_memory_encrypted()/decrypted()
 * (L-RFC); `notifier-patch` accepts whole memory blocks on MEM_GOING_ONLINE (L-TDXFIX 2/2);
 * `release-rfc` accepts after PLUG and releases before UNPLUG (L-REL).
 */
export type DriverKind = 'mainline' | 'coco-rfc' | 'notifier-patch' | 'release-rfc';

type QemuTimestamps = 'iso' | 'tid' | 'none';
type GuestTimestamps = 'dmesg' | 'dmesg-T' | 'syslog' | 'none';

/** What the three logs show; may change in the middle of a scenario (`log …`). */
export interface LogSettings {
  /** `dev_dbg`/`pr_debug` lines (DYN in DOMAIN.md §1.1). */
  dynamicDebug: boolean;
  /** QEMU trace events (`-trace virtio_mem_*,kvm_*,ram_block_*`). */
  qemuTrace: boolean;
  /** QEMU trace prefix: Q-cur ISO-8601, Q-9.2 `TID@sec.usec:`, or none (`-msg timestamp=off`). */
  qemuTimestamps: QemuTimestamps;
  guestTimestamps: GuestTimestamps;
  /** Host dmesg lines (host.log). */
  host: boolean;
}

/** `device NAME at ADDR size SIZE block SIZE [memory-block SIZE] [subblock SIZE] [node N] [bbm]`. */
export interface DeviceConfig {
  /** `virtio5`: the name the driver prints. */
  name: string;
  addr: number;
  regionSize: number;
  /** Device block size: plug granularity. */
  blockSize: number;
  /** Linux memory block size (add/remove/online unit). */
  memoryBlockSize: number;
  /** Subblock size in Sub Block Mode. */
  subblockSize: number;
  /** Printed as `nid: N` at probe when given. */
  node?: number;
  /** Big Block Mode (forced with `bbm`, or because the subblock would not be smaller than a memory block). */
  bbm: boolean;
}

export interface ScenarioConfig {
  device: DeviceConfig;
  guest: GuestKind;
  driver: DriverKind;
  /** QEMU master (yes) punches guest_memfd on UNPLUG; QEMU 9.2 (no) discards the shared side only. */
  discardPrivate: boolean;
  /** VIRTIO_MEM_F_UNPLUGGED_INACCESSIBLE offered by QEMU (and accepted by the driver). */
  unpluggedInaccessible: boolean;
  /** The TD may use TDG.MEM.PAGE.RELEASE (TDCS_CONFIG_PAGE_RELEASE set); without it the TDCALL fails. */
  pageRelease: boolean;
  /** Guest converts memory to shared before UNPLUG; undefined = what the driver does by itself. */
  convertSharedOnUnplug?: boolean;
  /** Bytes at the start of the region that hold unmovable kernel allocations once online. */
  unmovable: number;
  seed: number;
  /** Settings in force at boot; `log` actions change them later. */
  log: LogSettings;
}

interface ScenarioActionBase {
  /** 1-based line of the statement in the scenario text. */
  line: number;
}

export type ScenarioAction = ScenarioActionBase &
  (
    | { kind: 'resize'; size: number }
    | { kind: 'wait'; micros: number }
    | { kind: 'offline-online'; block: number }
    | { kind: 'migrate-begin' }
    | { kind: 'migrate-end' }
    | { kind: 'touch'; addr: number }
    | { kind: 'reset' }
    | { kind: 'reboot' }
    | { kind: 'log'; settings: Partial<LogSettings> }
    | { kind: 'repeat'; count: number; body: ScenarioAction[] }
  );

export interface Scenario {
  config: ScenarioConfig;
  actions: ScenarioAction[];
}

export const MiB = 1024 * 1024;

/** The common setup of DOMAIN.md §5, used for whatever a scenario does not say. */
export function defaultConfig(): ScenarioConfig {
  return {
    device: {
      name: 'virtio5',
      addr: 0x100000000,
      regionSize: 0x100000000,
      blockSize: 2 * MiB,
      memoryBlockSize: 128 * MiB,
      subblockSize: 2 * MiB,
      bbm: false,
    },
    guest: 'plain',
    driver: 'mainline',
    discardPrivate: true,
    unpluggedInaccessible: true,
    pageRelease: true,
    unmovable: 0,
    seed: 1,
    log: { dynamicDebug: false, qemuTrace: true, qemuTimestamps: 'iso', guestTimestamps: 'dmesg', host: true },
  };
}
