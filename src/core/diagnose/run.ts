/**
 * The parts of a run every event handler shares: the model, the findings ledger, the policy
 * evidence and the VM's end, and the steps that keep them in step (an address seen resolves
 * waiting narrowings, an action's emissions become findings).
 */
import type { DeviceModel } from '../model/device';
import type { Action, Emission, Model, Ref } from '../model/model';
import type { Draft } from './draft';
import type { FindingsLedger } from './ledger';
import type { PlatformEvidence } from './platform-evidence';
import type { PolicyInference } from './policy-inference';
import type { VmEnd } from './vm-end';

export interface Run {
  readonly model: Model;
  readonly ledger: FindingsLedger;
  readonly inference: PolicyInference;
  readonly platform: PlatformEvidence;
  readonly vmEnd: VmEnd;
  /** The device's geometry sees a range (it may place the region), and narrowings that waited for that are applied. */
  see(device: DeviceModel, start: bigint, end: bigint): void;
  /** Applies an action to the model, after `see`, and notes the findings it emits. */
  apply(action: Action, related?: Draft['related'], via?: string): void;
  /** Notes the findings of emissions the model made. */
  emitted(emissions: readonly Emission[], related?: Draft['related'], via?: string): void;
  /** The device acknowledged a request logged in `input`: the next plugged size is checked against the requests. */
  acknowledged(device: string, input: number): void;
}

export type { Ref };
