/** The VM's end (HPL014): one finding, blamed on the first finding that explains it. */
import type { Ref } from '../model/model';
import { codeInfo } from './catalog';
import { HPL014 } from './codes/index';
import type { Draft } from './draft';
import type { FindingsLedger } from './ledger';


export class VmEnd {
  /** The first finding that can end a VM. */
  private fatalCause?: { code: string; at: Ref };
  /** Later lines about the end are more evidence of the same end. */
  private ended?: Draft;

  constructor(private readonly ledger: FindingsLedger) {}

  /** A finding that ends the VM when it happens; the first one explains the end. */
  fatal(code: string, at: Ref): void {
    this.fatalCause ??= { code, at };
  }

  /** A line that says the VM stopped. */
  stopped(at: Ref, what: string, via: string): void {
    if (this.ended) {
      this.ended.related.push({ at, message: `the same end: ${what}` });
      return;
    }
    const cause = this.fatalCause;
    const causeDraft = cause && this.ledger.noted(cause.code, cause.at);
    this.ended = this.ledger.note(HPL014, cause ? { what, after: cause.code } : { what }, {
      at,
      ...(causeDraft ? { group: causeDraft.group } : {}),
      related: cause ? [{ at: cause.at, message: `${cause.code} explains it` }] : [],
      // The end is as much whose fault as the finding that explains it.
      cause: causeDraft?.cause ?? (cause ? codeInfo(cause.code).cause : 'unknown'),
      ...(causeDraft?.otherCauses ? { otherCauses: [...causeDraft.otherCauses] } : {}),
      via,
    });
  }
}
