/** Logs that are not files on disk: unsaved edits are analysed from the editor's text. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { codeOf, EXAMPLE, eventually, hpl } from './helpers';

describe('a log that is not on disk', () => {
  it('is analysed from its text, and again after an edit', async () => {
    const text = fs.readFileSync(path.join(EXAMPLE, 'guest.log'), 'utf8');
    const doc = await vscode.workspace.openTextDocument({ language: 'hotplug-kernel-log', content: text });
    await vscode.window.showTextDocument(doc);
    await eventually(() => hpl(doc.uri).length === 8, 'diagnostics on the untitled log');
    assert.deepEqual(hpl(doc.uri).map(codeOf), Array(8).fill('HPL001'));
    // Cut the last failed accept: the analysis follows the edit.
    const edit = new vscode.WorkspaceEdit();
    edit.delete(doc.uri, new vscode.Range(28, 0, 29, 0));
    assert.ok(await vscode.workspace.applyEdit(edit));
    await eventually(() => hpl(doc.uri).length === 7, 'diagnostics after the edit');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await eventually(() => hpl(doc.uri).length === 0, 'the findings of the closed untitled log to go');
  });
});
