/** What an event handler is given, and what the table holds for a kind: a handler, or why it is ignored. */
import type { HotplugEvent } from '../events';
import type { Ref } from '../model/model';
import type { Conversions } from './conversions';
import type { DeviceSetup } from './device-setup';
import type { GeometryLines } from './geometry-lines';
import type { SizeNarrowing } from './narrowing';
import type { RequestPairing } from './requests';
import type { ResizeStalls } from './resize-stalls';
import type { Run } from './run';

export interface Parts {
  run: Run;
  requests: RequestPairing;
  narrowing: SizeNarrowing;
  geometry: GeometryLines;
  conversions: Conversions;
  stalls: ResizeStalls;
  setup: DeviceSetup;
}

export type Kind = HotplugEvent['kind'];
type EventOf<K extends Kind> = HotplugEvent & { kind: K };
export type Handler<K extends Kind> = (parts: Parts, e: EventOf<K>, at: Ref) => void;
/** A kind no finding depends on yet, with the reason. */
export interface Ignored {
  ignored: string;
}
