/**
 * The transition table of the reference model (DOMAIN.md §4.3–§4.5): for each action on a
 * range of subblocks, the first row whose `from` pattern and guard hold gives the new state
 * and the finding it emits. The same rows drive analysis, what-if replay and
 * `hotplug-lens model --markdown`.
 */
import { convertsBeforeUnplug, type Policies, removesPrivatePage } from './policy';
import { matches, type Tuple, TUPLE_COUNT, TUPLES, type TuplePattern, type TupleUpdate } from './state';

/** What happened to a range of subblocks, as the model sees it. */
export type ActionKind =
  | 'plug' // PLUG acknowledged
  | 'unplug' // UNPLUG acknowledged
  | 'online' // the block went online; a CoCo-aware guest accepted the plugged subblocks
  | 'offline' // the block went offline
  | 'toPrivate' // KVM attribute set to private (MapGPA / implicit conversion)
  | 'toShared' // converted to shared: QEMU punched guest_memfd, KVM removed the private page
  | 'acceptFailed' // the guest's accept of the range failed
  | 'validateFailed' // SEV-SNP PVALIDATE failed with PVALIDATE_FAIL_NOUPDATE
  | 'touch'; // the guest accessed the range (host saw the access)

export interface GuardContext {
  policies: Policies;
  /** Replaying with a forced policy to see which outcomes it would have prevented. */
  whatIf: boolean;
  /** The policies that replay tries (none outside a what-if). */
  tried: Partial<Policies>;
}

export interface Guard {
  text: string;
  test(ctx: GuardContext): boolean;
}

export interface TransitionRow {
  id: string;
  on: ActionKind;
  from: TuplePattern;
  guard?: Guard;
  to: TupleUpdate;
  /** Finding code emitted for the subblocks this row takes. */
  emits?: string;
  /** The UNPLUG left an accepted page behind: remember where, for the evidence chain. */
  marksStale?: boolean;
  /** DOMAIN.md transition or hazard this row stands for, and why. */
  note: string;
}

const policy = (name: keyof Policies, value: string): Guard => ({
  text: `${name}=${value}`,
  test: (ctx) => ctx.policies[name] === value,
});

/**
 * A what-if that tries a policy under which unplug removes the private page: memory re-plugged
 * comes back unaccepted, so the accept failures the logs show after it would not happen. Only
 * such a what-if: one that tries another policy must not make them go.
 */
const TRIED_REMOVES_PRIVATE: Guard = {
  text: 'what-if replay of a policy that removes the private page on unplug',
  test: (ctx) => ctx.whatIf && removesPrivatePage(ctx.tried),
};
/** A what-if that tries this policy value. */
const tried = (name: keyof Policies, value: string): Guard => ({
  text: `what-if replay of ${name}=${value}`,
  test: (ctx) => ctx.whatIf && ctx.tried[name] === value,
});

/** The CoCo RFC converts to shared before unplug, but skips it when VIRTIO_MEM_F_UNPLUGGED_INACCESSIBLE was negotiated. */
const CONVERTS_BEFORE_UNPLUG: Guard = {
  text: 'guest.convertSharedOnUnplug=yes, device.unpluggedInaccessible≠yes',
  test: (ctx) => convertsBeforeUnplug(ctx.policies),
};

const GONE = { dev: 'unplugged', use: 'none', accept: 'free', backing: 'hole' } as const;

export const TRANSITIONS: readonly TransitionRow[] = [
  // PLUG
  {
    id: 'plug',
    on: 'plug',
    from: { dev: ['unplugged', 'unknown'] },
    to: { dev: 'plugged', use: 'none' },
    note: 't2: PLUG acknowledged. Acceptance is kept: a page the VMM did not discard is still accepted (X6 → P1*).',
  },
  { id: 'plug-again', on: 'plug', from: { dev: 'plugged' }, to: {}, note: 'Already plugged (the same request seen by guest and QEMU).' },

  // UNPLUG
  {
    id: 'unplug-again',
    on: 'unplug',
    from: { dev: 'unplugged' },
    to: {},
    note: 'Already unplugged (the same UNPLUG seen by guest and QEMU, or UNPLUG_ALL over unplugged memory).',
  },
  {
    id: 'unplug-after-shared',
    on: 'unplug',
    from: { attr: 'shared' },
    to: GONE,
    note: 't9a: converted to shared before; the private page was removed then.',
  },
  {
    id: 'unplug-release',
    on: 'unplug',
    from: { accept: ['accepted', 'stale', 'unknown'] },
    guard: policy('guest.releaseOnUnplug', 'yes'),
    to: { dev: 'unplugged', use: 'none', accept: 'pending' },
    note: 'Guest RELEASE before unplug (L-REL): MAPPED → PENDING, so a later accept succeeds.',
  },
  {
    id: 'unplug-convert',
    on: 'unplug',
    guard: CONVERTS_BEFORE_UNPLUG,
    from: {},
    to: { ...GONE, attr: 'shared' },
    note: 't8 + t9a: the guest converts to shared before unplug; the host removes the private page. The RFC skips the conversion when UNPLUGGED_INACCESSIBLE was negotiated (t8).',
  },
  {
    id: 'unplug-discard',
    on: 'unplug',
    guard: policy('vmm.discardPrivate', 'yes'),
    from: {},
    to: GONE,
    note: 't9b: the VMM discards both planes on UNPLUG (QEMU master).',
  },
  {
    id: 'unplug-stale',
    on: 'unplug',
    from: { accept: ['accepted', 'stale', 'unknown'] },
    guard: policy('vmm.discardPrivate', 'no'),
    to: { dev: 'unplugged', use: 'none', accept: 'stale' },
    marksStale: true,
    note: 'X6: UNPLUG acknowledged, only the shared side discarded (QEMU 9.2): the private page stays accepted. (HPL005 is noted at the discard line that shows it.)',
  },
  {
    id: 'unplug-maybe-stale',
    on: 'unplug',
    from: { accept: ['accepted', 'stale', 'unknown'] },
    to: { dev: 'unplugged', use: 'none', accept: 'stale' },
    marksStale: true,
    note: 'UNPLUG acknowledged and nothing shows the private page was discarded: it may still be accepted (X6).',
  },
  { id: 'unplug-clean', on: 'unplug', from: {}, to: { dev: 'unplugged', use: 'none' }, note: 't9: UNPLUG of memory that was not accepted.' },

  // ONLINE / OFFLINE
  {
    id: 'online-unplugged-accept',
    on: 'online',
    from: { dev: 'unplugged', accept: ['free', 'pending', 'unknown'] },
    guard: policy('guest.acceptGranularity', 'block'),
    to: { use: 'fake-offline', attr: 'private', accept: 'accepted', backing: 'page' },
    note: 'The memory-notifier patch accepts the whole memory block on MEM_GOING_ONLINE, its unplugged subblocks too (KVM AUGs them from guest_memfd): they stay fake-offline, accepted (§4.6 "we might only hot(un)plug parts of a memory block").',
  },
  {
    id: 'online-unplugged',
    on: 'online',
    from: { dev: 'unplugged' },
    to: { use: 'fake-offline' },
    note: 'An unplugged subblock of an added block stays fake-offline.',
  },
  {
    id: 'online-unknown-plug',
    on: 'online',
    from: { dev: 'unknown' },
    to: {},
    note: 'Whether the subblock is plugged is not known (a log that starts mid-stream): onlining accepts only plugged subblocks, so it tells nothing; a later plugged size places it.',
  },
  {
    id: 'online-no-accept-touched',
    on: 'online',
    from: { dev: 'plugged', accept: ['free', 'pending', 'unknown'] },
    guard: tried('guest.acceptsMemory', 'no'),
    to: { use: 'buddy' },
    emits: 'HPL004',
    note: 'i1 tried: a guest that does not accept hands this plugged memory to the buddy, whose first use touches it unaccepted and KVM kills the VM.',
  },
  {
    id: 'online-no-accept',
    on: 'online',
    from: {},
    guard: policy('guest.acceptsMemory', 'no'),
    to: { use: 'buddy' },
    note: 'i1: a driver that does not accept (mainline) hands plugged memory to the buddy unaccepted.',
  },
  {
    id: 'online-accept',
    on: 'online',
    from: { accept: ['free', 'pending', 'unknown'] },
    to: { use: 'buddy', attr: 'private', accept: 'accepted', backing: 'page' },
    note: 't5 + t6: MEM_GOING_ONLINE accepts the plugged subblocks (AUG on demand, zeroed), then the buddy takes them. Accepting never plugs: dev changes only on an ACK (§4.5).',
  },
  { id: 'online-again', on: 'online', from: {}, to: { use: 'buddy' }, note: 'Online again, acceptance unchanged.' },
  { id: 'offline', on: 'offline', from: {}, to: { use: 'offline' }, note: 't13: the block went offline; nothing converts it.' },

  // CONVERSIONS
  { id: 'to-private', on: 'toPrivate', from: {}, to: { attr: 'private' }, note: 't5: MapGPA(private); the accept follows.' },
  {
    id: 'to-shared',
    on: 'toShared',
    from: {},
    to: { attr: 'shared', accept: 'free', backing: 'hole' },
    note: 't8: MapGPA(shared); QEMU punches guest_memfd and KVM removes the private page.',
  },

  // ACCEPT FAILURES
  {
    id: 'accept-prevented',
    on: 'acceptFailed',
    from: { accept: ['free', 'pending'] },
    guard: TRIED_REMOVES_PRIVATE,
    to: { use: 'buddy', attr: 'private', accept: 'accepted', backing: 'page' },
    note: 'Under the policy being tried the page would not be accepted any more: this accept would have succeeded.',
  },
  {
    id: 'accept-prevented-online',
    on: 'acceptFailed',
    from: { accept: 'accepted', use: 'buddy' },
    guard: TRIED_REMOVES_PRIVATE,
    to: {},
    note: 'Under the policy being tried the online before this line accepted the memory afresh: the failure the logs show is that accept, which would have succeeded.',
  },
  {
    id: 'reaccept-after-unplug',
    on: 'acceptFailed',
    from: { accept: 'stale' },
    to: { use: 'offline' },
    emits: 'HPL001',
    note: 'i3: re-accept of a page that stayed accepted across UNPLUG returns TDX_PAGE_ALREADY_ACCEPTED; the block stays offline.',
  },
  {
    id: 'reaccept-after-offline',
    on: 'acceptFailed',
    from: { accept: 'accepted', use: ['offline', 'buddy'] },
    to: { use: 'offline' },
    emits: 'HPL002',
    note: 'i2: an offline → online cycle accepts memory that is still accepted.',
  },
  {
    id: 'accept-failed',
    on: 'acceptFailed',
    from: {},
    to: { use: 'offline' },
    emits: 'HPL003',
    note: 'An accept failed and the state does not explain it.',
  },
  {
    id: 'validate-prevented',
    on: 'validateFailed',
    from: { accept: ['free', 'pending'] },
    guard: TRIED_REMOVES_PRIVATE,
    to: { attr: 'private', accept: 'accepted', backing: 'page' },
    note: 'Under the policy being tried the RMP entry was returned to the hypervisor on unplug: this PVALIDATE would have succeeded.',
  },
  {
    id: 'validate-prevented-online',
    on: 'validateFailed',
    from: { accept: 'accepted', use: 'buddy' },
    guard: TRIED_REMOVES_PRIVATE,
    to: {},
    note: 'Under the policy being tried the online before this line validated the memory afresh: the failure the logs show is that PVALIDATE, which would have succeeded.',
  },
  {
    id: 'double-validate',
    on: 'validateFailed',
    from: {},
    to: { accept: 'accepted' },
    emits: 'HPL011',
    note: 'i9: PVALIDATE of an RMP entry that is still validated (ret=255, PVALIDATE_FAIL_NOUPDATE); the guest terminates.',
  },

  // ACCESS
  {
    id: 'touch-unplugged',
    on: 'touch',
    from: { dev: 'unplugged', accept: ['free', 'unknown'] },
    to: {},
    emits: 'HPL004',
    note: 'i4: the guest touched memory that was unplugged and discarded; KVM re-AUGs it PENDING and kills the VM.',
  },
  {
    id: 'touch-accepted',
    on: 'touch',
    from: { dev: 'plugged' },
    guard: tried('guest.acceptsMemory', 'yes'),
    to: { attr: 'private', accept: 'accepted', backing: 'page' },
    note: 'Under a guest that accepts plugged memory before onlining it, the plugged memory it used was accepted: the access the host reported would not have faulted.',
  },
  {
    id: 'touch-unaccepted',
    on: 'touch',
    from: {},
    to: { accept: 'pending' },
    emits: 'HPL004',
    note: 'i1: the guest touched plugged memory it never accepted; KVM kills the VM.',
  },
];

/**
 * Row lookup by tuple number, memoised per action. A table is valid while the guard context
 * is unchanged: the model drops its tables when a policy changes.
 */
export class RowIndex {
  private readonly tables = new Map<ActionKind, Int16Array>();

  constructor(private readonly ctx: GuardContext) {}

  row(on: ActionKind, tupleNumber: number): TransitionRow {
    let table = this.tables.get(on);
    if (!table) {
      table = new Int16Array(TUPLE_COUNT).fill(-1);
      this.tables.set(on, table);
    }
    let index = table[tupleNumber];
    if (index < 0) {
      index = TRANSITIONS.indexOf(findRow(on, TUPLES[tupleNumber], this.ctx));
      table[tupleNumber] = index;
    }
    return TRANSITIONS[index];
  }

  invalidate(): void {
    this.tables.clear();
  }
}

/** The row that applies to a subblock in state `tuple`; every action has a catch-all row. */
export function findRow(on: ActionKind, tuple: Tuple, ctx: GuardContext): TransitionRow {
  for (const row of TRANSITIONS) {
    if (row.on !== on) continue;
    if (!matches(tuple, row.from)) continue;
    if (row.guard && !row.guard.test(ctx)) continue;
    return row;
  }
  throw new Error(`no transition for ${on}`);
}
