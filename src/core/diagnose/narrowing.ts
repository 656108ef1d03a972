/**
 * What `plugged size` lines say about the subblocks: a size below what the model holds
 * plugged unplugs from the top, one above plugs, in the driver's order. A line that comes
 * before the region is placed waits until it is; a difference from what acknowledged requests
 * add up to is a disagreement between driver and device (HPL009).
 */
import type { Ref } from '../model/model';
import { HPL009 } from './codes/index';
import type { Run } from './run';

interface Acknowledged {
  /** An acknowledged request since the last `plugged size` line. */
  sinceSize: boolean;
  /** Inputs whose lines showed acknowledged requests (DYN lines, QEMU traces). */
  inputs: Set<number>;
}

export class SizeNarrowing {
  private readonly waiting: Array<{ device: string; size: bigint; at: Ref }> = [];
  private readonly acknowledgedBy = new Map<string, Acknowledged>();

  constructor(private readonly run: Run) {}

  private ack(device: string): Acknowledged {
    let a = this.acknowledgedBy.get(device);
    if (!a) this.acknowledgedBy.set(device, (a = { sinceSize: false, inputs: new Set() }));
    return a;
  }

  acknowledged(device: string, input: number): void {
    const a = this.ack(device);
    a.sinceSize = true;
    a.inputs.add(input);
  }

  pluggedSize(device: string, size: bigint, at: Ref): void {
    if (!this.run.model.device(device).resolved) {
      this.waiting.push({ device, size, at });
      return;
    }
    this.narrow(device, size, at);
  }

  /** Applies the narrowings that waited for a region start, once one is known. */
  flush(): void {
    for (let i = 0; i < this.waiting.length; ) {
      const w = this.waiting[i];
      if (this.run.model.device(w.device).resolved) {
        this.waiting.splice(i, 1);
        this.narrow(w.device, w.size, w.at);
      } else {
        i += 1;
      }
    }
  }

  /** Narrowings still waiting at the end had no address at all: nothing to place them on. */
  drop(): void {
    this.waiting.length = 0;
  }

  private narrow(device: string, size: bigint, at: Ref): void {
    const a = this.ack(device);
    // Requests seen in another input are ordered against this line only as precisely as the
    // clocks align: then the requests, not this line, say what is plugged.
    for (const input of a.inputs) if (input !== at.input) return;
    const { emissions, explained, hadUnknown } = this.run.model.pluggedSize(device, size, at);
    this.run.emitted(emissions);
    // A difference is a disagreement only when every subblock's state was seen, not guessed.
    if (a.sinceSize && explained > 0n && !hadUnknown) {
      this.run.ledger.note(HPL009, { seen: 'pluggedSize', size, off: explained }, { at, device, via: 'V15' });
    }
    a.sinceSize = false;
  }
}
