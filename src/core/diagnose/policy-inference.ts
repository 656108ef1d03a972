/**
 * What the logs say about the policies in dispute: the first line that shows one is its
 * evidence, a policy given by the user is taken as given, and what the model replays with
 * follows the evidence for the policies a log can show.
 */
import type { Model, Ref } from '../model/model';
import type { Policies, PolicyEvidence, PolicyName } from '../model/policy';

const FORCEABLE_FROM_LOG: PolicyName[] = ['vmm.discardPrivate', 'guest.acceptsMemory', 'guest.acceptGranularity'];


export class PolicyInference {
  readonly evidence = new Map<PolicyName, PolicyEvidence>();

  constructor(
    private readonly model: Model,
    private readonly forced: Partial<Policies>,
  ) {
    for (const [name, value] of Object.entries(forced)) {
      this.evidence.set(name as PolicyName, { value: value as string, how: 'forced', reason: 'given on the command line' });
    }
  }

  /** `reason` may be a function: it is asked only when the evidence is kept, not at every line that shows it again. */
  infer(name: PolicyName, value: string, reason: string | (() => string), at: Ref, how: 'logged' | 'inferred' = 'logged'): void {
    if (this.forced[name] !== undefined) return;
    const known = this.evidence.get(name);
    // The first line that shows a value is its evidence; an inference never overrides what is logged.
    if (known && (known.value === value || (known.how === 'logged' && how === 'inferred'))) return;
    this.evidence.set(name, { value, how, reason: typeof reason === 'string' ? reason : reason(), at });
    if (FORCEABLE_FROM_LOG.includes(name)) this.model.setPolicy(name, value as never);
  }
}
