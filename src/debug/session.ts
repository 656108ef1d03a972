/**
 * The `hotplug-replay` debug adapter: a trace replayed event by event, driven like a debugger.
 * It imports nothing of VS Code, so the same class runs inside the extension host (through
 * `DebugAdapterInlineImplementation`) and as a program speaking DAP on stdio (src/debug/main.ts,
 * which the protocol tests start).
 *
 * One thread, "replay". Positions are "after an event": the highlighted line is the event just
 * applied and the Variables show the state right after it. Step Over applies the next event,
 * Step Into runs to the next event that changes a subblock the current one changed, Step Back
 * and Reverse Continue go back through the cursor's snapshots, Run to Line / goto targets jump
 * to any event line.
 */
import { basename } from 'node:path';
import { ContinuedEvent, Event, InitializedEvent, InvalidatedEvent, OutputEvent, StoppedEvent, TerminatedEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { codeInfo } from '../core/diagnose/catalog';
import type { Finding } from '../core/diagnose/finding';
import { type Policies, POLICY_DOCS } from '../core/model/policy';
import { ReplayCursor } from '../core/replay/cursor';
import { ExprError, Expression, isRecord } from '../core/replay/expr/evaluate';
import { replayScope } from '../core/replay/scope';
import { type Hit, runBackward, runForward, touchRule } from '../core/replay/search';
import { replayWhatIf } from '../core/replay/what-if';
import { type CheckedArgs, checkArgs, type ReplayLaunchArgs } from './args';
import { Breakpoints, dataId, FINDING_FILTERS } from './breakpoints';
import { LineIndex } from './line-index';
import { REPLAY_TO_LINE_REQUEST, STOPPED_EVENT, WHAT_IF_EVENT, WHAT_IF_REQUEST } from './messages';
import { GuardedDebugSession, REFUSED } from './guarded-session';
import { focusOf, type Frame, frames, toStackFrame } from './stack';
import { LaunchError, loadSessionTrace } from './trace-files';
import { VariableTree } from './variables';

const THREAD = 1;
/** How long launch waits for the client's configuration (breakpoints) before it starts anyway. */
const CONFIGURATION_WAIT_MS = 1000;
/** Events a forward run applies between looks at the event loop (a pause request, other sessions). */
const RUN_SLICE = 20_000;

export class ReplayDebugSession extends GuardedDebugSession {
  private cursor?: ReplayCursor;
  private index?: LineIndex;
  private breakpoints?: Breakpoints;
  private tree?: VariableTree;
  private stack: Frame[] = [];
  private lastHit?: Hit;
  private configured!: () => void;
  private readonly configuration = new Promise<void>((resolve) => {
    this.configured = resolve;
  });
  private pauseRequested = false;
  private ended = false;
  private launching = false;
  /** Aborted when the session ends: stops a scenario's simulation, removes its logs. */
  private readonly lifetime = new AbortController();

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  protected get replaying(): boolean {
    return this.cursor !== undefined;
  }

  protected initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsStepBack: true,
      supportsConditionalBreakpoints: true,
      supportsFunctionBreakpoints: true,
      supportsDataBreakpoints: true,
      supportsGotoTargetsRequest: true,
      supportsSetVariable: true,
      supportsEvaluateForHovers: true,
      supportsExceptionInfoRequest: true,
      supportsExceptionFilterOptions: true,
      supportsTerminateRequest: true,
      exceptionBreakpointFilters: FINDING_FILTERS,
    };
    this.sendResponse(response);
  }

  protected configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured();
    this.sendResponse(response);
  }

  protected async launchRequest(response: DebugProtocol.LaunchResponse, raw: ReplayLaunchArgs | undefined): Promise<void> {
    if (this.cursor || this.launching) return this.sendErrorResponse(response, REFUSED, 'A replay is already running in this session: start another session to replay other logs.');
    const args = checkArgs(raw);
    if ('error' in args) return this.refuse(response, args.error);
    this.launching = true;
    try {
      await this.load(args);
    } catch (error) {
      // What the files or the system refuse, the user gets as a sentence and a session that ends;
      // anything else is a bug, answered as an internal error (guardHandlers).
      if (error instanceof LaunchError) return this.refuse(response, error.message);
      if (typeof (error as NodeJS.ErrnoException).code === 'string') return this.refuse(response, `Could not replay: ${(error as Error).message}`);
      throw error;
    } finally {
      this.launching = false;
    }
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
    await Promise.race([this.configuration, new Promise((r) => setTimeout(r, CONFIGURATION_WAIT_MS))]);
    if (args.startAt) return this.toLine(args.startAt.path, args.startAt.line);
    if (args.stopOnEntry) return this.stopped('entry', 'Start of the trace: no event applied yet');
    await this.run();
  }

  private async load(args: CheckedArgs): Promise<void> {
    const trace = await loadSessionTrace(args, this.lifetime.signal);
    this.cursor = new ReplayCursor(trace, { policies: args.policies });
    this.index = new LineIndex(trace);
    this.breakpoints = new Breakpoints(this.index, replayScope(() => this.current), args.stopOnFinding);
    this.tree = new VariableTree(() => this.current);
    const files = trace.merge.inputs.map((i) => `${basename(i.path)} (${i.lines} lines, ${i.recognized} recognized)`).join(', ');
    this.ended = false;
    this.say(`Replaying ${trace.events.length} events of ${files}.\n`);
  }

  /** Bad input: the launch fails with one sentence, also in the Debug Console, then a clean end; never a crash or a hang. */
  private refuse(response: DebugProtocol.Response, message: string): void {
    this.sendErrorResponse(response, REFUSED, message);
    this.say(`Hotplug Lens replay: ${message}\n`, 'stderr');
    this.end();
  }

  protected attachRequest(response: DebugProtocol.AttachResponse): void {
    this.sendErrorResponse(response, REFUSED, 'The replay cannot attach to anything: use a "launch" configuration with the logs to replay.');
  }

  protected end(): void {
    this.lifetime.abort();
    if (this.ended) return;
    this.ended = true;
    this.sendEvent(new TerminatedEvent());
  }

  private get current(): ReplayCursor {
    if (!this.cursor) throw new Error('no trace loaded');
    return this.cursor;
  }

  protected say(text: string, category: 'console' | 'stderr' = 'console'): void {
    this.sendEvent(new OutputEvent(text, category));
  }

  // ---- moving ----

  private stopped(reason: string, text?: string, hit?: Hit): void {
    const c = this.current;
    this.lastHit = hit;
    this.stack = frames(c);
    const event = new StoppedEvent(reason, THREAD, hit?.finding ? `${hit.finding.code}: ${hit.finding.message}` : undefined) as DebugProtocol.StoppedEvent;
    // Every stop says where the replay is: the Call Stack view shows it beside the thread.
    event.body.description = text ?? (c.current ? `Event ${c.position} of ${c.length}: ${c.current.kind}` : 'Start of the trace');
    this.sendEvent(event);
    const e = c.current ?? c.events[0];
    this.sendEvent(new Event(STOPPED_EVENT, { position: c.position, input: e.input, path: e.source.path, line: e.source.line }));
  }

  private stopAtHit(hit: Hit | undefined, atEnd: 'end' | 'start'): void {
    if (hit) return this.stopped(hit.reason, hit.text, hit);
    if (atEnd === 'end') this.stopped('end', 'End of the trace');
    else this.stopped('entry', 'Start of the trace: no event applied yet');
  }

  /** Continue: runs in slices so that a pause request or another session gets its turn. */
  private async run(): Promise<void> {
    const c = this.current;
    const rules = this.breakpoints?.rules() ?? [];
    this.pauseRequested = false;
    for (;;) {
      const limit = Math.min(c.length, c.position + RUN_SLICE);
      const hit = runForward(c, rules, limit);
      if (hit) return this.stopped(hit.reason, hit.text, hit);
      if (c.position >= c.length) return this.stopped('end', 'End of the trace');
      await new Promise((r) => setImmediate(r));
      if (this.pauseRequested) return this.stopped('pause', 'Paused');
    }
  }

  protected continueRequest(response: DebugProtocol.ContinueResponse): Promise<void> {
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
    return this.run();
  }

  protected pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.pauseRequested = true;
    this.sendResponse(response);
  }

  /** One event forward: a step, or the end of the trace. */
  private stepForward(): void {
    if (!this.current.forward()) return this.stopped('end', 'End of the trace');
    this.stopped('step');
  }

  protected nextRequest(response: DebugProtocol.NextResponse): void {
    this.sendResponse(response);
    this.stepForward();
  }

  /** Step Into: on to the next event that changes the subblock the current event is about. */
  protected stepInRequest(response: DebugProtocol.StepInResponse): void {
    this.sendResponse(response);
    const c = this.current;
    const focus = c.position > 0 ? focusOf(c, c.position - 1) : undefined;
    if (!focus) return this.stepForward();
    this.stopAtHit(runForward(c, [touchRule([focus])]), 'end');
  }

  /** Step Out has no call to return from: it applies the next event, like Step Over. */
  protected stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.nextRequest(response);
  }

  protected stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    this.sendResponse(response);
    const c = this.current;
    if (!c.back()) return this.stopped('entry', 'Start of the trace: no event applied yet');
    this.stopped('step');
  }

  protected reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.sendResponse(response);
    this.stopAtHit(runBackward(this.current, this.breakpoints?.rules() ?? []), 'start');
  }

  protected gotoTargetsRequest(response: DebugProtocol.GotoTargetsResponse, args: DebugProtocol.GotoTargetsArguments): void {
    const input = args.source.path !== undefined ? this.index?.inputOf(args.source.path) : undefined;
    const positions = input !== undefined ? (this.index?.positions(input, args.line) ?? []) : [];
    const c = this.current;
    response.body = {
      targets: positions.map((p) => ({ id: p, label: `${c.events[p - 1].kind} (event ${p})`, line: c.events[p - 1].source.line })),
    };
    this.sendResponse(response);
  }

  protected gotoRequest(response: DebugProtocol.GotoResponse, args: DebugProtocol.GotoArguments): void {
    const last = this.current.length;
    if (args.targetId < 0 || args.targetId > last) return this.sendErrorResponse(response, REFUSED, `There is no event ${args.targetId} in this replay (0 to ${last}).`);
    this.sendResponse(response);
    this.current.seek(args.targetId);
    this.stopped('goto', `Event ${args.targetId}`);
  }

  /** To the first event on `line` of `path`, or the next event line after it. */
  private toLine(path: string, line: number): void {
    const input = this.index?.inputOf(path);
    const eventLine = input !== undefined ? (this.index?.eventLine(input, line) ?? this.index?.nextEventLine(input, line)) : undefined;
    const position = input !== undefined && eventLine !== undefined ? this.index?.positions(input, eventLine)[0] : undefined;
    if (position === undefined) {
      this.say(`No event of the replay on or after ${basename(path)}:${line}.\n`);
      return this.stopped('entry', 'Start of the trace: no event applied yet');
    }
    this.current.seek(position);
    this.stopped('goto', `${basename(path)}:${eventLine}`);
  }

  /** The extension's own requests; their arguments are checked before (request-args.ts). */
  protected customRequest(command: string, response: DebugProtocol.Response, args: { path: string; line: number; name: string; value: string }): void {
    if (command === REPLAY_TO_LINE_REQUEST) {
      this.sendResponse(response);
      // The client did not ask to run: say the thread moves before it stops elsewhere.
      this.sendEvent(new ContinuedEvent(THREAD));
      return this.toLine(args.path, args.line);
    }
    if (command === WHAT_IF_REQUEST) {
      const answer = this.whatIf(args.name, args.value);
      if ('error' in answer) return this.sendErrorResponse(response, 1041, answer.error);
      response.body = answer;
      return this.sendResponse(response);
    }
    this.sendErrorResponse(response, 1010, `The replay adapter does not know the request "${command}".`);
  }

  protected terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.sendResponse(response);
    this.end();
  }

  /** Stops a run in progress; the base class answers and, on stdio, ends the process. */
  protected disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments): void {
    this.pauseRequested = true;
    this.lifetime.abort();
    super.disconnectRequest(response, args);
  }

  // ---- breakpoints ----

  protected setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const path = args.source.path;
    response.body = { breakpoints: path && this.breakpoints ? this.breakpoints.setLines(path, args.breakpoints ?? []) : [] };
    this.sendResponse(response);
  }

  protected setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    response.body = { breakpoints: this.breakpoints?.setFunctions(args.breakpoints) ?? [] };
    this.sendResponse(response);
  }

  protected setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.breakpoints?.setFilters(args);
    this.sendResponse(response);
  }

  /** A subblock (in Devices, or an `sb(…)` expression) or one of its components can be watched. */
  protected dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    const container = args.variablesReference !== undefined ? this.tree?.pathOf(args.variablesReference) : undefined;
    let id: string | undefined;
    const inMb = container?.match(/^mb:([^:]+):\d+$/);
    const inSb = container?.match(/^sb:([^:]+):(0x[0-9a-f]+)$/);
    if (inMb && /^0x[0-9a-f]+$/.test(args.name)) id = dataId({ device: inMb[1], address: BigInt(args.name) });
    else if (inSb) id = dataId({ device: inSb[1], address: BigInt(inSb[2]), component: args.name });
    else if (args.variablesReference === undefined) {
      try {
        const value = new Expression(args.name).evaluate(replayScope(this.current));
        if (isRecord(value) && typeof value.address === 'bigint' && typeof value.device === 'string' && 'tuple' in value) {
          id = dataId({ device: value.device, address: value.address });
        }
      } catch (error) {
        if (!(error instanceof ExprError)) throw error;
      }
    }
    response.body = id
      ? { dataId: id, description: `state of ${id.slice(3)}`, accessTypes: ['write'], canPersist: true }
      : { dataId: null, description: 'Only a subblock or a component of its state can be watched.' };
    this.sendResponse(response);
  }

  protected setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    response.body = { breakpoints: this.breakpoints?.setData(args.breakpoints) ?? [] };
    this.sendResponse(response);
  }

  protected exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const finding = this.lastHit?.finding;
    if (!finding) return this.sendErrorResponse(response, 1020, 'Not stopped on a finding.');
    const info = codeInfo(finding.code);
    response.body = {
      exceptionId: finding.code,
      description: `${info.title} (${info.severity}): ${finding.message}`,
      breakMode: 'always',
      details: { message: finding.message, typeName: `${finding.code} ${info.name}` },
    };
    this.sendResponse(response);
  }

  // ---- state ----

  protected threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [{ id: THREAD, name: 'replay' }] };
    this.sendResponse(response);
  }

  protected stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const c = this.current;
    const start = args.startFrame ?? 0;
    const shown = this.stack.slice(start, args.levels ? start + args.levels : undefined);
    response.body = { stackFrames: shown.map((f) => toStackFrame(f, c, (l) => this.convertDebuggerLineToClient(l))), totalFrames: this.stack.length };
    this.sendResponse(response);
  }

  protected scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const frame = this.stack.find((f) => f.id === args.frameId);
    const showsEvent = frame !== undefined && (frame.id > 1 || this.current.position > 0);
    response.body = { scopes: this.tree?.scopes(showsEvent ? frame.event : undefined) ?? [] };
    this.sendResponse(response);
  }

  protected variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    response.body = { variables: this.tree?.variables(args.variablesReference) ?? [] };
    this.sendResponse(response);
  }

  protected evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    // Hovering an address in a log asks for the subblock that holds it.
    const text = args.context === 'hover' && /^0x[0-9a-f]+$/i.test(args.expression.trim()) ? `sb(${args.expression.trim()})` : args.expression;
    try {
      const value = new Expression(text).evaluate(replayScope(this.current));
      response.body = this.tree?.forValue(value) ?? { result: '', variablesReference: 0 };
      this.sendResponse(response);
    } catch (error) {
      if (!(error instanceof ExprError)) throw error;
      this.sendErrorResponse(response, 1030, error.message, undefined, undefined);
    }
  }

  /** Policies are editable: the trace is replayed from the start to here with the new value. */
  protected setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    if (this.tree?.pathOf(args.variablesReference) !== 'policies') return this.sendErrorResponse(response, 1040, 'Only the policies can be changed (a what-if replay).');
    const answer = this.whatIf(args.name, args.value);
    if ('error' in answer) return this.sendErrorResponse(response, 1041, answer.error);
    response.body = { value: answer.value, type: 'forced (what-if)' };
    this.sendResponse(response);
  }

  /** Replays from the start to here with a policy forced; reports what changed. */
  private whatIf(name: string, raw: string): { value: string } | { error: string } {
    const doc = POLICY_DOCS.find((d) => d.name === name);
    const value = raw.trim().replace(/^['"]|['"]$/g, '');
    if (!doc || !doc.values.includes(value)) return { error: `${name} takes ${doc?.values.join(', ') ?? 'no value'}, not "${value}".` };
    const before = this.current;
    const answer = replayWhatIf(before, { [doc.name]: value } as Partial<Policies>);
    this.cursor = answer.cursor;
    this.stack = frames(answer.cursor);
    this.report(`${doc.name}=${value}`, answer.removed, answer.added, before.position);
    // The findings, the subblocks and the evidence chain are those of the new replay now.
    this.sendEvent(new InvalidatedEvent(['variables', 'stacks']));
    return { value };
  }

  private report(policy: string, removed: Finding[], added: Finding[], position: number): void {
    const line = (sign: string, f: Finding) => `  ${sign} ${f.code} ${basename(f.location.path)}:${f.location.line}  ${f.message}\n`;
    const counts = `${removed.length} finding${removed.length === 1 ? '' : 's'} disappear, ${added.length} appear`;
    this.say(`What if ${policy} (replayed the first ${position} events again): ${counts}.\n${removed.map((f) => line('-', f)).join('')}${added.map((f) => line('+', f)).join('')}`);
    this.sendEvent(new Event(WHAT_IF_EVENT, { policy, removed: removed.length, added: added.length, position, summary: counts }));
  }
}
