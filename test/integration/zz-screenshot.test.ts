/**
 * Leaves the window as the README shows it: the example with a hover open and the Problems
 * panel below; run-ext-tests.cjs takes the picture (into E2E_SCREENSHOT) when asked on the console.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXAMPLE, eventually, hpl } from './helpers';

describe('the window for the screenshot', () => {
  it('shows the example, a hover and the Problems panel', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const guest = vscode.Uri.file(path.join(EXAMPLE, 'guest.log'));
    const editor = await vscode.window.showTextDocument(guest, { selection: new vscode.Range(21, 24, 21, 24) });
    await eventually(() => hpl(guest).length > 0, 'diagnostics');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.window.showTextDocument(editor.document, { selection: new vscode.Range(21, 24, 21, 24), preserveFocus: false });
    await new Promise((r) => setTimeout(r, 500));
    await vscode.commands.executeCommand('editor.action.showHover');
    await new Promise((r) => setTimeout(r, 1000));
    console.log('[[e2e-screenshot]]');
    // The picture is taken while this test waits.
    await new Promise((r) => setTimeout(r, 3000));
  });
});
