/** The bundled example in a real VS Code: Problems, hover, CodeLens, outline, tree, navigation, Explain. */
import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, codeOf, EXAMPLE, eventually, hpl } from './helpers';

const guest = vscode.Uri.file(path.join(EXAMPLE, 'guest.log'));
const qemu = vscode.Uri.file(path.join(EXAMPLE, 'qemu.log'));
const FAILED_ACCEPT_LINES = [22, 23, 24, 25, 26, 27, 28, 29];

describe('the bundled example in VS Code', () => {
  before(async () => {
    await api();
    await vscode.window.showTextDocument(guest);
  });

  it('recognises the guest log from its content', async () => {
    await eventually(() => vscode.window.activeTextEditor?.document.languageId === 'hotplug-kernel-log', 'the kernel log language');
  });

  it('puts one diagnostic per finding in Problems, with the evidence in the QEMU log as related information', async () => {
    const diagnostics = await eventually(() => hpl(guest).length > 0 && hpl(guest), 'diagnostics on guest.log');
    assert.deepEqual(diagnostics.map(codeOf), Array(8).fill('HPL001'));
    assert.deepEqual(diagnostics.map((d) => d.range.start.line + 1).sort((a, b) => a - b), FAILED_ACCEPT_LINES);
    assert.ok(diagnostics.every((d) => d.severity === vscode.DiagnosticSeverity.Error));
    const first = diagnostics.find((d) => d.range.start.line === 21) as vscode.Diagnostic;
    assert.match(first.message, /0x108000000/);
    const code = first.code as { value: string; target: vscode.Uri };
    assert.equal(code.target.fragment, 'hpl001');
    assert.ok(code.target.path.endsWith('docs/findings.md'));
    const related = first.relatedInformation ?? [];
    assert.ok(related.some((r) => r.location.uri.fsPath === qemu.fsPath), 'evidence in qemu.log (the run file pairs the logs)');
    // The QEMU side of the same run gets its own finding: the UNPLUG acknowledged without a private discard.
    const onQemu = await eventually(() => hpl(qemu).length > 0 && hpl(qemu), 'diagnostics on qemu.log');
    assert.deepEqual(onQemu.map(codeOf), ['HPL005']);
  });

  it('counts the active log\'s findings in the status bar', async () => {
    const lens = await api();
    await eventually(() => lens.statusText() === 'Hotplug Lens: 8 errors', `status "Hotplug Lens: 8 errors", have "${lens.statusText()}"`);
  });

  it('shows the state of the subblocks a line touched in its hover', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', guest, new vscode.Position(21, 20));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Before \| After \| Changed/);
    assert.match(text, /\[0x108000000, 0x110000000\)/);
    assert.match(text, /plugged \S+ \S+ stale/);
    assert.match(text, /HPL001/);
  });

  it('puts a CodeLens above the root cause, with Explain', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', guest);
    const titles = lenses.map((l) => l.command?.title);
    assert.ok(titles.includes('8 errors: re-accept after unplug without private discard (+1 in the run)'), titles.join(' | '));
    assert.ok(titles.includes('Explain'));
    assert.ok(lenses.every((l) => l.range.start.line === 21));
  });

  it('outlines the devices and their resize phases', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', guest);
    assert.deepEqual(symbols.map((s) => s.name), ['virtio5']);
    assert.deepEqual(symbols[0].children.map((c) => `${c.name}@${c.range.start.line + 1}`), [
      'resize to 0x0@11',
      'resize to 0x80000000 (2 GiB)@14',
      'resize to 0x0@19',
      'resize to 0x80000000 (2 GiB)@21',
    ]);
  });

  it('shows logs → devices → memory blocks → subblocks in the Hotplug Lens view', async () => {
    const { tree } = await api();
    const inputs = tree.getChildren();
    const guestNode = inputs.find((n) => tree.getTreeItem(n).resourceUri?.fsPath === guest.fsPath);
    assert.ok(guestNode, 'guest.log is in the tree');
    const devices = tree.getChildren(guestNode);
    assert.deepEqual(devices.map((d) => tree.getTreeItem(d).label), ['virtio5']);
    const blocks = tree.getChildren(devices[0]);
    const block33 = blocks.find((b) => tree.getTreeItem(b).label === 'memory block 33');
    assert.ok(block33, `memory block 33 among ${blocks.map((b) => tree.getTreeItem(b).label).join(', ')}`);
    assert.match(String(tree.getTreeItem(block33).description), /HPL001/);
    const subblocks = tree.getChildren(block33);
    assert.equal(subblocks.length, 64);
    const item = tree.getTreeItem(subblocks[0]);
    assert.equal(item.label, '0x108000000');
    assert.equal(item.command?.command, 'vscode.open', 'selecting a subblock opens the line that set its state');
  });

  it('moves to the next and previous inconsistent transition', async () => {
    await vscode.window.showTextDocument(guest, { selection: new vscode.Range(0, 0, 0, 0) });
    assert.equal(await vscode.commands.executeCommand('hotplugLens.nextFinding'), 22);
    await eventually(() => vscode.window.activeTextEditor?.selection.active.line === 21, 'the cursor on line 22');
    assert.equal(await vscode.commands.executeCommand('hotplugLens.nextFinding'), 23);
    await eventually(() => vscode.window.activeTextEditor?.selection.active.line === 22, 'the cursor on line 23');
    assert.equal(await vscode.commands.executeCommand('hotplugLens.previousFinding'), 22);
    await eventually(() => vscode.window.activeTextEditor?.selection.active.line === 21, 'the cursor back on line 22');
  });

  it('explains the finding under the cursor: evidence quoted, the what-if answer', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('hotplugLens.explainFinding');
    assert.ok(uri, 'Explain returned its page');
    const page = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.match(page, /^# HPL001 re-accept after unplug without private discard/);
    assert.match(page, /\*\*Most likely cause:\*\* VMM/);
    assert.match(page, /\[guest\.log:22\]\(file:\/\/.*guest\.log#L22\) ` \[ 5714\.676296\] tdx: Failed to accept memory \[0x108000000, 0x110000000\) `/);
    assert.match(page, /virtio_mem_unplug_request addr=0x108000000/);
    assert.match(page, /\| `vmm\.discardPrivate=yes` \| .* \| 0 of 9 \(prevented\) \|/);
  });

  it('quotes the evidence of a log with unsaved edits as the editor shows it, not as it is on disk', async () => {
    const copy = vscode.Uri.file(path.join(os.tmpdir(), `hotplug-lens-dirty-${process.pid}`, 'guest.log'));
    await vscode.workspace.fs.writeFile(copy, await vscode.workspace.fs.readFile(guest));
    const editor = await vscode.window.showTextDocument(copy);
    // Two lines on top, not saved: every line of the log moves down by two.
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '[    0.000001] Linux version 6.12\n[    0.000002] Command line: quiet\n'));
    assert.ok(editor.document.isDirty);
    await eventually(() => hpl(copy).some((d) => d.range.start.line === 23), 'the findings of the edited text');
    editor.selection = new vscode.Selection(23, 20, 23, 20);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('hotplugLens.explainFinding');
    const page = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.match(page, /\[guest\.log:24\]\([^)]*\) ` \[ 5714\.676296\] tdx: Failed to accept memory \[0x108000000, 0x110000000\) `/);
    await vscode.window.showTextDocument(copy);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
