/**
 * A debug session that nothing a client sends can end or crash: messages that are not
 * requests are skipped with a word on stderr, arguments of the wrong type and requests that
 * need a running replay are refused before their handler runs, and every handler of the
 * subclass answers whatever happens in it. The replay session builds on it; the rules are
 * kept apart from what the replay does.
 */
import { DebugSession, Response } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { checkRequestArgs, NEED_REPLAY } from './request-args';
import { isObject } from './shapes';

/** The `id` of the error replies: what the request asked for cannot be done. */
export const REFUSED = 1001;
/** The `id` of the error reply to a handler that failed unexpectedly (a bug of the adapter). */
const INTERNAL = 1100;

export abstract class GuardedDebugSession extends DebugSession {
  constructor() {
    super();
    // The instance already has its subclass prototype here, so its handlers can be wrapped.
    this.guardHandlers();
  }

  /** Whether a replay is loaded: requests in NEED_REPLAY are refused until then. */
  protected abstract get replaying(): boolean;
  /** A line in the client's Debug Console. */
  protected abstract say(text: string, category?: 'console' | 'stderr'): void;
  /** Ends the session (a failure after the request was answered). */
  protected abstract end(): void;

  /**
   * Every message, from VS Code in the extension host or from main.ts on stdio. The base class
   * reads `msg.type` and `request.command` unchecked; a throw here would reach ProtocolServer,
   * whose 'error' event ends the stdio process.
   */
  public handleMessage(msg: DebugProtocol.ProtocolMessage): void {
    try {
      const m: unknown = msg;
      if (!isObject(m)) return this.say('Hotplug Lens replay: Ignored a message that is not a JSON object.\n', 'stderr');
      if (m.type !== 'request' && m.type !== 'response') return this.say('Hotplug Lens replay: Ignored a message whose "type" is neither "request" nor "response".\n', 'stderr');
      if (m.type === 'request' && typeof m.command !== 'string') {
        const request = { seq: typeof m.seq === 'number' ? m.seq : 0, command: String(m.command ?? '') } as DebugProtocol.Request;
        return this.sendErrorResponse(new Response(request), REFUSED, 'A request needs a "command" (a string).');
      }
      super.handleMessage(msg);
    } catch (error) {
      console.error('hotplug-replay: a message could not be handled:', error);
    }
  }

  /** Arguments of the wrong type, and requests that need a replay before launch, are answered here. */
  protected dispatchRequest(request: DebugProtocol.Request): void {
    const problem = checkRequestArgs(request.command, request.arguments) ?? (NEED_REPLAY.has(request.command) && !this.replaying ? 'No replay is running: launch first.' : undefined);
    if (problem) return this.sendErrorResponse(new Response(request), REFUSED, problem);
    // Arguments are optional in DAP; the handlers read fields of them.
    super.dispatchRequest({ ...request, arguments: request.arguments ?? {} });
  }

  /**
   * Every handler of this class (each `…Request` method) answers whatever happens in it: a
   * throw, or a promise that rejects (launch, continue), becomes a one-sentence error reply
   * instead of a stack trace in the reply (the base class's catch) or an unhandled rejection
   * (which ends a Node process). The detail goes to stderr, for developers.
   */
  private guardHandlers(): void {
    const handlers = new Set<string>();
    for (let proto = Object.getPrototypeOf(this); proto && proto !== GuardedDebugSession.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const name of Object.getOwnPropertyNames(proto)) handlers.add(name);
    }
    for (const name of handlers) {
      if (!name.endsWith('Request') || name === 'dispatchRequest') continue;
      const handler: unknown = (this as unknown as Record<string, unknown>)[name];
      if (typeof handler !== 'function') continue;
      Object.defineProperty(this, name, {
        value: (response: DebugProtocol.Response, ...rest: unknown[]) => {
          try {
            const done: unknown = handler.call(this, response, ...rest);
            if (done instanceof Promise) done.catch((error: unknown) => this.failed(response, error));
          } catch (error) {
            this.failed(response, error);
          }
        },
      });
    }
  }

  private failed(response: DebugProtocol.Response, error: unknown): void {
    console.error(`hotplug-replay: ${response.command} failed:`, error);
    const sentence = `Internal error of the replay adapter while answering ${response.command}; the details are in the adapter's log.`;
    // Not answered yet: the reply says it. Answered (a run that failed on its way): the session ends.
    if (response.seq === 0) return this.sendErrorResponse(response, INTERNAL, sentence);
    this.say(`Hotplug Lens replay: ${sentence}\n`, 'stderr');
    this.end();
  }
}
