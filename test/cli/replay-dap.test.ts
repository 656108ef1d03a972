/**
 * The replay debug adapter over the real protocol: dist/debug-adapter.js started as a process
 * and driven by @vscode/debugadapter-testsupport's DebugClient, on the bundled example
 * (guest.log + qemu.log of a failed TDX re-plug). What each stop shows is compared with the
 * replay core run in this process.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ReplayCursor } from '../../src/core/replay/cursor';
import { subblockRecord } from '../../src/core/replay/inspect';
import { loadTrace, type Trace } from '../../src/core/replay/trace';
import { fileSource } from '../../src/node/inputs';
import { ROOT } from '../helpers/cli';
import { makeTempDir } from '../helpers/tmp';
import { ADAPTER, ensureAdapter, GUEST, LOGS, QEMU } from './dap-adapter';

const SB = 0x108000000n;

type Stop = DebugProtocol.StoppedEvent;

async function client(): Promise<DebugClient> {
  const dc = new DebugClient(process.execPath, ADAPTER, 'hotplug-replay');
  await dc.start();
  return dc;
}

/** Launches, lets `configure` set breakpoints, finishes the configuration and returns the first stop. */
async function launch(dc: DebugClient, args: Record<string, unknown>, configure: (dc: DebugClient) => Promise<unknown> = async () => undefined): Promise<Stop> {
  const initialized = dc.waitForEvent('initialized');
  await dc.launch({ logs: LOGS, ...args });
  await initialized;
  await configure(dc);
  const [stop] = await Promise.all([dc.waitForEvent('stopped'), dc.configurationDoneRequest()]);
  return stop as Stop;
}

/** Sends a request that moves the replay and waits for the stop it ends with. */
async function move(dc: DebugClient, request: (dc: DebugClient) => Promise<unknown>): Promise<Stop> {
  const [stop] = await Promise.all([dc.waitForEvent('stopped'), request(dc)]);
  return stop as Stop;
}

async function top(dc: DebugClient): Promise<{ path: string; line: number; name: string; frames: DebugProtocol.StackFrame[] }> {
  const { body } = await dc.stackTraceRequest({ threadId: 1 });
  const f = body.stackFrames[0];
  return { path: f.source?.path ?? '', line: f.line, name: f.name, frames: body.stackFrames };
}

async function scope(dc: DebugClient, name: string): Promise<DebugProtocol.Variable[]> {
  const frame = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
  const scopes = (await dc.scopesRequest({ frameId: frame.id })).body.scopes;
  const s = scopes.find((x) => x.name === name);
  assert.ok(s, `scope ${name} among ${scopes.map((x) => x.name).join(', ')}`);
  return (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables;
}

async function child(dc: DebugClient, parent: DebugProtocol.Variable[], name: string): Promise<DebugProtocol.Variable[]> {
  const v = parent.find((x) => x.name === name);
  assert.ok(v, `${name} among ${parent.map((x) => x.name).join(', ')}`);
  assert.ok(v.variablesReference > 0, `${name} has children`);
  return (await dc.variablesRequest({ variablesReference: v.variablesReference })).body.variables;
}

/** Devices → virtio5 → mb 33 → 0x108000000, as a name → value map. */
async function subblockShown(dc: DebugClient): Promise<Record<string, string> | undefined> {
  const devices = await scope(dc, 'Devices');
  if (!devices.some((d) => d.name === 'virtio5')) return undefined;
  const blocks = await child(dc, devices, 'virtio5');
  if (!blocks.some((b) => b.name === 'mb 33')) return undefined;
  const fields = await child(dc, await child(dc, blocks, 'mb 33'), '0x108000000');
  return Object.fromEntries(fields.map((f) => [f.name, f.value]));
}

describe('replay debug adapter (DAP over stdio)', function () {
  this.timeout(60_000);
  let dc: DebugClient;
  let trace: Trace;

  before(async () => {
    ensureAdapter();
    trace = await loadTrace(await Promise.all(LOGS.map((f) => fileSource(f))));
  });
  beforeEach(async () => {
    dc = await client();
  });
  afterEach(async () => {
    await dc.stop();
  });

  it('declares what it supports: step back, conditions, data breakpoints, goto, set variable, finding filters', async () => {
    const { body } = await dc.initializeRequest({ adapterID: 'hotplug-replay', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    for (const capability of ['supportsStepBack', 'supportsConfigurationDoneRequest', 'supportsConditionalBreakpoints', 'supportsDataBreakpoints', 'supportsGotoTargetsRequest', 'supportsSetVariable', 'supportsEvaluateForHovers', 'supportsExceptionInfoRequest'] as const) {
      assert.equal(body?.[capability], true, capability);
    }
    assert.deepEqual(body?.exceptionBreakpointFilters?.map((f) => f.filter), ['error', 'warning', 'info', 'codes']);
  });

  it('stops on entry, steps forward and back; the stack and the variables match the model at each step', async () => {
    const stop = await launch(dc, { stopOnEntry: true });
    assert.equal(stop.body.reason, 'entry');
    const threads = (await dc.threadsRequest()).body.threads;
    assert.deepEqual(threads.map((t) => t.name), ['replay']);
    const model = new ReplayCursor(trace);
    const steps = 24;
    for (let i = 1; i <= steps; i++) {
      assert.equal((await move(dc, (c) => c.nextRequest({ threadId: 1 }))).body.reason, 'step');
      model.forward();
      await assertMatches(model);
    }
    for (let i = 0; i < 5; i++) {
      assert.equal((await move(dc, (c) => c.stepBackRequest({ threadId: 1 }))).body.reason, 'step');
      model.back();
      await assertMatches(model);
    }
  });

  /** The adapter's top frame, Event scope and subblock 0x108000000 are the model's. */
  async function assertMatches(model: ReplayCursor): Promise<void> {
    const e = model.current;
    assert.ok(e);
    const shown = await top(dc);
    assert.equal(shown.path, e.source.path, `position ${model.position}`);
    assert.equal(shown.line, e.source.line, `position ${model.position}`);
    const event = Object.fromEntries((await scope(dc, 'Event')).map((v) => [v.name, v.value]));
    assert.equal(event.kind, `'${e.kind}'`);
    assert.equal(event.position, String(model.position));
    const expected = subblockRecord(model.analyzer, SB, LOGS);
    const fields = await subblockShown(dc);
    if (!expected) return assert.equal(fields, undefined);
    assert.ok(fields, `0x108000000 is shown at position ${model.position}`);
    for (const c of ['dev', 'use', 'attr', 'accept', 'backing', 'sept']) assert.equal(fields[c], `'${expected[c]}'`, `${c} at position ${model.position}`);
  }

  it('stops on HPL001 at guest.log:22, with the finding as the exception and in Findings so far', async () => {
    const stop = await launch(dc, { stopOnFinding: ['HPL001'] });
    assert.equal(stop.body.reason, 'exception');
    assert.match(stop.body.text ?? '', /^HPL001: Accepting \[0x108000000, 0x110000000\) failed/);
    const at = await top(dc);
    assert.deepEqual([at.path, at.line], [GUEST, 22]);
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'HPL001');
    assert.equal(info.body.details?.typeName, 'HPL001 reaccept-after-unplug');
    const findings = await scope(dc, 'Findings so far');
    assert.deepEqual(findings.filter((f) => f.name.startsWith('HPL001')).map((f) => f.name), ['HPL001 guest.log:22']);
    // The evidence chain of 0x108000000, latest first: converted to private for the accept, plugged
    // again, unplugged by the UNPLUG QEMU acknowledged at qemu.log:79 (left stale), plugged first,
    // and before that known unplugged from the first `plugged size: 0x0`.
    assert.match(at.name, /^tdx\.acceptFailed \(T2\) — virtio5 \[0x108000000, 0x108200000\) use: none → offline \+63$/);
    const chain = at.frames.slice(1).map((f) => `${basename(f.source?.path ?? '')}:${f.line} ${f.name.replace(/ ← .*$/, '')}`);
    assert.match(at.frames[1].name, /^attr: unknown → private ← qemu\.convert \(K-Q2\) virtio5 \[0x108000000, 0x108200000\)$/);
    assert.deepEqual(chain, [
      'qemu.log:209 attr: unknown → private',
      'qemu.log:207 dev: unplugged → plugged',
      'qemu.log:79 dev: plugged → unplugged, accept: unknown → stale',
      'qemu.log:6 dev: unplugged → plugged',
      'guest.log:10 dev: unknown → unplugged, use: unknown → none',
    ]);
  });

  it('stops on findings chosen in the Breakpoints view: by severity, or by code as the filter\'s condition', async () => {
    const stop = await launch(dc, {}, (c) => c.setExceptionBreakpointsRequest({ filters: ['codes'], filterOptions: [{ filterId: 'codes', condition: 'HPL005' }] }));
    assert.equal(stop.body.reason, 'exception');
    assert.match(stop.body.text ?? '', /^HPL005: /);
    assert.deepEqual([(await top(dc)).path, (await top(dc)).line], [QEMU, 37], 'the first UNPLUG QEMU acknowledged after a shared-only discard');
    await dc.setExceptionBreakpointsRequest({ filters: ['error'] });
    await move(dc, (c) => c.continueRequest({ threadId: 1 }));
    assert.equal((await dc.exceptionInfoRequest({ threadId: 1 })).body.exceptionId, 'HPL001');
    assert.equal((await top(dc)).line, 22);
  });

  it('hits a conditional line breakpoint only where its condition holds, and a function breakpoint where its expression becomes true', async () => {
    const stop = await launch(dc, {}, async (c) => {
      const lines = await c.setBreakpointsRequest({
        source: { path: GUEST },
        breakpoints: [24, 29].map((line) => ({ line, condition: "findings('HPL001').length == 8" })),
      });
      assert.deepEqual(lines.body.breakpoints.map((b) => b.verified), [true, true]);
      const fn = await c.setFunctionBreakpointsRequest({ breakpoints: [{ name: "sb(0x108000000).sept == 'MAPPED'" }] });
      assert.equal(fn.body.breakpoints[0].verified, true);
    });
    assert.equal(stop.body.reason, 'function breakpoint');
    assert.deepEqual([(await top(dc)).path, (await top(dc)).line], [QEMU, 79]);
    const next = await move(dc, (c) => c.continueRequest({ threadId: 1 }));
    assert.equal(next.body.reason, 'breakpoint');
    assert.equal((await top(dc)).line, 29, 'line 24 holds only six HPL001 so far');
  });

  it('reverse continue returns to the previous stop', async () => {
    await launch(dc, { stopOnFinding: ['HPL001'] });
    assert.equal((await top(dc)).line, 22);
    await move(dc, (c) => c.continueRequest({ threadId: 1 }));
    assert.equal((await top(dc)).line, 23);
    await move(dc, (c) => c.continueRequest({ threadId: 1 }));
    assert.equal((await top(dc)).line, 24);
    const back = await move(dc, (c) => c.reverseContinueRequest({ threadId: 1 }));
    assert.equal(back.body.reason, 'exception');
    assert.equal((await top(dc)).line, 23);
    await move(dc, (c) => c.reverseContinueRequest({ threadId: 1 }));
    assert.equal((await top(dc)).line, 22);
    const start = await move(dc, (c) => c.reverseContinueRequest({ threadId: 1 }));
    assert.equal(start.body.reason, 'entry', 'no earlier stop: back at the start');
  });

  it('setting vmm.discardPrivate to yes replays up to here and removes the HPL001 findings', async () => {
    const end = await launch(dc, {});
    assert.equal(end.body.reason, 'end');
    assert.equal((await scope(dc, 'Findings so far')).filter((f) => f.name.startsWith('HPL001')).length, 8);
    const policies = await scope(dc, 'Policies');
    assert.equal(policies.find((p) => p.name === 'vmm.discardPrivate')?.value, 'no');
    const frame = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
    const ref = (await dc.scopesRequest({ frameId: frame.id })).body.scopes.find((s) => s.name === 'Policies')?.variablesReference ?? 0;
    const said = dc.assertOutput('console', 'What if vmm.discardPrivate=yes');
    const set = await dc.setVariableRequest({ variablesReference: ref, name: 'vmm.discardPrivate', value: 'yes' });
    assert.equal(set.body.value, 'yes');
    const output = (await said).body.output as string;
    assert.match(output, /HPL001 guest\.log:22/);
    assert.equal((output.match(/^ {2}- HPL001/gm) ?? []).length, 8);
    assert.deepEqual((await scope(dc, 'Findings so far')).filter((f) => f.name.startsWith('HPL001')), []);
    assert.equal((await scope(dc, 'Policies')).find((p) => p.name === 'vmm.discardPrivate')?.value, 'yes');
    const bad = await dc.setVariableRequest({ variablesReference: ref, name: 'vmm.discardPrivate', value: 'maybe' }).then(() => 'accepted', (e: Error) => e.message);
    assert.match(bad, /takes yes, no, unknown/);
  });

  it('keeps each container\'s reference from stop to stop, so that VS Code can mark the values that changed', async () => {
    await launch(dc, { stopOnEntry: true });
    await move(dc, (c) => c.customRequest('hotplugReplay.toLine', { path: QEMU, line: 5 }));
    const refs = async () => {
      const frame = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
      const scopes = (await dc.scopesRequest({ frameId: frame.id })).body.scopes;
      const devices = scopes.find((x) => x.name === 'Devices')?.variablesReference ?? 0;
      const blocks = await child(dc, (await dc.variablesRequest({ variablesReference: devices })).body.variables, 'virtio5');
      const mb33 = blocks.find((b) => b.name === 'mb 33');
      const subblocks = (await dc.variablesRequest({ variablesReference: mb33?.variablesReference ?? 0 })).body.variables;
      return { devices, mb33: mb33?.variablesReference, sb: subblocks.find((v) => v.name === '0x108000000') };
    };
    const before = await refs();
    await move(dc, (c) => c.nextRequest({ threadId: 1 })); // qemu.log:6 acknowledges the PLUG of 0x108000000
    const after = await refs();
    assert.equal(after.devices, before.devices);
    assert.equal(after.mb33, before.mb33);
    assert.equal(after.sb?.variablesReference, before.sb?.variablesReference);
    assert.equal(before.sb?.value, 'unplugged none ? ? ?');
    assert.equal(after.sb?.value, 'plugged none ? ? ?');
  });

  it('answers the same what-if as a custom request (the quick pick), and back again', async () => {
    await launch(dc, {});
    const told = dc.waitForEvent('hotplugReplay.whatIf');
    const yes = await dc.customRequest('hotplugReplay.whatIf', { name: 'vmm.discardPrivate', value: 'yes' });
    assert.deepEqual(yes.body, { value: 'yes' });
    assert.match((await told).body.summary, /disappear/);
    const back = dc.assertOutput('console', 'What if vmm.discardPrivate=no');
    await dc.customRequest('hotplugReplay.whatIf', { name: 'vmm.discardPrivate', value: 'no' });
    assert.equal(((await back).body.output.match(/^ {2}\+ HPL001/gm) ?? []).length, 8, 'the eight HPL001 come back');
    const wrong = await dc.customRequest('hotplugReplay.whatIf', { name: 'vmm.nothing', value: 'yes' }).then(() => '', (e: Error) => e.message);
    assert.match(wrong, /vmm\.nothing takes no value/);
  });

  it('runs to any log line (goto targets) and to a line on request (the timeline\'s "Replay to here")', async () => {
    await launch(dc, { stopOnEntry: true });
    const targets = (await dc.gotoTargetsRequest({ source: { path: QEMU }, line: 79 })).body.targets;
    assert.equal(targets.length, 1);
    const stop = await move(dc, (c) => c.gotoRequest({ threadId: 1, targetId: targets[0].id }));
    assert.equal(stop.body.reason, 'goto');
    assert.deepEqual([(await top(dc)).path, (await top(dc)).line], [QEMU, 79]);
    const moved = dc.waitForEvent('hotplugReplay.stopped');
    await move(dc, (c) => c.customRequest('hotplugReplay.toLine', { path: GUEST, line: 25 }));
    assert.deepEqual((await top(dc)).line, 25);
    assert.deepEqual((await moved).body, { position: trace.events.findIndex((e) => e.input === 0 && e.source.line === 25) + 1, input: 0, path: GUEST, line: 25 });
  });

  it('watches a subblock (data breakpoint) and steps into the next event on it', async () => {
    await launch(dc, { stopOnEntry: true });
    const unknown = await dc.dataBreakpointInfoRequest({ name: 'sb(0x108000000)' });
    assert.equal(unknown.body.dataId, null, 'no device holds it before the first size line');
    await move(dc, (c) => c.customRequest('hotplugReplay.toLine', { path: GUEST, line: 10 }));
    const info = await dc.dataBreakpointInfoRequest({ name: 'sb(0x108000000)' });
    assert.equal(info.body.dataId, 'sb:virtio5:0x108000000');
    await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId as string }] });
    const hit = await move(dc, (c) => c.continueRequest({ threadId: 1 }));
    assert.equal(hit.body.reason, 'data breakpoint');
    assert.deepEqual([(await top(dc)).path, (await top(dc)).line], [QEMU, 6], 'plugged');
    const blocks = await child(dc, await scope(dc, 'Devices'), 'virtio5');
    const mb33 = blocks.find((b) => b.name === 'mb 33');
    const viaVariable = await dc.dataBreakpointInfoRequest({ variablesReference: mb33?.variablesReference, name: '0x108000000' });
    assert.equal(viaVariable.body.dataId, 'sb:virtio5:0x108000000');
    await dc.setDataBreakpointsRequest({ breakpoints: [] });
    const into = await move(dc, (c) => c.stepInRequest({ threadId: 1 }));
    assert.equal(into.body.reason, 'step');
    assert.deepEqual([(await top(dc)).path, (await top(dc)).line], [QEMU, 79], 'the UNPLUG is the next event on 0x108000000');
  });

  it('evaluates the expression language in the console, in Watch and on hover', async () => {
    await launch(dc, {});
    const repl = await dc.evaluateRequest({ expression: "sb(0x108000000).accept == 'stale' && findings('HPL001').length == 8", context: 'repl' });
    assert.equal(repl.body.result, 'true');
    const hover = await dc.evaluateRequest({ expression: '0x108000000', context: 'hover' });
    const model = new ReplayCursor(trace);
    model.seek(trace.events.length);
    assert.equal(hover.body.result, subblockRecord(model.analyzer, SB, LOGS)?.state);
    assert.equal(hover.body.result, 'plugged offline private stale ?');
    assert.ok(hover.body.variablesReference > 0);
    const fields = (await dc.variablesRequest({ variablesReference: hover.body.variablesReference })).body.variables;
    assert.equal(fields.find((f) => f.name === 'sept')?.value, "'MAPPED'");
    const error = await dc.evaluateRequest({ expression: 'sb(', context: 'watch' }).then(() => '', (e: Error) => e.message);
    assert.match(error, /ends too soon/);
  });

  it('replays a scenario file: the simulator writes the logs, the session stops on its HPL001', async () => {
    const stop = await launch(dc, { logs: undefined, scenario: join(ROOT, 'examples', 'scenarios', 'tdx-replug-no-discard.scn'), stopOnFinding: ['HPL001'] });
    assert.equal(stop.body.reason, 'exception');
    const at = await top(dc);
    assert.match(at.path, /hotplug-replay-tdx-replug-no-discard-[^/]+\/guest\.log$/);
  });
});

describe('replay debug adapter: bad input', function () {
  this.timeout(30_000);
  const tmp = makeTempDir('hotplug-replay-');
  after(() => tmp.cleanup());
  before(() => {
    ensureAdapter();
    writeFileSync(tmp.file('empty.log'), '');
    writeFileSync(tmp.file('boot.log'), '[    1.000000] EXT4-fs (vda1): mounted filesystem\n[    2.000000] random: crng init done\n');
  });

  /** Launches; returns what the Debug Console was told on stderr, once the session has terminated, after checking that the launch failed with the same sentence. */
  async function refused(args: Record<string, unknown>): Promise<string> {
    const dc = await client();
    try {
      const errors: string[] = [];
      dc.on('output', (e: DebugProtocol.OutputEvent) => e.body.category === 'stderr' && errors.push(e.body.output));
      const terminated = dc.waitForEvent('terminated', 10_000);
      const failure = await dc.launch(args).then(() => 'the launch succeeded', (e: Error) => e.message);
      await terminated;
      assert.equal(errors.join(''), `Hotplug Lens replay: ${failure}\n`, 'the launch fails with the sentence the Debug Console shows');
      return errors.join('');
    } finally {
      await dc.stop();
    }
  }

  for (const [what, args, message] of [
    ['a missing file', { logs: ['no-such.log'], cwd: '/nonexistent-dir' }, /\/nonexistent-dir\/no-such\.log: no such file/],
    ['an empty log', { logs: [tmp.file('empty.log')] }, /empty\.log: the log is empty/],
    ['a log without virtio-mem lines', { logs: [tmp.file('boot.log')] }, /boot\.log: no virtio-mem, TDX, SEV-SNP or QEMU memory line in 2 lines/],
    ['no logs at all', {}, /Nothing to replay: give "logs"/],
    ['an unknown policy', { logs: [GUEST], policies: { 'vmm.discard': 'yes' } }, /Unknown policy "vmm\.discard"/],
    ['a broken scenario', { scenario: tmp.file('empty.log').replace('empty.log', 'missing.scn') }, /missing\.scn: no such file/],
  ] as const) {
    it(`says so in the Debug Console and ends cleanly: ${what}`, async () => {
      assert.match(await refused(args), message);
    });
  }
});
