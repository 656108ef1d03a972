/**
 * What a finding code is, in one place: its name, severity and usual cause, the words of each
 * of its messages for the platform the logs show, why it happens and what would have
 * prevented it. The catalog, the report, the Explain page, `docs/findings.md` and the SARIF
 * rules all read these definitions; nothing rewrites their words afterwards.
 */
import type { Policies } from '../../model/policy';
import { hexString } from '../../text/hex';

export type Severity = 'error' | 'warning' | 'info';
export type Cause = 'vmm' | 'host-kernel' | 'tdx-module' | 'snp-firmware' | 'guest-kernel' | 'config' | 'log' | 'unknown';
export type Confidence = 'certain' | 'likely' | 'possible';

/**
 * The platform the logs prove: TDX accepts private memory (TDG.MEM.PAGE.ACCEPT), SEV-SNP
 * validates it (PVALIDATE sets the RMP entry's validated bit). `unknown`: neither is shown
 * (no confidential guest, or one whose lines do not say which), and the words hold for both.
 */
export type Platform = 'tdx' | 'snp' | 'unknown';

/** Where a finding is: its device and range may change after it is noted (adjacent unplugs merge). */
export interface Place {
  device?: string;
  range?: { start: bigint; end: bigint };
}

export interface FindingDefinition<Facts = Record<string, never>> {
  code: string;
  name: string;
  severity: Severity;
  /** The cause class most findings of this code have; a finding may name another. */
  cause: Cause;
  /** The confidence of a finding that does not state its own. */
  confidence: Confidence;
  /** Short title for lists and CodeLens. */
  title: string;
  /** What it means, for SARIF help text, `--help` and the findings page. */
  help: string;
  /** One sentence a kernel developer would write, from the facts noted and the platform. */
  message(facts: Facts, place: Place, platform: Platform): string;
  /** A root cause's headline when several findings of this code share it; otherwise "N times, first: …". */
  headline?(count: number, platform: Platform): string;
  /** The fact the blame rests on; `facts`, those of the root cause's first finding, when it depends on them. */
  why(platform: Platform, facts?: Facts): string;
  /** The alternatives argued upstream that would have prevented it (the text of `remedies`). */
  wouldNotHappenIf(platform: Platform, facts?: Facts): string[];
  /** The same alternatives, each with the policies that replay the logs in its world where a policy models it. */
  remedies(platform: Platform, facts?: Facts): Remedy[];
  /**
   * When two findings of this code are one: `sameRange` (one refusal seen from both sides),
   * `adjacentRange` (one range unplugged as many requests, noted one after the other).
   */
  joins?: 'sameRange' | 'adjacentRange';
  /** A warning of what may fail later: dropped when the guest is not confidential, folded into the failure it became. */
  latent?: { becomes: readonly string[] };
  /** What to collect when the run lacks the input that would confirm the cause. */
  toConfirm?: { unlessInput: 'qemu'; text: string };
}

/**
 * An alternative argued upstream. `policies`: the world in which it holds, as `check --what-if`
 * replays it; a what-if with them removes the finding (a test holds every definition to it).
 * Absent where no policy models the alternative.
 */
export interface Remedy {
  text: string;
  policies?: Partial<Policies>;
}

/** A definition whose `wouldNotHappenIf` is the text of its remedies: one list, written once. */
export function withRemedies<F>(d: Omit<FindingDefinition<F>, 'wouldNotHappenIf'>): FindingDefinition<F> {
  return { ...d, wouldNotHappenIf: (platform, facts) => d.remedies(platform, facts).map((r) => r.text) };
}

/** The remedies of a definition that these texts name (a root cause's, in its run's platform's words), in their order. */
export function remediesNamed(d: Pick<FindingDefinition<never>, 'remedies'>, texts: readonly string[]): Remedy[] {
  const all = (['tdx', 'snp', 'unknown'] as const).flatMap((platform) => d.remedies(platform));
  return texts.flatMap((text) => all.find((r) => r.text === text) ?? []);
}

/** The guest converts to shared before unplug: the CoCo RFC does, unless VIRTIO_MEM_F_UNPLUGGED_INACCESSIBLE was negotiated. */
export const CONVERTS_BEFORE_UNPLUG: Partial<Policies> = { 'guest.convertSharedOnUnplug': 'yes', 'device.unpluggedInaccessible': 'no' };
export const VMM_DISCARDS_PRIVATE: Partial<Policies> = { 'vmm.discardPrivate': 'yes' };

/** The verbs of acceptance on each platform: Linux calls both "accept" (accept_memory), the hardware does not. */
export function acceptance(platform: Platform): { accept: string; Accepting: string; accepted: string } {
  return platform === 'snp'
    ? { accept: 'validate', Accepting: 'Validating', accepted: 'validated' }
    : { accept: 'accept', Accepting: 'Accepting', accepted: 'accepted' };
}

export function rangeText(place: Place): string {
  return place.range ? `[${hexString(place.range.start)}, ${hexString(place.range.end)})` : 'the memory';
}

export const QEMU_TRACE_ADVICE = 'add the QEMU log, run with -trace virtio_mem_* -trace kvm_convert_memory -trace ram_block_discard*';

/** Causes the logs did not single out, most likely first: a policy known to remove the private page rules out the first. */
export function hypotheses(platform: Platform, privatePageRemoved: boolean): string {
  const { accepted } = acceptance(platform);
  const list = [
    ...(privatePageRemoved ? [] : [`the memory was still ${accepted} after an unplug without private discard (HPL001)`]),
    `it was still ${accepted} after an offline/online cycle (HPL002)`,
    'the VMM refused the conversion to private (HPL010)',
  ];
  return `Possible causes, most likely first: ${list.join('; ')}.`;
}
