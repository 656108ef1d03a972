/**
 * Replays the merged event stream into the model and the findings: each event goes to its
 * handler (handlers.ts); the parts they share live here, and the end of the logs settles what
 * is still pending.
 */
import type { HotplugEvent } from '../events';
import type { DeviceModel } from '../model/device';
import { type Action, type Emission, Model } from '../model/model';
import { DEFAULT_POLICIES, type Policies, type PolicyEvidence, type PolicyName } from '../model/policy';
import { Conversions } from './conversions';
import { DeviceSetup } from './device-setup';
import { type Draft, draftMessage } from './draft';
import { noteEmissions } from './emissions';
import { GeometryLines } from './geometry-lines';
import type { Handler, Parts } from './handler-types';
import { HANDLERS } from './handlers';
import { FindingsLedger } from './ledger';
import { SizeNarrowing } from './narrowing';
import { PlatformEvidence } from './platform-evidence';
import { PolicyInference } from './policy-inference';
import { RequestPairing } from './requests';
import { ResizeStalls } from './resize-stalls';
import type { Run } from './run';
import { VmEnd } from './vm-end';

export interface AnalyzerOptions {
  /** Policies forced by the user; the rest are inferred. */
  forced?: Partial<Policies>;
  /** Replaying to see what a forced policy would have prevented. */
  whatIf?: boolean;
}

export class Analyzer implements Run {
  readonly model: Model;
  readonly ledger = new FindingsLedger();
  readonly inference: PolicyInference;
  readonly platform = new PlatformEvidence();
  readonly vmEnd = new VmEnd(this.ledger);
  private readonly parts: Parts;

  constructor(options: AnalyzerOptions = {}) {
    const forced = options.forced ?? {};
    this.model = new Model({ ...DEFAULT_POLICIES, ...forced }, options.whatIf === true);
    this.inference = new PolicyInference(this.model, forced);
    this.parts = {
      run: this,
      requests: new RequestPairing(this),
      narrowing: new SizeNarrowing(this),
      geometry: new GeometryLines(this),
      conversions: new Conversions(this),
      stalls: new ResizeStalls(this),
      setup: new DeviceSetup(this),
    };
  }

  get drafts(): Draft[] {
    return this.ledger.drafts;
  }

  get omitted(): ReadonlyMap<string, { code: string; count: number }> {
    return this.ledger.omitted;
  }

  get policyEvidence(): ReadonlyMap<PolicyName, PolicyEvidence> {
    return this.inference.evidence;
  }

  /** The policies the model replays with: forced, else as the logs showed them, else the defaults. */
  get policies(): Policies {
    return this.model.policies;
  }

  get impossibleValues(): ReadonlyArray<{ at: { input: number; line: number }; reason: string }> {
    return this.parts.geometry.impossibleValues;
  }

  /** Whether the run is a confidential guest, as far as the logs say. */
  get coco(): boolean {
    return this.platform.confidential;
  }

  /** A draft's message in the words of the platform the logs show so far. */
  messageOf(d: Draft): string {
    return draftMessage(d, this.platform.platform);
  }

  event(e: HotplugEvent): void {
    const at = { input: e.input, line: e.source.line };
    this.platform.see(e);
    // A guest request is confirmed by whatever the driver prints next, unless that is its failure.
    if ('device' in e && typeof e.device === 'string' && e.device !== '' && e.kind !== 'vmem.opFailed') this.parts.requests.confirm(e.device);
    const handler = HANDLERS[e.kind];
    if (typeof handler === 'function') (handler as Handler<HotplugEvent['kind']>)(this.parts, e, at);
  }

  see(device: DeviceModel, start: bigint, end: bigint): void {
    device.geometry.sawAddress(start, end);
    this.parts.narrowing.flush();
  }

  apply(action: Action, related?: Draft['related'], via?: string): void {
    const d = action.device !== undefined ? this.model.device(action.device) : this.model.deviceAt(action.start);
    // Narrowings that waited for this address go first: they tell the state the action meets.
    this.see(d, action.start, action.end);
    // Model.apply less its device lookup and sawAddress, done here already (an action per event on dense traces).
    this.emitted(this.model.applyTo(d, action), related, via);
  }

  emitted(emissions: readonly Emission[], related?: Draft['related'], via?: string): void {
    if (emissions.length > 0) noteEmissions(this, emissions, related, via);
  }

  acknowledged(device: string, input: number): void {
    this.parts.narrowing.acknowledged(device, input);
  }

  /** Ends the replay: settles what is still pending. */
  finish(): void {
    const { requests, conversions, narrowing, stalls } = this.parts;
    requests.confirmAll();
    stalls.finish();
    conversions.unplacedCpa();
    narrowing.drop();
    if (!this.platform.confidential) this.ledger.dropLatent();
    this.ledger.foldLatent();
    const reaccept = this.drafts.find((d) => d.code === 'HPL001');
    // Outcomes speak only where no line did.
    if (reaccept && !this.inference.evidence.has('vmm.discardPrivate')) {
      this.inference.infer('vmm.discardPrivate', 'no', 're-accepts of unplugged memory failed as if its private pages were never discarded', reaccept.at, 'inferred');
    }
  }
}
