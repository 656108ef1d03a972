/** Settings take effect at once: policies to assume, and the analysis without a worker thread. */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, codeOf, EXAMPLE, eventually, hpl } from './helpers';

const guest = vscode.Uri.file(path.join(EXAMPLE, 'guest.log'));

describe('settings', () => {
  const config = () => vscode.workspace.getConfiguration('hotplugLens');
  after(async () => {
    await config().update('policies', undefined, vscode.ConfigurationTarget.Global);
    await config().update('useWorker', undefined, vscode.ConfigurationTarget.Global);
  });

  it('assumes a policy given in hotplugLens.policies: a VMM that discards private pages prevents HPL001', async () => {
    await vscode.commands.executeCommand('hotplugLens.analyze', guest);
    await eventually(() => hpl(guest).length === 8, 'the example analysed');
    await config().update('policies', { 'vmm.discardPrivate': 'yes' }, vscode.ConfigurationTarget.Global);
    await eventually(() => !hpl(guest).some((d) => codeOf(d) === 'HPL001'), 'HPL001 to go under the assumed policy');
    await config().update('policies', undefined, vscode.ConfigurationTarget.Global);
    await eventually(() => hpl(guest).length === 8, 'the findings back without it');
  });

  it('analyses in the extension host\'s thread when hotplugLens.useWorker is off', async () => {
    const lens = await api();
    assert.equal(lens.service.resultFor(guest)?.result.ranIn, 'worker');
    await config().update('useWorker', false, vscode.ConfigurationTarget.Global);
    const summary = await vscode.commands.executeCommand<{ errors: number }>('hotplugLens.analyze', guest);
    assert.equal(summary?.errors, 8);
    assert.equal(lens.service.resultFor(guest)?.result.ranIn, 'extension host');
  });
});
