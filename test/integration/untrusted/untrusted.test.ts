/** Restricted Mode: the extension only reads files, so it analyses in an untrusted workspace too. */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, codeOf, EXAMPLE, eventually, HOSTILE_RUN_FILE_ENTRIES, hpl, withRunFileNaming } from '../helpers';

describe('an untrusted workspace', () => {
  it('still analyses the logs', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace is in Restricted Mode');
    await api();
    const guest = vscode.Uri.file(path.join(EXAMPLE, 'guest.log'));
    await vscode.window.showTextDocument(guest);
    await eventually(() => hpl(guest).length > 0, 'diagnostics in Restricted Mode');
    assert.deepEqual(hpl(guest).map(codeOf), Array(8).fill('HPL001'));
  });

  it('follows no run file out of the workspace, to a device or to a FIFO', async () => {
    for (const { entry, prepare, message } of HOSTILE_RUN_FILE_ENTRIES) {
      const { log, runFile } = await withRunFileNaming(entry, prepare);
      assert.deepEqual(log.map(codeOf), Array(8).fill('HPL001'));
      assert.match(runFile[0].message, message);
    }
    const { runningWorkers } = await api();
    await eventually(() => runningWorkers() === 0, 'no analysis worker left running');
  });
});
