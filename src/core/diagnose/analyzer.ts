/**
 * Replays the merged event stream: turns events into model actions (pairing requests with
 * their answers, narrowing from `plugged size`), notes the findings that single events prove
 * by themselves, and collects the evidence the report's words are made of.
 */
import type { HotplugEvent } from '../events';
import { GEOMETRY_FIELD_NAMES, type GeometryField, impossibleGeometry, regionNoLongerPossible } from '../model/geometry';
import { type Action, type Emission, Model, type Ref } from '../model/model';
import { DEFAULT_POLICIES, type Policies, type PolicyEvidence, type PolicyName } from '../model/policy';
import { hexString } from '../text/hex';
import type { Draft, SizeLine } from './draft';
import { decodeTdxStatus } from './tdx-status';

const hex = hexString;
const PAGE = 0x1000n;
/** Answers BUSY/NACK in a row beyond which retries are a storm rather than the driver's pattern. */
const RETRY_STORM = 8;
/** Findings kept per root cause; the rest are counted (see Analyzer.omitted). */
const MAX_FINDINGS_PER_GROUP = 1000;
/** Per device, how many of the latest size lines are kept for the story of a root cause. */
const STORY_LINES = 16;

interface PendingRequest {
  op: 'plug' | 'unplug' | 'unplugAll';
  start: bigint;
  end: bigint;
  at: Ref;
}

interface DeviceContext {
  history: SizeLine[];
  /** Incremented when the requested size changes: findings of one phase share a root cause. */
  phase: number;
  /** Root-cause group key of each finding code in this phase. */
  groups: Map<string, string>;
  lastRequested?: bigint;
  /** A guest request (V18/V20/V22) waiting for the next line to say whether it failed. */
  guestRequest?: PendingRequest;
  retries: number;
  retryStart?: Ref;
  /** Explicit ACKed requests seen since the last `plugged size` line. */
  explicitSinceSize: boolean;
  /** Inputs that showed explicit ACKed requests for this device (DYN lines, QEMU traces). */
  explicitInputs: Set<number>;
}

export interface AnalyzerOptions {
  /** Policies forced by the user; the rest are inferred. */
  forced?: Partial<Policies>;
  /** Replaying to see what a forced policy would have prevented. */
  whatIf?: boolean;
}

const FORCEABLE_FROM_LOG: PolicyName[] = ['vmm.discardPrivate', 'guest.acceptsMemory', 'guest.acceptGranularity'];

export class Analyzer {
  readonly model: Model;
  readonly drafts: Draft[] = [];
  readonly policyEvidence = new Map<PolicyName, PolicyEvidence>();
  private readonly contexts = new Map<string, DeviceContext>();
  private readonly forced: Partial<Policies>;
  /** QEMU's request waiting for its `virtio_mem_send_response`, with the discard that served it. */
  private qemuRequest?: PendingRequest & { device: string; sharedOnly?: Ref };
  /** Lines that a `plugged size` narrowing had to wait for, until the region start is known. */
  private readonly waiting: Array<{ device: string; size: bigint; at: Ref }> = [];
  /** The last range QEMU converted to private, to place a CPA warning that has only a hashed address. */
  private lastToPrivate?: { start: bigint; end: bigint; at: Ref };
  /** A CPA warning that came before any conversion it could be about (clocks of a second's grain). */
  private pendingCpa?: { bytes: bigint; errno?: number; at: Ref };
  /** Lines that prove the guest is a confidential one (TDX or SEV-SNP). */
  private cocoAt?: Ref;
  private snp = false;
  /** Findings that explain a VM's end, for HPL014. */
  private fatalCause?: { code: string; at: Ref };
  private latentUnplugs: Draft[] = [];
  /** Per device, the last failure noted: what a later 'marking device broken' is about. */
  private readonly lastFailure = new Map<string, Draft>();
  /** Findings counted but not kept, per root-cause group. */
  readonly omitted = new Map<string, { code: string; count: number }>();
  private readonly perGroup = new Map<string, number>();
  /** HPL007 by group and range: one refusal seen from both sides is one finding. */
  private readonly refusals = new Map<string, Draft>();
  /** The HPL014 of the VM's end: later fatal lines are more evidence of the same end. */
  private ended: Draft | undefined;
  /** Geometry values no driver could run with, not taken (HPL015 of their input). */
  readonly impossibleValues: Array<{ at: Ref; reason: string }> = [];
  /** Per device, the line each geometry field was taken from. */
  private readonly geometryLines = new Map<string, Partial<Record<GeometryField, Ref>>>();

  constructor(options: AnalyzerOptions = {}) {
    this.forced = options.forced ?? {};
    const policies: Policies = { ...DEFAULT_POLICIES, ...this.forced };
    for (const [name, value] of Object.entries(this.forced)) {
      this.policyEvidence.set(name as PolicyName, { value: value as string, how: 'forced', reason: 'given on the command line' });
    }
    this.model = new Model(policies, options.whatIf === true);
  }

  get policies(): Policies {
    return this.model.policies;
  }

  /** Whether the run is a confidential guest, as far as the logs say. */
  get coco(): boolean {
    return this.cocoAt !== undefined;
  }

  private ctx(device: string): DeviceContext {
    let c = this.contexts.get(device);
    if (!c) {
      c = { history: [], phase: 0, groups: new Map(), retries: 0, explicitSinceSize: false, explicitInputs: new Set() };
      this.contexts.set(device, c);
    }
    return c;
  }

  private group(code: string, device: string | undefined): string {
    if (!device) return `${code}:-:0`;
    // Asked once per finding, also for the hundred-thousandth that is only counted.
    const c = this.ctx(device);
    let key = c.groups.get(code);
    if (key === undefined) c.groups.set(code, (key = `${code}:${device}:${c.phase}`));
    return key;
  }

  /** `reason` may be a function: it is asked only when the evidence is kept, not at every line that shows it again. */
  private infer(name: PolicyName, value: string, reason: string | (() => string), at: Ref, how: 'logged' | 'inferred' = 'logged'): void {
    if (this.forced[name] !== undefined) return;
    const known = this.policyEvidence.get(name);
    // The first line that shows a policy is its evidence; outcomes never override what is logged.
    if (known && known.how === 'logged' && known.value === value) return;
    if (known && known.how === 'logged' && how === 'inferred') return;
    this.policyEvidence.set(name, { value, how, reason: typeof reason === 'string' ? reason : reason(), at });
    if (FORCEABLE_FROM_LOG.includes(name)) this.model.setPolicy(name, value as never);
  }

  /**
   * Counts a finding without writing it when its root cause has enough already: for lines
   * that recur by the hundred thousand, the words are not worth making.
   */
  private counted(code: string, device: string | undefined): boolean {
    const group = this.group(code, device);
    if ((this.perGroup.get(group) ?? 0) < MAX_FINDINGS_PER_GROUP) return false;
    const o = this.omitted.get(group);
    if (o) o.count += 1;
    else this.omitted.set(group, { code, count: 1 });
    return true;
  }

  /** Notes a finding; undefined when it was only counted (its root cause has enough). */
  private note(draft: Omit<Draft, 'group'> & { group?: string }): Draft | undefined {
    const full: Draft = {
      ...draft,
      group: draft.group ?? this.group(draft.code, draft.device),
      sequence: this.drafts.length,
    };
    // One refusal seen from both sides (QEMU's ERROR answer, the driver's -22) is one finding.
    const refusal = full.code === 'HPL007' && full.range ? `${full.group}:${full.range.start}:${full.range.end}` : undefined;
    const same = refusal !== undefined ? this.refusals.get(refusal) : undefined;
    if (same) {
      same.related.push({ at: full.at, message: 'the same refusal, seen from the other side' });
      return same;
    }
    // The driver unplugs a range as many requests (a block, then subblock by subblock, top
    // down): adjacent unplugs that left private pages behind are one finding over their range.
    const previous = this.drafts[this.drafts.length - 1];
    if (full.code === 'HPL005' && previous?.code === 'HPL005' && previous.group === full.group && previous.range && full.range) {
      if (full.range.end === previous.range.start || full.range.start === previous.range.end) {
        previous.range = {
          start: full.range.start < previous.range.start ? full.range.start : previous.range.start,
          end: full.range.end > previous.range.end ? full.range.end : previous.range.end,
        };
        previous.related.push({ at: full.at, message: 'an adjacent UNPLUG, also without private discard' });
        previous.message = `UNPLUG of [${hex(previous.range.start)}, ${hex(previous.range.end)}) was acknowledged, but only the shared side was discarded: the private pages stay accepted and a re-plug of this range will fail to accept.`;
        return previous;
      }
    }
    // A pathological log can hold a failure per line: a root cause keeps its first findings
    // and counts the rest, so memory and reports stay bounded.
    const kept = this.perGroup.get(full.group) ?? 0;
    if (kept >= MAX_FINDINGS_PER_GROUP) {
      const o = this.omitted.get(full.group);
      if (o) o.count += 1;
      else this.omitted.set(full.group, { code: full.code, count: 1 });
      return undefined;
    }
    this.perGroup.set(full.group, kept + 1);
    // The device's list moves on (and drops its oldest lines): the story is taken now.
    if (full.device) full.sizeHistory = [...this.ctx(full.device).history];
    this.drafts.push(full);
    if (refusal !== undefined) this.refusals.set(refusal, full);
    if (full.device && full.code !== 'HPL016') this.lastFailure.set(full.device, full);
    return full;
  }

  private sawCoco(at: Ref): void {
    this.cocoAt ??= at;
  }

  event(e: HotplugEvent): void {
    const at: Ref = { input: e.input, line: e.source.line };
    // A guest request is confirmed by whatever the driver prints next, unless that is its failure.
    if ('device' in e && typeof e.device === 'string' && e.device !== '' && e.kind !== 'vmem.opFailed') this.settleGuestRequest(e.device);
    switch (e.kind) {
      case 'vmem.geometry':
        this.geometry(e.device, e.field, e.value, at);
        break;
      case 'vmem.node':
        this.model.device(e.device).geometry.node = e.node;
        break;
      case 'vmem.size':
        this.size(e.device, e.which, e.size, at);
        break;
      case 'vmem.range':
        this.guestRange(e.device, e.op, e.start, e.end, at);
        break;
      case 'vmem.unplugAll':
        this.ctx(e.device).guestRequest = { op: 'unplugAll', start: 0n, end: 0n, at };
        break;
      case 'vmem.opFailed':
        this.guestFailure(e.device, e.op, e.errno, at);
        break;
      case 'vmem.broken':
        this.broken(e.device, e.errno, at);
        break;
      case 'vmem.cocoLeak':
        this.sawCoco(at);
        this.note({
          code: 'HPL006',
          at,
          device: e.device,
          related: [],
          message: `${e.device}: unplugging failed and converting the memory back to private failed too; the subblock stays plugged, fake-offline and unusable (leaked).`,
          via: 'R1',
        });
        break;
      case 'cpa.failure':
        this.sawCoco(at);
        this.cpaFailure(e.to, e.numPages, e.errno, at);
        break;
      case 'tdx.acceptFailed':
        this.sawCoco(at);
        this.infer('guest.acceptsMemory', 'yes', 'the guest logs its own accept failures', at, 'inferred');
        this.acceptFailed(e.start, e.end, at, 'T2');
        break;
      case 'tdx.releaseFailed':
        this.sawCoco(at);
        this.note({
          code: 'HPL017',
          at,
          device: this.model.deviceAt(e.start).id,
          range: { start: e.start, end: e.end },
          related: [],
          message: `The guest could not RELEASE [${hex(e.start)}, ${hex(e.end)}) before unplug (TDG.MEM.PAGE.RELEASE failed).`,
          via: 'T4',
        });
        break;
      case 'tdx.guestDetected':
      case 'tdx.septVeMisconfigured':
        this.sawCoco(at);
        break;
      case 'platform.info':
        if (e.what === 'memoryEncryption' || e.what === 'sevStatus') {
          if (/TDX|SNP|SEV/.test(e.detail)) this.sawCoco(at);
          if (/SNP/.test(e.detail)) this.snp = true;
        }
        break;
      case 'snp.pvalidateFailed':
        this.sawCoco(at);
        this.snp = true;
        // S3 with a kernel virtual address names no frame (events.ts); its finding is issue 15's.
        if (e.pfn !== undefined) this.pvalidateFailed(e.pfn, e.pageSize, e.ret, at);
        break;
      case 'snp.pscFailed':
        this.sawCoco(at);
        this.snp = true;
        this.fatal('HPL010', at);
        this.note({
          code: 'HPL010',
          at,
          related: [],
          cause: 'unknown',
          message: `SEV-SNP page state change failed (${e.detail}${e.ret !== undefined ? `, ret=${e.ret}` : ''}); the guest terminates itself.`,
          via: e.rule,
        });
        break;
      case 'qemu.vmem.request':
        this.qemuRequestSeen(e.op, e.addr, e.nbBlocks, at);
        break;
      case 'qemu.vmem.response':
        this.qemuResponse(e.type, at);
        break;
      case 'qemu.vmem.unpluggedAll':
        this.unplugAll(undefined, at);
        break;
      case 'qemu.discard':
        this.discard(e.variant, e.length, at);
        break;
      case 'qemu.convert':
        this.sawCoco(at);
        this.convert(e.start, e.size, e.to, at);
        break;
      case 'qemu.setAttributesFailed':
        this.conversionFailed(e.start, e.size, at, 'KE1', `QEMU failed to set the memory attributes of [${hex(e.start)}, ${hex(e.start + e.size)}) to ${hex(e.attributes)}: ${e.error}.`);
        break;
      case 'qemu.convertNonGuestMemfd':
        this.conversionFailed(
          e.start,
          e.size,
          at,
          'KE2',
          `The guest asked to convert [${hex(e.start)}, ${hex(e.start + e.size)}) to ${e.to}, but that RAM is not backed by guest_memfd: the memory backend of the virtio-mem device is misconfigured for a confidential guest.`,
          'config',
        );
        break;
      case 'qemu.error':
        this.qemuError(e.rule, e.detail, at);
        break;
      case 'qemu.kvmRunFailed':
        this.vmEnded(at, `QEMU stopped the VM: kvm run failed (${e.reason})`, 'KE8');
        break;
      case 'kvm.accessBeforeAccept':
        this.sawCoco(at);
        this.touch(e.gpa, e.vcpu, at);
        break;
      case 'kvm.seamcallFailed':
        this.sawCoco(at);
        this.seamcall(e.fn, e.status, e.rcx, at);
        break;
      case 'kvm.tdxError':
        this.sawCoco(at);
        this.fatal('HPL012', at);
        this.note({
          code: 'HPL012',
          at,
          related: [],
          message: `KVM TDX error: ${e.detail}${e.status !== undefined ? ` (${decodeTdxStatus(e.status).name})` : ''}.`,
          via: e.rule,
        });
        break;
      case 'kernel.splat':
        if (e.func === 'virtio_mem_refresh_config') {
          this.note({
            code: 'HPL009',
            at: e.siteLine !== undefined ? { input: e.input, line: e.siteLine } : at,
            related: [],
            confidence: 'certain',
            message: 'The driver WARNs in virtio_mem_refresh_config: the device reports a plugged size different from what the driver plugged.',
            via: 'V17',
          });
        }
        break;
      case 'kernel.panic':
        if (e.reason === 'eptViolation') {
          this.sawCoco(at);
          this.fatal('HPL004', at);
          this.note({
            code: 'HPL004',
            at,
            related: [],
            confidence: 'certain',
            message: 'The guest touched private memory it had not accepted; in a debug TD without SEPT_VE_DISABLE that is a #VE and this panic.',
            via: 'T7',
          });
        }
        this.vmEnded(at, `the guest panicked (${e.message.replace(/\.$/, '')})`, 'panic');
        break;
      default:
        break;
    }
  }

  /**
   * A geometry line. A value no driver could run with (a corrupt line) is not taken, so that it
   * cannot erase what the rest of the log shows: the last possible value stays, or the field is
   * inferred as when it is not logged; the line is told as a sign of a damaged log (HPL015).
   */
  private geometry(device: string, field: GeometryField, value: bigint, at: Ref): void {
    const g = this.model.device(device).geometry;
    const why = impossibleGeometry(field, value, g);
    if (why !== undefined) {
      this.ignoreGeometry(device, field, value, at, why);
      return;
    }
    g[field] = value;
    let lines = this.geometryLines.get(device);
    if (!lines) this.geometryLines.set(device, (lines = {}));
    lines[field] = at;
    const region = regionNoLongerPossible(g);
    if (region !== undefined && g.regionSize !== undefined) {
      this.ignoreGeometry(device, 'regionSize', g.regionSize, lines.regionSize ?? at, region);
      g.regionSize = undefined;
    }
    this.flushWaiting();
  }

  private ignoreGeometry(device: string, field: GeometryField, value: bigint, at: Ref, why: string): void {
    this.impossibleValues.push({
      at,
      reason: `its line ${at.line} gives ${device} an impossible ${GEOMETRY_FIELD_NAMES[field]} ${hex(value)} (${why}): ignored`,
    });
  }

  private size(device: string, which: 'plugged' | 'requested', size: bigint, at: Ref): void {
    const c = this.ctx(device);
    c.history.push({ which, size, at });
    if (c.history.length > STORY_LINES) c.history.shift();
    if (which === 'requested') {
      if (c.lastRequested !== undefined && c.lastRequested !== size) {
        c.phase += 1;
        c.groups.clear();
      }
      c.lastRequested = size;
      return;
    }
    if (!this.model.device(device).resolved) {
      this.waiting.push({ device, size, at });
      return;
    }
    this.narrow(device, size, at);
  }

  private narrow(device: string, size: bigint, at: Ref): void {
    const c = this.ctx(device);
    // Requests seen in another input are ordered against this line only as precisely as the
    // clocks align: then the requests, not this line, say what is plugged.
    const elsewhere = [...c.explicitInputs].some((input) => input !== at.input);
    if (elsewhere) return;
    const { emissions, explained, hadUnknown } = this.model.pluggedSize(device, size, at);
    this.emitted(emissions);
    // A difference is a disagreement only when every subblock's state was seen, not guessed.
    if (c.explicitSinceSize && explained > 0n && !hadUnknown) {
      this.note({
        code: 'HPL009',
        at,
        device,
        related: [],
        confidence: 'likely',
        message: `${device} reports ${hex(size)} plugged, ${hex(explained)} off from what the acknowledged requests add up to.`,
        via: 'V15',
      });
    }
    c.explicitSinceSize = false;
  }

  /** Applies the narrowings that waited for a region start, once one is known. */
  private flushWaiting(): void {
    for (let i = 0; i < this.waiting.length; ) {
      const w = this.waiting[i];
      if (this.model.device(w.device).resolved) {
        this.waiting.splice(i, 1);
        this.narrow(w.device, w.size, w.at);
      } else {
        i += 1;
      }
    }
  }

  private act(action: Action): void {
    const d = action.device !== undefined ? this.model.device(action.device) : this.model.deviceAt(action.start);
    d.geometry.sawAddress(action.start, action.end);
    this.flushWaiting();
    // The device is found once: the model need not look for it again.
    const emissions = this.model.applyTo(d, action);
    if (emissions.length > 0) this.emitted(emissions);
  }

  private guestRange(device: string, op: string, start: bigint, end: bigint, at: Ref): void {
    const c = this.ctx(device);
    this.model.device(device).geometry.sawAddress(start, end);
    this.flushWaiting();
    if (op === 'plug' || op === 'unplug') {
      c.guestRequest = { op, start, end, at };
    } else if (op === 'add') {
      // add_memory() auto-onlines the block; a CoCo-aware driver accepts its plugged subblocks.
      this.act({ on: 'online', device, start, end, at });
    } else if (op === 'remove' || op === 'offlineRemove') {
      this.act({ on: 'offline', device, start, end, at });
    }
  }

  private settleGuestRequest(device: string): void {
    const c = this.contexts.get(device);
    const r = c?.guestRequest;
    if (!c || !r) return;
    c.guestRequest = undefined;
    c.retries = 0;
    c.explicitSinceSize = true;
    c.explicitInputs.add(r.at.input);
    if (r.op === 'unplugAll') this.unplugAll(device, r.at);
    else this.act({ on: r.op, device, start: r.start, end: r.end, at: r.at });
  }

  private guestFailure(device: string, op: string, errno: number, at: Ref): void {
    const c = this.ctx(device);
    const r = c.guestRequest;
    c.guestRequest = undefined;
    if (errno === -22) {
      const ranged = r && r.op !== 'unplugAll' ? r : undefined;
      const what = r?.op === 'unplugAll' || op === 'unplugAll' ? 'an UNPLUG_ALL' : op === 'plug' ? 'a PLUG' : op === 'unplug' ? 'an UNPLUG' : 'a request';
      this.note({
        code: 'HPL007',
        at,
        device,
        ...(ranged ? { range: { start: ranged.start, end: ranged.end } } : {}),
        related: r ? [{ at: r.at, message: `the ${r.op === 'unplugAll' ? 'UNPLUG_ALL' : r.op} request` }] : [],
        cause: 'unknown',
        confidence: 'certain',
        message: `${device}: the device answered ERROR to ${what}${ranged ? ` of [${hex(ranged.start)}, ${hex(ranged.end)})` : ''}: driver and device disagree about which blocks are plugged, or the range is invalid.`,
        via: 'V19',
      });
    } else if (errno === -26 || errno === -11) {
      this.retry(device, at, errno === -26 ? 'BUSY' : 'NACK');
    }
  }

  private retry(device: string, at: Ref, answer: string): void {
    const c = this.ctx(device);
    if (c.retries === 0) c.retryStart = at;
    c.retries += 1;
    if (c.retries === RETRY_STORM) {
      this.note({
        code: 'HPL016',
        at,
        device,
        related: c.retryStart ? [{ at: c.retryStart, message: 'the first of these answers' }] : [],
        confidence: 'certain',
        message: `${device}: ${RETRY_STORM} requests in a row were answered ${answer} (migration running, or the requested size shrinking while the driver plugs).`,
        via: answer,
      });
    }
  }

  private broken(device: string, errno: number, at: Ref): void {
    const meaning: Record<number, string> = {
      [-22]: 'EINVAL: the device answered ERROR, or a RELEASE failed',
      [-5]: 'EIO: converting plugged memory to private failed (accept)',
      [-12]: 'ENOMEM: an unexpected answer or allocation failure',
    };
    const before = this.lastFailure.get(device);
    this.note({
      code: 'HPL008',
      at,
      device,
      ...(before ? { group: before.group } : {}),
      related: before ? [{ at: before.at, message: `the failure behind it (${before.code})` }] : [],
      confidence: 'certain',
      message: `${device} is marked broken (${errno}, ${meaning[errno] ?? 'unexpected error'}): the driver stops serving plug and unplug requests.`,
      via: 'V31',
    });
  }

  private cpaFailure(to: 'private' | 'shared', numPages: number, errno: number | undefined, at: Ref): void {
    const bytes = BigInt(numPages) * PAGE;
    if (to === 'shared') {
      this.note({
        code: 'HPL010',
        at,
        related: [],
        cause: 'unknown',
        message: `Converting ${hex(bytes)} bytes of guest memory to shared failed${errno !== undefined ? ` (${errno})` : ''}.`,
        via: 'T1',
      });
      return;
    }
    // The address is hashed (%p): place the failure on the range QEMU was converting, if any.
    const burst = this.lastToPrivate;
    if (burst && burst.end - burst.start >= bytes) {
      this.acceptFailed(burst.start, burst.end, at, 'T1', [{ at: burst.at, message: 'QEMU converted this range to private just before' }]);
      return;
    }
    // The conversion may still come: QEMU's lines can sort after the guest's when one of the
    // clocks has only whole seconds.
    this.pendingCpa = { bytes, ...(errno !== undefined ? { errno } : {}), at };
  }

  private unplacedCpa(): void {
    const pending = this.pendingCpa;
    if (!pending) return;
    this.pendingCpa = undefined;
    const { bytes, errno, at } = pending;
    this.note({
      code: 'HPL003',
      at,
      related: [],
      confidence: 'possible',
      message: `Converting ${hex(bytes)} bytes to private (accept) failed with ${errno ?? 'an error'}; the CPA warning hashes the address, and no QEMU trace says which range it was. ${this.hypotheses()}`,
      via: 'T1',
    });
  }

  private acceptFailed(start: bigint, end: bigint, at: Ref, via: string, related: Draft['related'] = []): void {
    const d = this.model.deviceAt(start);
    d.geometry.sawAddress(start, end);
    this.flushWaiting();
    // The accept of a range implies it was plugged again; the plug itself may not be logged.
    const cover = d.cover(start, end);
    if (!cover) return;
    let unplugged = 0;
    for (let i = cover.first; i < cover.last; i++) if (cover.store.get(i).dev === 'unplugged') unplugged += 1;
    if (unplugged > 0 && unplugged < cover.last - cover.first) {
      this.note({
        code: 'HPL013',
        at,
        device: d.id,
        range: { start, end },
        related: [],
        confidence: 'likely',
        message: `The accept of [${hex(start)}, ${hex(end)}) covers ${unplugged} unplugged subblocks: the guest accepts whole memory blocks while only parts of them are plugged.`,
        via,
      });
    }
    if (unplugged > 0) this.emitted(this.model.apply({ on: 'plug', device: d.id, start, end, at, inferred: true }));
    const emissions = this.model.apply({ on: 'acceptFailed', device: d.id, start, end, at });
    this.emitted(emissions, related, via);
  }

  private pvalidateFailed(pfn: bigint, pageSize: number | undefined, ret: number, at: Ref): void {
    const start = pfn * PAGE;
    const end = start + (pageSize === 1 ? 0x200000n : PAGE);
    this.fatal(ret === 255 ? 'HPL011' : 'HPL003', at);
    if (ret === 255) {
      this.act({ on: 'validateFailed', start, end, at });
      return;
    }
    this.note({
      code: 'HPL003',
      at,
      range: { start, end },
      related: [],
      confidence: 'possible',
      message: `PVALIDATE of pfn ${hex(pfn)} failed with ret=${ret}${ret === 6 ? ' (PVALIDATE_FAIL_SIZEMISMATCH)' : ''}; the guest terminates itself.`,
      via: 'S1',
    });
  }

  private qemuRequestSeen(op: 'plug' | 'unplug' | 'unplugAll' | 'state', addr: bigint | undefined, nbBlocks: number | undefined, at: Ref): void {
    if (op === 'state') return;
    if (op === 'unplugAll') {
      this.qemuRequest = { op, start: 0n, end: 0n, at, device: '' };
      return;
    }
    const start = addr as bigint;
    const d = this.model.deviceAt(start);
    const block = d.geometry.blockSize;
    const end = start + BigInt(nbBlocks ?? 0) * block;
    d.geometry.sawAddress(start, end);
    this.flushWaiting();
    this.qemuRequest = { op, start, end, at, device: d.id };
  }

  private qemuResponse(type: number, at: Ref): void {
    const r = this.qemuRequest;
    this.qemuRequest = undefined;
    if (!r) return;
    const device = r.device || undefined;
    if (type === 0) {
      if (device) {
        const c = this.ctx(device);
        c.retries = 0;
        c.explicitSinceSize = true;
        c.explicitInputs.add(r.at.input);
      }
      if (r.op === 'unplugAll') this.unplugAll(undefined, r.at);
      else this.act({ on: r.op, ...(device ? { device } : {}), start: r.start, end: r.end, at: r.at });
      if (r.sharedOnly) this.unpluggedWithoutPrivateDiscard(r, r.sharedOnly);
    } else if (type === 3) {
      this.note({
        code: 'HPL007',
        at,
        ...(device ? { device } : {}),
        range: { start: r.start, end: r.end },
        related: [{ at: r.at, message: 'the request QEMU refused' }],
        cause: 'unknown',
        confidence: 'certain',
        message: `QEMU answered ERROR to ${r.op === 'plug' ? 'a PLUG' : 'an UNPLUG'} of [${hex(r.start)}, ${hex(r.end)}): the range is not entirely ${r.op === 'plug' ? 'unplugged' : 'plugged'} in the device (double ${r.op}), misaligned or outside the usable region.`,
        via: 'Q1',
      });
    } else if (device && (type === 1 || type === 2)) {
      this.retry(device, at, type === 1 ? 'NACK' : 'BUSY');
    }
  }

  private unplugAll(device: string | undefined, at: Ref): void {
    const devices = device ? [this.model.device(device)] : [...this.model.devices.values()];
    for (const d of devices) {
      const g = d.describe();
      if (g.startAddress === undefined || g.regionSize === undefined) continue;
      this.emitted(this.model.apply({ on: 'unplug', device: d.id, start: g.startAddress, end: g.startAddress + g.regionSize, at }));
    }
  }

  private discard(variant: 'range' | 'shared-range', length: bigint, at: Ref): void {
    // Only discards that serve an UNPLUG say what the VMM does with unplugged memory.
    const request = this.qemuRequest;
    if (request?.op !== 'unplug' && request?.op !== 'unplugAll') return;
    if (variant === 'range') {
      request.sharedOnly = at;
      this.infer(
        'vmm.discardPrivate',
        'no',
        () => `QEMU's UNPLUG discarded ${hex(length)} bytes with ram_block_discard_range, which in QEMU 9.2 punches only the shared side`,
        at,
      );
    } else {
      this.infer(
        'vmm.discardPrivate',
        'yes',
        'QEMU traces ram_block_discard_shared_range: a QEMU that also punches guest_memfd on UNPLUG (the private punch has no trace)',
        at,
      );
    }
  }

  /** HPL005 at an UNPLUG that QEMU acknowledged after discarding only the shared side. */
  private unpluggedWithoutPrivateDiscard(r: PendingRequest & { device: string }, discardAt: Ref): void {
    // A policy given or tried on the command line that removes the private page rules this out.
    const p = this.model.policies;
    if (p['vmm.discardPrivate'] === 'yes' || p['guest.convertSharedOnUnplug'] === 'yes' || p['guest.releaseOnUnplug'] === 'yes') return;
    if (r.op !== 'unplugAll') {
      this.latentUnplug('UNPLUG', r.at, r.device || undefined, r.start, r.end, discardAt);
      return;
    }
    for (const d of this.model.devices.values()) {
      const g = d.describe();
      if (g.startAddress !== undefined && g.regionSize !== undefined && g.regionSize > 0n) {
        this.latentUnplug('UNPLUG_ALL', r.at, d.id, g.startAddress, g.startAddress + g.regionSize, discardAt);
      }
    }
  }

  private latentUnplug(what: string, at: Ref, device: string | undefined, start: bigint, end: bigint, discardAt: Ref): void {
    // Adjacent unplugs merge into the last finding, so only a new one can be over the cap.
    const previous = this.drafts[this.drafts.length - 1];
    const adjacent = previous?.code === 'HPL005' && previous.range && (end === previous.range.start || start === previous.range.end);
    if (!adjacent && this.counted('HPL005', device)) return;
    const draft = this.note({
      code: 'HPL005',
      at,
      ...(device ? { device } : {}),
      range: { start, end },
      related: [{ at: discardAt, message: 'QEMU discarded the shared side only (ram_block_discard_range)' }],
      confidence: 'likely',
      message: `${what} of [${hex(start)}, ${hex(end)}) was acknowledged, but only the shared side was discarded: the private pages stay accepted and a re-plug of this range will fail to accept.`,
      via: 'P1',
    });
    if (draft) this.latentUnplugs.push(draft);
  }

  private convert(start: bigint, size: bigint, to: 'private' | 'shared', at: Ref): void {
    const end = start + size;
    if (size === 0n) return;
    this.act({ on: to === 'private' ? 'toPrivate' : 'toShared', start, end, at });
    if (to !== 'private') return;
    const last = this.lastToPrivate;
    this.lastToPrivate = last && last.end === start ? { start: last.start, end, at: last.at } : { start, end, at };
    const pending = this.pendingCpa;
    if (pending && this.lastToPrivate.end - this.lastToPrivate.start >= pending.bytes) {
      this.pendingCpa = undefined;
      const burst = this.lastToPrivate;
      this.acceptFailed(burst.start, burst.end, pending.at, 'T1', [{ at: burst.at, message: 'QEMU converted this range to private' }]);
    }
  }

  /** HPL010 for a conversion QEMU could not do; the VM stops after it in QEMU 9.2. */
  private conversionFailed(start: bigint, size: bigint, at: Ref, via: string, message: string, cause?: 'config'): void {
    this.sawCoco(at);
    this.fatal('HPL010', at);
    this.note({
      code: 'HPL010',
      at,
      range: { start, end: start + size },
      related: [],
      ...(cause ? { cause, confidence: 'certain' as const } : {}),
      message,
      via,
    });
  }

  private qemuError(rule: string, detail: string, at: Ref): void {
    if (rule === 'QE1') {
      this.note({
        code: 'HPL007',
        at,
        related: [],
        cause: 'guest-kernel',
        confidence: 'certain',
        message: `QEMU saw a malformed virtio-mem request (${detail}) and marked the device broken.`,
        via: 'QE1',
      });
    } else if (rule === 'KE4' || rule === 'KE5') {
      this.note({
        code: 'HPL010',
        at,
        related: [],
        confidence: 'likely',
        message: `QEMU failed to discard RAM: ${detail}.`,
        via: rule,
      });
    }
  }

  private touch(gpa: bigint, vcpu: number, at: Ref): void {
    this.fatal('HPL004', at);
    const page = (gpa / PAGE) * PAGE;
    const emissions = this.model.apply({ on: 'touch', start: page, end: page + PAGE, at });
    this.emitted(emissions, [], `K1 (vCPU ${vcpu})`);
  }

  private seamcall(fn: string, status: bigint, rcx: bigint | undefined, at: Ref): void {
    const s = decodeTdxStatus(status);
    this.fatal('HPL012', at);
    this.note({
      code: 'HPL012',
      at,
      related: [],
      confidence: 'certain',
      message: `Host SEAMCALL ${fn} failed with ${hex(status)} = ${s.name} (operand ${s.operand})${rcx !== undefined ? `, rcx ${hex(rcx)}` : ''}: ${s.where ?? 'see the TDX module specification'}.`,
      via: 'K3',
    });
  }

  private fatal(code: string, at: Ref): void {
    this.fatalCause ??= { code, at };
  }

  private vmEnded(at: Ref, what: string, via: string): void {
    if (this.ended) {
      this.ended.related.push({ at, message: `the same end: ${what}` });
      return;
    }
    const cause = this.fatalCause;
    const causeDraft = cause && this.drafts.find((d) => d.code === cause.code && d.at.input === cause.at.input && d.at.line === cause.at.line);
    this.ended = this.note({
      code: 'HPL014',
      at,
      ...(causeDraft ? { group: causeDraft.group } : {}),
      related: cause ? [{ at: cause.at, message: `${cause.code} explains it` }] : [],
      confidence: 'certain',
      cause: cause ? (cause.code === 'HPL004' ? 'guest-kernel' : cause.code === 'HPL012' ? 'host-kernel' : 'vmm') : 'unknown',
      message: `The VM stopped: ${what}${cause ? `, after ${cause.code}` : ''}.`,
      via,
    });
  }

  /** The causes an unexplained accept failure may have, most likely first, less those a policy rules out. */
  private hypotheses(): string {
    const p = this.model.policies;
    const removed = p['vmm.discardPrivate'] === 'yes' || p['guest.convertSharedOnUnplug'] === 'yes' || p['guest.releaseOnUnplug'] === 'yes';
    const list = [
      ...(removed ? [] : ['the memory was still accepted after an unplug without private discard (HPL001)']),
      'it was still accepted after an offline/online cycle (HPL002)',
      'the VMM refused the conversion to private (HPL010)',
    ];
    return `Possible causes, most likely first: ${list.join('; ')}.`;
  }

  /** Turns the model's emissions into drafts. */
  private emitted(emissions: readonly Emission[], extra: Draft['related'] = [], via?: string): void {
    for (const e of emissions) {
      const range = { start: e.start, end: e.end };
      const where = `[${hex(e.start)}, ${hex(e.end)})`;
      const stale = e.staleAt.map((s) => ({
        at: { input: s.input, line: s.line },
        message: s.inferred
          ? 'plugged size shrank here: this memory was unplugged, and nothing shows its private pages were discarded'
          : 'the UNPLUG of this memory, acknowledged without a private discard',
      }));
      switch (e.code) {
        case 'HPL001':
          this.note({
            code: 'HPL001',
            at: e.at,
            device: e.device,
            range,
            related: [...stale, ...extra],
            confidence: 'likely',
            message: `Accepting ${where} failed: that memory was accepted before it was unplugged, and the UNPLUG did not discard the private pages, so the re-accept hit TDX_PAGE_ALREADY_ACCEPTED.`,
            via: via ?? e.row.id,
          });
          this.fatal('HPL001', e.at);
          break;
        case 'HPL002':
          this.note({
            code: 'HPL002',
            at: e.at,
            device: e.device,
            range,
            related: extra,
            confidence: 'likely',
            message: `Accepting ${where} failed: that memory is still accepted from before the block went offline; nothing converted it on offline.`,
            via: via ?? e.row.id,
          });
          break;
        case 'HPL003':
          this.note({
            code: 'HPL003',
            at: e.at,
            device: e.device,
            range,
            related: extra,
            confidence: 'possible',
            message: `Accepting ${where} failed, and the logs do not show why: the memory was ${e.before.accept === 'unknown' ? 'in an unknown state' : e.before.accept} before. ${this.hypotheses()}`,
            via: via ?? e.row.id,
          });
          break;
        case 'HPL004':
          this.note({
            code: 'HPL004',
            at: e.at,
            device: e.device,
            range,
            related: extra,
            confidence: 'certain',
            cause: e.row.id === 'touch-unplugged' ? 'guest-kernel' : 'guest-kernel',
            message:
              e.row.id === 'touch-unplugged'
                ? `The guest touched ${where} after it was unplugged and discarded; KVM re-added the page PENDING and killed the VM.`
                : `The guest touched ${where} before accepting it (the driver hands plugged memory to the buddy without accepting it); KVM killed the VM.`,
            via: via ?? e.row.id,
          });
          break;
        case 'HPL011':
          this.note({
            code: 'HPL011',
            at: e.at,
            device: e.device,
            range,
            related: [...stale, ...extra],
            confidence: e.before.accept === 'stale' ? 'likely' : 'possible',
            message: `PVALIDATE of ${where} failed with PVALIDATE_FAIL_NOUPDATE: the RMP entry was still validated, so the page was not invalidated on unplug; the guest terminates itself.`,
            via: via ?? e.row.id,
          });
          break;
        default:
          break;
      }
    }
  }

  /**
   * A latent unplug that did turn into failed re-accepts is part of that root cause. Failures
   * sorted by start, with the running maximum of their ends, find an overlap without
   * comparing every pair (a long trace has many of both).
   */
  private foldLatentIntoFailures(): void {
    const failures = this.drafts.filter((d) => d.code === 'HPL001' && d.range).sort((a, b) => (a.range!.start < b.range!.start ? -1 : a.range!.start > b.range!.start ? 1 : 0));
    if (failures.length === 0) return;
    const maxEnd: bigint[] = [];
    for (const [i, f] of failures.entries()) maxEnd.push(i > 0 && maxEnd[i - 1] > f.range!.end ? maxEnd[i - 1] : f.range!.end);
    for (const latent of this.latentUnplugs) {
      const r = latent.range;
      if (!r) continue;
      // The last failure starting before the latent range ends; walk left while one may still overlap.
      let lo = 0;
      let hi = failures.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (failures[mid].range!.start < r.end) lo = mid + 1;
        else hi = mid;
      }
      for (let j = lo - 1; j >= 0 && maxEnd[j] > r.start; j--) {
        if (failures[j].range!.end > r.start) {
          latent.group = failures[j].group;
          break;
        }
      }
    }
  }

  /** Ends the replay: settles what is still pending. */
  finish(): void {
    for (const [device] of this.contexts) this.settleGuestRequest(device);
    this.unplacedCpa();
    // Narrowings still waiting had no address at all: nothing to place them on.
    this.waiting.length = 0;
    // A shared-only discard is harmless when no private memory exists: drop the latent warnings then.
    if (!this.coco) {
      const latent = new Set(this.latentUnplugs);
      let kept = 0;
      for (const d of this.drafts) if (!latent.has(d)) this.drafts[kept++] = d;
      this.drafts.length = kept;
      this.latentUnplugs = [];
    }
    this.foldLatentIntoFailures();
    if (this.snp) {
      for (const d of this.drafts) if (d.code === 'HPL001') d.message = d.message.replace('TDX_PAGE_ALREADY_ACCEPTED', 'an already validated RMP entry');
    }
    const reaccept = this.drafts.find((d) => d.code === 'HPL001');
    if (reaccept && this.policyEvidence.get('vmm.discardPrivate') === undefined) {
      this.infer('vmm.discardPrivate', 'no', 're-accepts of unplugged memory failed as if its private pages were never discarded', reaccept.at, 'inferred');
    }
  }
}
