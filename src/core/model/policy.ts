/**
 * The policies in dispute (DOMAIN.md §4.6): what the VMM and the guest do with accepted
 * memory on unplug. Analysis infers them from evidence; a user may force one (`--policy`,
 * `--what-if`) to ask whether a failure would still happen.
 */

export type Tristate = 'yes' | 'no' | 'unknown';

export interface Policies {
  /** The VMM discards the private (guest_memfd) pages as well as the shared ones on UNPLUG. */
  'vmm.discardPrivate': Tristate;
  /** The guest converts memory to shared (set_memory_decrypted) before it unplugs it. */
  'guest.convertSharedOnUnplug': Tristate;
  /** The guest RELEASEs accepted memory (TDG.MEM.PAGE.RELEASE) before it unplugs it. */
  'guest.releaseOnUnplug': Tristate;
  /** VIRTIO_MEM_F_UNPLUGGED_INACCESSIBLE was negotiated (the RFC then skips the conversion). */
  'device.unpluggedInaccessible': Tristate;
  /** Whether the guest accepts whole memory blocks on MEM_GOING_ONLINE (the memory-notifier patch) or only plugged subblocks. */
  'guest.acceptGranularity': 'block' | 'subblock' | 'unknown';
  /** Whether the guest driver accepts plugged memory at all (the mainline driver does not). */
  'guest.acceptsMemory': Tristate;
}

export type PolicyName = keyof Policies;

export interface PolicyDoc {
  name: PolicyName;
  values: readonly string[];
  meaning: string;
}

export const POLICY_DOCS: readonly PolicyDoc[] = [
  {
    name: 'vmm.discardPrivate',
    values: ['yes', 'no', 'unknown'],
    meaning: 'On UNPLUG the VMM discards the private (guest_memfd) pages too (QEMU master), not only the shared side (QEMU 9.2).',
  },
  {
    name: 'guest.convertSharedOnUnplug',
    values: ['yes', 'no', 'unknown'],
    meaning:
      'The guest converts memory to shared (set_memory_decrypted → MapGPA) before it unplugs it; the host then removes the private page. The CoCo RFC skips it when device.unpluggedInaccessible=yes.',
  },
  {
    name: 'guest.releaseOnUnplug',
    values: ['yes', 'no', 'unknown'],
    meaning: 'The guest RELEASEs accepted memory (TDG.MEM.PAGE.RELEASE, MAPPED → PENDING) before unplug, so a later accept succeeds.',
  },
  {
    name: 'device.unpluggedInaccessible',
    values: ['yes', 'no', 'unknown'],
    meaning: 'VIRTIO_MEM_F_UNPLUGGED_INACCESSIBLE was negotiated; the CoCo RFC then skips the conversion to shared on unplug.',
  },
  {
    name: 'guest.acceptGranularity',
    values: ['block', 'subblock', 'unknown'],
    meaning:
      'block: the guest accepts whole 128 MiB memory blocks on MEM_GOING_ONLINE, unplugged subblocks too (the memory-notifier patch, L-TDXFIX 2/2); subblock: only the plugged subblocks (the CoCo RFC).',
  },
  {
    name: 'guest.acceptsMemory',
    values: ['yes', 'no', 'unknown'],
    meaning: 'The guest driver accepts plugged memory before use (CoCo-aware); the mainline driver does not.',
  },
];

export const DEFAULT_POLICIES: Policies = {
  'vmm.discardPrivate': 'unknown',
  'guest.convertSharedOnUnplug': 'unknown',
  'guest.releaseOnUnplug': 'unknown',
  'device.unpluggedInaccessible': 'unknown',
  'guest.acceptGranularity': 'unknown',
  'guest.acceptsMemory': 'unknown',
};

/**
 * Whether these policies remove the private page on unplug, so that a re-plug finds it
 * unaccepted: the VMM discards it, the guest RELEASEs it, or the guest converts it to shared
 * (which the CoCo RFC skips when VIRTIO_MEM_F_UNPLUGGED_INACCESSIBLE was negotiated).
 */
export function removesPrivatePage(p: Partial<Policies>): boolean {
  return p['vmm.discardPrivate'] === 'yes' || p['guest.releaseOnUnplug'] === 'yes' || convertsBeforeUnplug(p);
}

/** The guest converts to shared before unplug: asked to, and VIRTIO_MEM_F_UNPLUGGED_INACCESSIBLE (with which the RFC skips it) not negotiated. */
export function convertsBeforeUnplug(p: Partial<Policies>): boolean {
  return p['guest.convertSharedOnUnplug'] === 'yes' && p['device.unpluggedInaccessible'] !== 'yes';
}

/** `guest.convertSharedOnUnplug=yes, device.unpluggedInaccessible=no`: the policies as `--what-if` takes them. */
export function policiesText(p: Partial<Policies>): string {
  return Object.entries(p)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
}

/** `vmm.discardPrivate=yes` → a forced policy, or an error message. */
export function parsePolicy(text: string): { name: PolicyName; value: string } | { error: string } {
  const m = /^([\w.]+)=(\w+)$/.exec(text.trim());
  if (!m) return { error: `'${text}' is not NAME=VALUE` };
  const doc = POLICY_DOCS.find((d) => d.name === m[1]);
  if (!doc) return { error: `unknown policy '${m[1]}' (see 'hotplug-lens policies')` };
  if (!doc.values.includes(m[2])) return { error: `policy ${doc.name} takes ${doc.values.join(', ')}, not '${m[2]}'` };
  return { name: doc.name, value: m[2] };
}

/** Where an inferred policy value came from. */
export interface PolicyEvidence {
  value: string;
  /** `forced` by the user, `logged` from a line that shows it, `inferred` from outcomes. */
  how: 'forced' | 'logged' | 'inferred' | 'default';
  reason: string;
  at?: { input: number; line: number };
}
