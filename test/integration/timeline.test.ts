/**
 * The timeline panel in the real VS Code: it opens beside the example, the page loads under
 * its CSP with no problem reported, the editor's cursor moves the timeline's cursor, the
 * CodeLens opens it at a root cause, and — where a browser plays the window (code-server) —
 * a real click in the timeline moves the editor's selection to the line that set the state.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { intervalEnd } from '../../src/core/store/intervals';
import { Timeline } from '../../src/core/store/timeline';
import { api, EXAMPLE, eventually, hpl, realInput } from './helpers';

describe('timeline panel', function () {
  this.timeout(120_000);
  const guest = vscode.Uri.file(path.join(EXAMPLE, 'guest.log'));

  before(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens beside the log and loads the run without a page problem', async () => {
    const hl = await api();
    await vscode.window.showTextDocument(guest, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(21, 0, 21, 0) });
    await eventually(() => hpl(guest).length > 0, 'diagnostics');
    const key = await vscode.commands.executeCommand<string>('hotplugLens.openTimeline');
    const run = (await hl.service.runFor(guest));
    assert.equal(key, run.key);
    const panel = hl.timelines.panelFor(run);
    assert.ok(panel);
    await panel.ready;
    assert.equal(panel.panel.viewColumn, vscode.ViewColumn.Two, 'beside the log');
    assert.equal(panel.panel.title, `Timeline: ${run.name}`);
    assert.deepEqual(panel.lastCursor && [panel.lastCursor.input, panel.lastCursor.line], [0, 22], 'the cursor starts at the line the editor is on');
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(panel.problems, [], 'no CSP violation or error in the page');
    assert.equal(panel.ignored, 0, 'every message from the page was valid');
  });

  it('moves the timeline cursor when the editor cursor moves', async () => {
    const hl = await api();
    const panel = hl.timelines.panelFor(await hl.service.runFor(guest));
    assert.ok(panel);
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === guest.toString());
    assert.ok(editor);
    editor.selection = new vscode.Selection(24, 0, 24, 0);
    await eventually(() => panel.lastCursor?.line === 25, 'the cursor sent for line 25');
    const result = hl.service.allResults().find((r) => r.run.key === panel.run.key);
    assert.ok(result);
    assert.equal(panel.lastCursor?.time, new Timeline(result.analysis.timeline).timeOfLine(0, 25));
  });

  it('is offered by a CodeLens above each root cause, which puts the cursor on it', async () => {
    const hl = await api();
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', guest);
    const show = lenses.find((l) => l.command?.title === 'Show in timeline');
    assert.ok(show?.command, lenses.map((l) => l.command?.title).join(', '));
    await vscode.commands.executeCommand(show.command.command, ...(show.command.arguments ?? []));
    const panel = hl.timelines.panelFor(await hl.service.runFor(guest));
    assert.deepEqual(panel?.lastCursor && [panel.lastCursor.input, panel.lastCursor.line], [0, 22], 'at the first finding of the root cause');
  });

  it('follows a replay session: its cursor goes where the replay stops', async () => {
    const hl = await api();
    const panel = hl.timelines.panelFor(await hl.service.runFor(guest));
    assert.ok(panel);
    const qemu = vscode.Uri.file(path.join(EXAMPLE, 'qemu.log'));
    // What the timeline's "Replay to here" runs.
    await vscode.commands.executeCommand('hotplugLens.replayToLine', { uri: qemu, line: 77 });
    try {
      await eventually(() => panel.lastCursor?.input === 1 && panel.lastCursor.line === 77, 'the timeline cursor at qemu.log:77', 90_000);
    } finally {
      await vscode.debug.stopDebugging();
    }
  });

  it('opens the line that set a state when the timeline is clicked', async function () {
    // Only where this harness plays the window in a browser it drives (code-server).
    if (vscode.env.uiKind !== vscode.UIKind.Web) this.skip();
    const hl = await api();
    // The panel's run (the example's run file: guest + QEMU), not any other analysis of guest.log.
    const run = await hl.service.runFor(guest);
    const result = hl.service.allResults().find((r) => r.run.key === run.key);
    assert.ok(result);
    const found = { result };
    const timeline = new Timeline(found.result.analysis.timeline);
    const f = timeline.meta().findings[0];
    // Memory block 33 in the middle of the state its UNPLUG left: far from any marker, whatever the panel's width.
    const { intervals: s, history: h } = found.result.analysis.timeline;
    const k = [...Array(s.laneStart[f.laneFrom + 1] - s.laneStart[f.laneFrom]).keys()]
      .map((i) => s.laneStart[f.laneFrom] + i)
      .filter((i) => s.ref[i] >= 0 && h.actions[h.action[s.ref[i]]] === 'unplug')
      .pop();
    assert.ok(k !== undefined, 'memory block 33 was unplugged (the last time before it failed)');
    const time = (s.start[k] + intervalEnd(s, f.laneFrom, k)) / 2;
    const setBy = timeline.inspect(f.laneFrom, f.laneTo, time)?.setBy;
    assert.ok(setBy);
    const log = found.result.run.uris[setBy.input];
    console.log(`[[e2e-timeline-click ${JSON.stringify({ row: 'b:virtio5:33', time })}]]`);
    const panel = hl.timelines.panelFor(found.result.run);
    await eventually(() => panel?.lastReveal?.line === setBy.line && panel.lastReveal.input === setBy.input, 'the page asking to open that line', 30_000);
    await eventually(() => {
      const e = vscode.window.visibleTextEditors.find((v) => v.document.uri.toString() === log.toString());
      return e?.selection.active.line === setBy.line - 1;
    }, `${path.basename(log.path)}:${setBy.line} selected`, 10_000);
  });

  it('leaves the window for the README picture', async function () {
    if (vscode.env.uiKind !== vscode.UIKind.Web) this.skip();
    // The timeline as wide as the window allows, the log the click opened beside it.
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await new Promise((r) => setTimeout(r, 1500));
    console.log('[[e2e-shot timeline.png]]');
    await new Promise((r) => setTimeout(r, 2500));
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  it('keeps keys meant for the timeline and its filter out of the logs; only Enter goes to a line', async function () {
    if (vscode.env.uiKind !== vscode.UIKind.Web) this.skip();
    const hl = await api();
    const run = await hl.service.runFor(guest);
    const result = hl.service.allResults().find((r) => r.run.key === run.key);
    const panel = hl.timelines.panelFor(run);
    assert.ok(result && panel);
    const logs = run.uris.map((uri) => ({ uri, disk: fs.readFileSync(uri.fsPath, 'utf8') }));
    // Both logs open, so that a key that leaks has an editor to land in.
    for (const { uri } of logs) await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One, preview: false });
    const untouched = (when: string) => {
      for (const { uri, disk } of logs) {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        assert.equal(doc?.isDirty, false, `${path.basename(uri.path)} not modified ${when}`);
        assert.equal(doc?.getText(), disk, `${path.basename(uri.path)} as on disk ${when}`);
        assert.equal(fs.readFileSync(uri.fsPath, 'utf8'), disk, `${path.basename(uri.path)} unchanged on disk ${when}`);
      }
    };
    const meta = new Timeline(result.analysis.timeline).meta();
    // Memory block 33 a second before its failed accept: a state, clear of any marker.
    const block = { row: 'b:virtio5:33', time: meta.findings[0].time - 1_000_000 };
    const first = [...meta.findings].sort((a, b) => a.time - b.time || a.index - b.index)[0];
    try {
      await realInput([{ click: block }, { press: 'n' }, { press: 'p' }, { press: 'n' }, { type: 'xyz' }, { press: 'Control+a' }, { press: 'Tab' }, { type: 'hello' }, { press: 'Backspace' }]);
      assert.equal(panel.lastReveal?.focus, false, 'a click shows the line without taking the keyboard');
      untouched('after keys typed into the timeline');

      await realInput([{ click: '#filter' }, { type: 'stale' }, { press: 'Control+a' }, { press: 'Tab' }, { type: 'zz' }, { press: 'Backspace' }, { click: '#filter' }, { press: 'Control+a' }, { press: 'Backspace' }]);
      untouched('after keys typed into the filter');

      // Enter is the user asking to go to the line: the editor takes the keyboard, visibly.
      await realInput([{ click: block }, { press: 'Enter' }]);
      await eventually(() => panel.lastReveal?.focus === true, 'Enter to go to the line');
      const target = run.uris[panel.lastReveal?.input ?? -1];
      await eventually(() => vscode.window.activeTextEditor?.document.uri.toString() === target?.toString(), 'the editor of that line active');

      // Ctrl+2 back to the timeline's group: the chart has the keyboard at once (N picks the first
      // finding, Enter goes to it), even when the page itself had nothing focused (a click on its title).
      await realInput([{ click: '#title' }, { press: 'Control+1' }, { press: 'Control+2' }, { press: 'n' }, { press: 'Enter' }]);
      await eventually(() => panel.lastReveal?.line === first.line && panel.lastReveal.input === first.input, `N then Enter after Ctrl+2 going to ${first.code} at line ${first.line}`, 10_000);
      untouched('at the end');
    } finally {
      // Should a key leak after all, the example must not stay broken for the tests after this one.
      for (const { uri, disk } of logs) {
        if (fs.readFileSync(uri.fsPath, 'utf8') !== disk) fs.writeFileSync(uri.fsPath, disk);
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        if (doc?.isDirty) {
          await vscode.window.showTextDocument(doc);
          await vscode.commands.executeCommand('workbench.action.files.revert');
        }
      }
    }
  });

  it('comes back in a panel VS Code restores with the state the page saved', async () => {
    const hl = await api();
    const restored = vscode.window.createWebviewPanel('hotplugLens.timeline', 'restored', vscode.ViewColumn.Three);
    const run = [guest.toString()];
    const panel = hl.timelines.restore(restored, { run, key: 'from a previous window', start: 0, end: 1 });
    assert.ok(panel);
    await panel.ready;
    assert.deepEqual(panel.run.uris.map((u) => u.toString()), run);
    assert.deepEqual(panel.problems, []);
    const broken = vscode.window.createWebviewPanel('hotplugLens.timeline', 'broken', vscode.ViewColumn.Three);
    let closed = false;
    broken.onDidDispose(() => (closed = true));
    assert.equal(hl.timelines.restore(broken, { something: 'else' }), undefined);
    assert.ok(closed, 'a state without its logs closes the panel');
    restored.dispose();
  });

});
