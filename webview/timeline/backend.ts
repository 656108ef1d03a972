/**
 * Who answers the timeline: the extension host over the webview message channel, or, in a
 * standalone report, the page itself. Requests carry ids; a reply resolves its request.
 */
import type { HostMessage, Replies, ViewMessage, ViewRequest } from '../../src/protocol/timeline';

/** A channel to the host: post a message, receive messages. */
export interface Channel {
  post(message: ViewMessage): void;
  listen(handler: (message: HostMessage) => void): void;
  /** Persisted view state (survives a reload of the panel). */
  loadState(): unknown;
  saveState(state: unknown): void;
}

type Pending = { resolve: (body: unknown) => void };

export class Requester {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly channel: Channel) {}

  ask<K extends keyof Replies>(request: DistributiveOmit<Extract<ViewRequest, { type: K }>, 'id'>): Promise<Replies[K]> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve: resolve as (body: unknown) => void });
      this.channel.post({ ...request, id } as ViewMessage);
    });
  }

  /** Call with every host message; returns true when it was a reply. */
  settle(message: HostMessage): boolean {
    if (message.type !== 'reply') return false;
    const p = this.pending.get(message.id);
    if (p) {
      this.pending.delete(message.id);
      p.resolve(message.body);
    }
    return true;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
