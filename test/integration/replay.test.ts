/**
 * The replay debugger in the real VS Code: "Replay This Log" on the bundled example starts a
 * hotplug-replay session without a launch.json; two Step Overs from the debug toolbar's command; the
 * Variables come through the session (`customRequest`) and match the replay core run here; the
 * timeline hook hears each stop; the Run and Debug view is photographed for the README
 * (media/replay.png with UPDATE_SCREENSHOT=1); the session is stopped.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ReplayCursor } from '../../src/core/replay/cursor';
import { loadTrace } from '../../src/core/replay/trace';
import { fileSource } from '../../src/node/inputs';
import { EXAMPLE, eventually } from './helpers';

type Message = { type: string; event?: string; body?: Record<string, unknown> };

describe('replay debugger (hotplug-replay)', () => {
  const stops: Array<Record<string, unknown>> = [];
  const moves: Array<Record<string, unknown>> = [];
  const disposables: vscode.Disposable[] = [];

  before(() => {
    // What the adapter sends, as VS Code sees it: each stop, and the custom event the timeline follows.
    disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory('hotplug-replay', {
        createDebugAdapterTracker: () => ({
          onDidSendMessage: (m: Message) => {
            if (m.type === 'event' && m.event === 'stopped') stops.push(m.body ?? {});
          },
        }),
      }),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => e.event === 'hotplugReplay.stopped' && moves.push(e.body)),
    );
  });
  after(() => disposables.forEach((d) => d.dispose()));

  /** Stops a session and waits until VS Code says it has ended. */
  async function stop(session: vscode.DebugSession): Promise<void> {
    const ended = new Promise<void>((resolve) => disposables.push(vscode.debug.onDidTerminateDebugSession((s) => s.id === session.id && resolve())));
    await vscode.debug.stopDebugging(session);
    await ended;
  }

  async function variables(session: vscode.DebugSession, reference: number): Promise<Array<{ name: string; value: string; variablesReference: number }>> {
    return (await session.customRequest('variables', { variablesReference: reference })).variables;
  }

  it('replays the example: stops on entry, steps twice, shows the model\'s state, then stops', async () => {
    const guest = vscode.Uri.file(path.join(EXAMPLE, 'guest.log'));
    await vscode.window.showTextDocument(guest);
    const started = await vscode.commands.executeCommand<boolean>('hotplugLens.replayLog');
    assert.equal(started, true);
    const session = await eventually(() => vscode.debug.activeDebugSession?.type === 'hotplug-replay' && vscode.debug.activeDebugSession, 'a replay session');
    await eventually(() => stops.length >= 1, 'the stop on entry');
    assert.equal(stops[0].reason, 'entry');
    assert.deepEqual(session.configuration.logs, [path.join(EXAMPLE, 'guest.log'), path.join(EXAMPLE, 'qemu.log')], 'the run of the example: its .hotplug-lens.json or both logs');

    // Run and Debug in view from the start, so that it shows each stop as it comes.
    await vscode.commands.executeCommand('workbench.view.debug');
    await eventually(() => vscode.debug.activeStackItem, 'the stopped thread in focus');
    for (let i = 1; i <= 2; i++) {
      await vscode.commands.executeCommand('workbench.action.debug.stepOver');
      await eventually(() => stops.length >= 1 + i, `step ${i}`);
      assert.equal(stops[i].reason, 'step');
    }

    const model = new ReplayCursor(await loadTrace(await Promise.all([path.join(EXAMPLE, 'guest.log'), path.join(EXAMPLE, 'qemu.log')].map((f) => fileSource(f)))));
    model.seek(2);
    const event = model.current;
    assert.ok(event);
    const frames = (await session.customRequest('stackTrace', { threadId: 1 })).stackFrames as Array<{ id: number; line: number; source: { path: string } }>;
    assert.equal(frames[0].line, event.source.line);
    // In a remote window (code-server) VS Code hands paths on as remote URIs.
    const shownPath = frames[0].source.path.includes('://') ? vscode.Uri.parse(frames[0].source.path).fsPath : frames[0].source.path;
    assert.equal(shownPath, event.source.path);
    const scopes = (await session.customRequest('scopes', { frameId: frames[0].id })).scopes as Array<{ name: string; variablesReference: number }>;
    assert.deepEqual(scopes.map((s) => s.name), ['Event', 'Devices', 'Policies', 'Findings so far']);
    const fields = Object.fromEntries((await variables(session, scopes[0].variablesReference)).map((v) => [v.name, v.value]));
    assert.equal(fields.kind, `'${event.kind}'`);
    assert.equal(fields.position, '2');
    const policies = await variables(session, scopes[2].variablesReference);
    assert.deepEqual(policies.map((p) => p.name), Object.keys(model.analyzer.policies));
    const evaluated = await session.customRequest('evaluate', { expression: 'position', context: 'watch' });
    assert.equal(evaluated.result, '2');
    await eventually(() => moves.length >= 3, 'the timeline hook at every stop');
    assert.deepEqual(moves[2], { position: 2, input: event.input, path: event.source.path, line: event.source.line });

    // The picture for the README: the Run and Debug view beside the highlighted line.
    await new Promise((r) => setTimeout(r, 1500));
    console.log('[[e2e-shot replay.png]]');
    await new Promise((r) => setTimeout(r, 2500));

    await stop(session);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  it('"Replay to here" starts a session stopped at the line, then moves it', async () => {
    const qemu = vscode.Uri.file(path.join(EXAMPLE, 'qemu.log'));
    const before = stops.length;
    assert.equal(await vscode.commands.executeCommand('hotplugLens.replayToLine', { uri: qemu, line: 79 }), true);
    const session = await eventually(() => vscode.debug.activeDebugSession?.type === 'hotplug-replay' && vscode.debug.activeDebugSession, 'a replay session');
    await eventually(() => stops.length > before && moves[moves.length - 1]?.line === 79, 'the stop at the line');
    assert.equal(stops[stops.length - 1].reason, 'goto');
    assert.equal(await vscode.commands.executeCommand('hotplugLens.replayToLine', { uri: vscode.Uri.file(path.join(EXAMPLE, 'guest.log')), line: 22 }), true);
    await eventually(() => moves[moves.length - 1].line === 22, 'the move to guest.log:22');
    // A second picture: stopped on the first failed accept, its evidence chain as the call stack.
    await vscode.commands.executeCommand('workbench.view.debug');
    await new Promise((r) => setTimeout(r, 1500));
    console.log('[[e2e-shot replay-finding.png]]');
    await new Promise((r) => setTimeout(r, 2500));
    await stop(session);
  });
});
