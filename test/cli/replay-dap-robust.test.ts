/**
 * The replay debug adapter never exits on what a client sends (issue 12): a request at the
 * wrong time or with arguments of the wrong type gets an error reply with one sentence, a
 * malformed frame is skipped with a message on stderr, and the same process then replays the
 * bundled example to its first HPL001. Driven as a process over stdio: DebugClient for
 * well-formed requests, raw bytes for the malformed frames, and random requests (fast-check).
 * A handler that fails (a bug) cannot be provoked from outside, so the last part replaces one
 * in process, where the session runs as in VS Code's extension host.
 */
import { strict as assert } from 'node:assert';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import fc from 'fast-check';
import { loadTrace } from '../../src/core/replay/trace';
import { frame, FrameReader } from '../../src/debug/frames';
import { ReplayDebugSession } from '../../src/debug/session';
import { fileSource } from '../../src/node/inputs';
import { ADAPTER, ensureAdapter, EXAMPLE, GUEST, LOGS, type Message, RawAdapter } from './dap-adapter';

const LAUNCH_FIRST = 'No replay is running: launch first.';

/** DebugClient on an adapter process the test started itself, to see whether it is still running. */
class ClientOf extends DebugClient {
  constructor(child: ChildProcessWithoutNullStreams) {
    super(process.execPath, ADAPTER, 'hotplug-replay');
    this.connect(child.stdout, child.stdin);
  }
}

/** The error sentence of a request that must fail. */
function failure(request: Promise<unknown>): Promise<string> {
  return request.then(
    () => assert.fail('the request succeeded'),
    (e: Error) => e.message,
  );
}

/** Answers the initialize, launches the example and returns the stop on entry. */
async function launchExample(adapter: RawAdapter, args: Record<string, unknown> = {}): Promise<DebugProtocol.StoppedEvent> {
  const from = adapter.received.length;
  assert.equal((await adapter.request('launch', { logs: LOGS, stopOnEntry: true, ...args })).success, true);
  await adapter.event('initialized', from);
  assert.equal((await adapter.request('configurationDone')).success, true);
  return (await adapter.event('stopped', from)) as DebugProtocol.StoppedEvent;
}

/** Continues to the first HPL001: it stops on guest.log:22, the first failed accept. */
async function continueToFirstFinding(adapter: RawAdapter): Promise<void> {
  const from = adapter.received.length;
  assert.equal((await adapter.request('continue', { threadId: 1 })).success, true);
  const stop = (await adapter.event('stopped', from)) as DebugProtocol.StoppedEvent;
  assert.equal(stop.body.reason, 'exception');
  assert.match(stop.body.text ?? '', /^HPL001: Accepting \[0x108000000, 0x110000000\) failed/);
  const top = (await adapter.request('stackTrace', { threadId: 1 })).body.stackFrames[0];
  assert.deepEqual([top.source?.path, top.line], [GUEST, 22]);
}

describe('replay debug adapter: it answers every request and never exits on input', function () {
  this.timeout(60_000);
  let events: number;

  before(async () => {
    ensureAdapter();
    events = (await loadTrace(await Promise.all(LOGS.map((f) => fileSource(f))))).events.length;
  });

  describe('well-formed requests at the wrong time or with the wrong arguments (DebugClient)', () => {
    let child: ChildProcessWithoutNullStreams;
    let dc: DebugClient;
    let stderr = '';

    before(async () => {
      child = spawn(process.execPath, [ADAPTER]);
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      dc = new ClientOf(child);
      await dc.initializeRequest();
    });
    after(async () => {
      await dc.stop();
      child.kill();
    });
    afterEach(() => assert.equal(child.exitCode, null, `the adapter is still running (stderr: ${stderr})`));

    for (const [command, args, sentence] of [
      ['continue', { threadId: 1 }, LAUNCH_FIRST],
      ['next', { threadId: 1 }, LAUNCH_FIRST],
      ['stackTrace', { threadId: 1 }, LAUNCH_FIRST],
      ['evaluate', { expression: 'position' }, LAUNCH_FIRST],
      ['hotplugReplay.toLine', { path: GUEST, line: 22 }, LAUNCH_FIRST],
      ['launch', { logs: LOGS, startAt: null }, '"startAt" must be an object { "path": string, "line": number }, not null.'],
      ['launch', { logs: LOGS, startAt: { path: GUEST, line: '22' } }, '"startAt.line" must be a whole number, not a string.'],
      ['launch', { logs: GUEST }, '"logs" must be a list of log file paths, not a string.'],
      ['launch', { logs: [GUEST, 7] }, '"logs[1]" must be a string, not the number 7.'],
      ['launch', { logs: LOGS, stopOnEntry: 'yes' }, '"stopOnEntry" must be true or false, not a string.'],
      ['launch', { logs: LOGS, cwd: 5 }, '"cwd" must be the path of a folder, not the number 5.'],
      ['launch', { logs: LOGS, policies: ['vmm.discardPrivate'] }, '"policies" must be an object of policy names and values like { "vmm.discardPrivate": "yes" }, not a list.'],
      ['launch', { logs: LOGS, policies: { 'vmm.discardPrivate': true } }, 'Policy vmm.discardPrivate takes yes, no, unknown, not true.'],
      ['launch', { logs: LOGS, stopOnFinding: ['HPL999'] }, '"stopOnFinding" takes finding codes (HPL001, …), severities (error, warning, info) or "any", not "HPL999".'],
      ['setExceptionBreakpoints', { filters: [5] }, 'Bad setExceptionBreakpoints request: "filters[0]" must be a string, not the number 5.'],
      ['continue', { threadId: 1 }, LAUNCH_FIRST],
      ['setExceptionBreakpoints', { filters: ['codes'], filterOptions: [{ filterId: 'codes', condition: 1 }] }, 'Bad setExceptionBreakpoints request: "filterOptions[0].condition" must be a string, not the number 1.'],
      ['setBreakpoints', { source: { path: GUEST }, breakpoints: [{ line: '22' }] }, 'Bad setBreakpoints request: "breakpoints[0].line" must be a whole number, not a string.'],
      ['setBreakpoints', { breakpoints: [] }, 'Bad setBreakpoints request: "source" is missing; it must be a source like { "path": "guest.log" }.'],
      ['setFunctionBreakpoints', { breakpoints: [{ name: null }] }, 'Bad setFunctionBreakpoints request: "breakpoints[0].name" must be a string, not null.'],
      ['goto', { threadId: 1, targetId: 1.5 }, 'Bad goto request: "targetId" must be a whole number, not the number 1.5.'],
      ['evaluate', { expression: 5 }, 'Bad evaluate request: "expression" must be a string, not the number 5.'],
      ['stackTrace', { threadId: 1, startFrame: -1 }, 'Bad stackTrace request: "startFrame" must be a whole number, 0 or more, not the number -1.'],
      ['setDataBreakpoints', { breakpoints: ['sb:virtio5:0x108000000'] }, 'Bad setDataBreakpoints request: "breakpoints[0]" must be an object like { "dataId": "sb:virtio5:0x108000000" }, not a string.'],
      ['initialize', { adapterID: 'hotplug-replay', pathFormat: 'uri' }, 'Bad initialize request: "pathFormat" must be "path" (native paths), not a string.'],
      ['variables', {}, 'Bad variables request: "variablesReference" is missing; it must be a whole number.'],
      ['hotplugReplay.whatIf', { name: 'vmm.discardPrivate' }, 'Bad hotplugReplay.whatIf request: "value" is missing; it must be a string.'],
      ['attach', {}, 'The replay cannot attach to anything: use a "launch" configuration with the logs to replay.'],
      ['noSuchRequest', {}, 'The replay adapter does not know the request "noSuchRequest".'],
    ] as const) {
      it(`${command} ${JSON.stringify(args).split(`${EXAMPLE}/`).join('')}: ${sentence}`, async () => {
        assert.equal(await failure(dc.customRequest(command, args)), sentence);
      });
    }

    it('then launches the example and stops on its first HPL001; a second launch and a goto out of range are refused', async () => {
      const initialized = dc.waitForEvent('initialized');
      await dc.launchRequest({ logs: LOGS, stopOnEntry: true } as DebugProtocol.LaunchRequestArguments);
      await initialized;
      const [entry] = await Promise.all([dc.waitForEvent('stopped'), dc.configurationDoneRequest()]);
      assert.equal(entry.body.reason, 'entry');
      await dc.setExceptionBreakpointsRequest({ filters: ['codes'], filterOptions: [{ filterId: 'codes', condition: 'HPL001' }] });
      const [stop] = await Promise.all([dc.waitForEvent('stopped'), dc.continueRequest({ threadId: 1 })]);
      assert.equal(stop.body.reason, 'exception');
      assert.equal((await dc.exceptionInfoRequest({ threadId: 1 })).body.exceptionId, 'HPL001');
      const top = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
      assert.deepEqual([top.source?.path, top.line], [GUEST, 22]);
      assert.equal(await failure(dc.launchRequest({ logs: LOGS } as DebugProtocol.LaunchRequestArguments)), 'A replay is already running in this session: start another session to replay other logs.');
      assert.equal(await failure(dc.gotoRequest({ threadId: 1, targetId: events + 1 })), `There is no event ${events + 1} in this replay (0 to ${events}).`);
      assert.equal(stderr, '', 'nothing failed inside the adapter');
    });
  });

  describe('malformed frames and messages (raw bytes)', () => {
    let adapter: RawAdapter;
    before(() => {
      adapter = new RawAdapter();
    });
    after(() => adapter.stop());
    afterEach(() => assert.ok(adapter.alive, `the adapter is still running (stderr: ${adapter.stderr})`));

    /** Writes `bytes`, expects these stderr lines, then a well-formed request still gets its answer. */
    async function skipped(bytes: string, ...lines: string[]): Promise<void> {
      const from = adapter.received.length;
      adapter.write(bytes);
      const threads = await adapter.request('threads');
      for (const line of lines) await adapter.said(`Hotplug Lens replay: ${line}\n`, from);
      assert.deepEqual(threads.body, { threads: [{ id: 1, name: 'replay' }] });
      const said = adapter.received.slice(from).filter((m) => m.type === 'event' && m.event === 'output');
      assert.equal(said.length, lines.length, JSON.stringify(said));
    }

    it('a null body', () => skipped('Content-Length: 4\r\n\r\nnull', 'Ignored a message that is not a JSON object.'));
    it('a body that is not JSON', () => skipped('Content-Length: 5\r\n\r\n{nope', 'Skipped a message that is not JSON (Content-Length 5).'));
    it('a JSON list', () => skipped('Content-Length: 5\r\n\r\n[1,2]', 'Ignored a message that is not a JSON object.'));
    it('a message of another type', () => skipped('Content-Length: 16\r\n\r\n{"type":"event"}', 'Ignored a message whose "type" is neither "request" nor "response".'));
    it('an empty body', () => skipped('Content-Length: 0\r\n\r\n', 'Skipped an empty message.'));
    it('a Content-Length longer than the body: skipped up to the next header', () =>
      skipped('Content-Length: 500\r\n\r\n{"seq":90,"type":"request","command":"threads"}', 'Skipped a message whose Content-Length (500) runs past its 47 bytes into the next message.'));
    it('a Content-Length shorter than the body: the rest is skipped up to the next header', () =>
      skipped('Content-Length: 5\r\n\r\n{"seq":91,"type":"request","command":"threads"}', 'Skipped a message that is not JSON (Content-Length 5).', 'Skipped 42 bytes before a DAP header.'));
    it('a Content-Length that is not a number', () =>
      skipped('Content-Length: many\r\n\r\n{"seq":92}', 'Skipped 20 bytes that are not a DAP header (no Content-Length).', 'Skipped 10 bytes before a DAP header.'));

    it('a request without a command, or with arguments that are not an object', async () => {
      const noCommand = adapter.answerTo(93);
      adapter.write(frame({ seq: 93, type: 'request' }));
      assert.deepEqual([(await noCommand).success, (await noCommand).message], [false, 'A request needs a "command" (a string).']);
      const notObject = await adapter.request('stackTrace', 5);
      assert.deepEqual([notObject.success, notObject.message], [false, 'The arguments of stackTrace must be an object, not the number 5.']);
      const nullArgs = await adapter.request('launch', null);
      assert.deepEqual([nullArgs.success, nullArgs.message], [false, 'The arguments of launch must be an object, not null.']);
    });

    it('then answers initialize, a launch of the example and a continue to its first HPL001', async () => {
      const init = await adapter.request('initialize', { adapterID: 'hotplug-replay', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      assert.equal(init.success, true);
      assert.equal((await launchExample(adapter, { stopOnFinding: ['HPL001'] })).body.reason, 'entry');
      await continueToFirstFinding(adapter);
      assert.equal(adapter.stderr, '', 'nothing failed inside the adapter');
    });
  });

  describe('random requests (fast-check)', () => {
    const COMMANDS = [
      'initialize', 'launch', 'attach', 'restart', 'terminate', 'configurationDone', 'continue', 'next', 'stepIn', 'stepOut', 'stepBack',
      'reverseContinue', 'pause', 'goto', 'gotoTargets', 'setBreakpoints', 'setFunctionBreakpoints', 'setExceptionBreakpoints',
      'dataBreakpointInfo', 'setDataBreakpoints', 'exceptionInfo', 'threads', 'stackTrace', 'scopes', 'variables', 'evaluate',
      'setVariable', 'source', 'completions', 'hotplugReplay.toLine', 'hotplugReplay.whatIf', 'constructor', '__proto__', 'toString',
    ];
    const FIELDS = [
      'threadId', 'targetId', 'source', 'line', 'breakpoints', 'filters', 'filterOptions', 'name', 'value', 'expression', 'context',
      'variablesReference', 'frameId', 'path', 'startFrame', 'levels', 'dataId', 'logs', 'stopOnEntry', 'startAt', 'policies', 'adapterID',
    ];
    const leaf = fc.oneof(fc.integer({ min: -3, max: 3000 }), fc.string({ maxLength: 12 }), fc.boolean(), fc.constant(null), fc.double(), fc.constantFrom(GUEST, 'sb(0x108000000)', 'HPL001', 'vmm.discardPrivate', 'yes', 'error', 'codes'));
    const value = fc.letrec((tie) => ({
      any: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('list'), tie('object')),
      list: fc.array(tie('any'), { maxLength: 3 }),
      object: fc.dictionary(fc.constantFrom(...FIELDS, 'x'), tie('any'), { maxKeys: 4 }),
    })).any;
    const request = fc.record({
      command: fc.oneof(fc.constantFrom(...COMMANDS), fc.string({ maxLength: 10 })),
      args: fc.oneof(fc.constant(undefined), fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 5 }), value),
    });

    /** Each random request is answered: a success, or one sentence (no stack, no internal error). */
    async function answersAll(adapter: RawAdapter, runs: number): Promise<void> {
      await fc.assert(
        fc.asyncProperty(request, async ({ command, args }) => {
          const answer = await adapter.request(command, args);
          assert.equal(answer.command, command);
          if (answer.success) return;
          assert.match(answer.message ?? '', /^\S[^\n]*$/, 'one line');
          assert.doesNotMatch(answer.message ?? '', /TypeError|Internal error| at /);
        }),
        // No shrinking: a request left unanswered would cost 10 s a try; the failing one is reported as it is.
        { numRuns: runs, endOnFailure: true },
      );
      assert.ok(adapter.alive, `the adapter is still running (stderr: ${adapter.stderr})`);
      assert.equal(adapter.stderr, '', 'nothing failed inside the adapter');
    }

    it('before a launch, and in a launched replay: every request is answered and the adapter stays up', async function () {
      this.timeout(120_000);
      const adapter = new RawAdapter();
      try {
        await answersAll(adapter, 100);
        // Random requests may have started and failed launches: a fresh process for the replay.
      } finally {
        await adapter.stop();
      }
      const launched = new RawAdapter();
      try {
        await launched.request('initialize', { adapterID: 'hotplug-replay', pathFormat: 'path' });
        await launchExample(launched);
        await answersAll(launched, 200);
        const alive = await launched.request('threads');
        assert.equal(alive.success, true);
      } finally {
        await launched.stop();
      }
    });
  });
});

describe('replay debug adapter: a handler that fails (in process, as VS Code runs it inline)', () => {
  type Handler = (this: ReplayDebugSession, response: DebugProtocol.Response) => unknown;
  const handlers = ReplayDebugSession.prototype as unknown as Record<string, Handler>;
  const original = handlers.threadsRequest;
  const logged: unknown[][] = [];
  const consoleError = console.error;
  afterEach(() => {
    handlers.threadsRequest = original;
    console.error = consoleError;
    logged.length = 0;
  });

  /** A session with `threads` replaced by `handler`; what it sends after one threads request. */
  async function threadsWith(handler: Handler): Promise<Message[]> {
    handlers.threadsRequest = handler;
    console.error = (...args: unknown[]) => logged.push(args);
    const session = new ReplayDebugSession();
    const sent: Message[] = [];
    session.onDidSendMessage((m) => sent.push(m as Message));
    session.handleMessage({ seq: 1, type: 'request', command: 'threads' } as DebugProtocol.Request);
    await new Promise((resolve) => setImmediate(resolve));
    return sent;
  }

  const sentence = "Internal error of the replay adapter while answering threads; the details are in the adapter's log.";

  for (const [how, handler] of [
    ['throws', () => { throw new TypeError('boom'); }],
    ['rejects', async () => { throw new TypeError('boom'); }],
  ] as const) {
    it(`${how}: one sentence in the reply, the stack only on stderr`, async () => {
      const [reply, ...more] = await threadsWith(handler);
      assert.deepEqual([reply.type, (reply as DebugProtocol.Response).success, (reply as DebugProtocol.Response).message], ['response', false, sentence]);
      assert.doesNotMatch(JSON.stringify(reply), /boom|TypeError/);
      assert.deepEqual(more, []);
      assert.equal(logged.length, 1);
      assert.match(String((logged[0][1] as Error).stack), /TypeError: boom\n {4}at /);
    });
  }

  it('fails after answering: says so on stderr and ends the session', async () => {
    const sent = await threadsWith(function (response) {
      this.sendResponse(response);
      throw new Error('boom');
    });
    assert.deepEqual(sent.map((m) => [m.type, m.event ?? (m as DebugProtocol.Response).success]), [['response', true], ['event', 'output'], ['event', 'terminated']]);
    assert.equal(sent[1].body.output, `Hotplug Lens replay: ${sentence}\n`);
  });

  it('a message that is not an object is ignored with a message, without a throw', async () => {
    const session = new ReplayDebugSession();
    const sent: Message[] = [];
    session.onDidSendMessage((m) => sent.push(m as Message));
    session.handleMessage(null as unknown as DebugProtocol.ProtocolMessage);
    assert.deepEqual(sent.map((m) => m.body?.output), ['Hotplug Lens replay: Ignored a message that is not a JSON object.\n']);
  });
});

describe('replay debug adapter: frames split anywhere (FrameReader, as main.ts reads stdin)', () => {
  it('reads the same messages and skips the same bad frames when the bytes come one at a time', () => {
    const bytes = Buffer.from(
      frame({ seq: 1, type: 'request', command: 'evaluate', arguments: { expression: "device('virtiö5')" } }) +
        'Content-Length: 5\r\n\r\n{nope' +
        'Content-Length: 900\r\n\r\n{"seq":2}' +
        frame({ seq: 3, type: 'request', command: 'threads' }),
    );
    const whole = new FrameReader().push(bytes);
    const reader = new FrameReader();
    const split = [...bytes].flatMap((b) => reader.push(Buffer.from([b])));
    assert.deepEqual(split, whole);
    assert.deepEqual(whole, [
      { message: { seq: 1, type: 'request', command: 'evaluate', arguments: { expression: "device('virtiö5')" } } },
      { problem: 'Skipped a message that is not JSON (Content-Length 5).' },
      { problem: 'Skipped a message whose Content-Length (900) runs past its 9 bytes into the next message.' },
      { message: { seq: 3, type: 'request', command: 'threads' } },
    ]);
  });

  it('keeps memory bounded: a stream without a header end is dropped in pieces, a huge Content-Length is refused', () => {
    const reader = new FrameReader();
    const problems = [0, 1, 2].flatMap(() => reader.push(Buffer.alloc(40_000, 'x')));
    assert.deepEqual(problems, [{ problem: 'Skipped 79968 bytes without a DAP header.' }]);
    assert.deepEqual(reader.push(Buffer.from('\r\n\r\nContent-Length: 999999999999\r\n\r\n')), [
      { problem: 'Skipped 40032 bytes that are not a DAP header (no Content-Length).' },
      { problem: 'Skipped a header whose Content-Length is over 268435456 bytes, more than a DAP message may hold.' },
    ]);
  });
});
