/**
 * The few classes of subblock state a timeline colours: the 810 tuples grouped by the
 * question an engineer asks of a subblock — is it usable, and is it about to bite?
 */
import { TUPLES, type Tuple } from '../model/state';

export interface StateClass {
  id: string;
  label: string;
  meaning: string;
}

/** Index = class number; the order is the legend's. */
export const STATE_CLASSES: readonly StateClass[] = [
  { id: 'unknown', label: 'unknown', meaning: 'Nothing in the logs says what state this subblock is in.' },
  { id: 'unplugged', label: 'unplugged', meaning: 'Unplugged in the device, with no accepted private page left behind.' },
  { id: 'stale', label: 'stale accepted', meaning: 'Unplugged (or re-plugged) while its private page stayed accepted: the next accept of it fails.' },
  { id: 'pending', label: 'needs accept', meaning: 'Plugged, but its private page is not accepted yet (pending or never added).' },
  { id: 'shared', label: 'shared', meaning: 'Converted to shared: the host may map and free it.' },
  { id: 'online', label: 'online', meaning: 'Online in the buddy allocator (accepted, where the guest is confidential).' },
  { id: 'offline', label: 'offline / held', meaning: 'Plugged but not in the buddy: not added, offline, fake-offline or held by the driver.' },
  { id: 'plugged', label: 'plugged', meaning: 'Plugged in the device; how the guest uses it is not logged.' },
];

export const UNKNOWN_CLASS = 0;

export function classify(t: Tuple): number {
  if (t.accept === 'stale') return 2;
  if (t.dev === 'unplugged') return 1;
  if (t.attr === 'shared') return 4;
  if (t.accept === 'pending' || t.accept === 'free') return 3;
  if (t.use === 'buddy') return 5;
  if (t.use === 'none' || t.use === 'offline' || t.use === 'fake-offline' || t.use === 'driver-held') return 6;
  if (t.dev === 'plugged') return 7;
  return UNKNOWN_CLASS;
}

/** Class of every tuple number, computed once: the window query reads it per interval. */
export const CLASS_OF_TUPLE: Uint8Array = Uint8Array.from(TUPLES, classify);
