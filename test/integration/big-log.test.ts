/**
 * A 120 MB log: analysed in the worker without blocking the extension host, with progress, and
 * stopped for good by Cancel. VS Code hands no document over for files this big.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { makeRun } from '../../src/extension/log-run';
import { api, codeOf, EXAMPLE, eventually, hpl } from './helpers';

const TARGET_BYTES = 120 * 1024 * 1024;

/** Boot noise, then the example's re-plug failure: the findings sit at the very end. */
function writeBigLog(file: string): void {
  const noise = Array.from({ length: 4000 }, (_, i) => `[    3.${String(i).padStart(6, '0')}] systemd[1]: Started session ${i} of user root.\n`).join('');
  const block = Buffer.from(noise);
  const story = fs.readFileSync(path.join(EXAMPLE, 'guest.log'), 'utf8').split('\n').slice(12).join('\n');
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, fs.readFileSync(path.join(EXAMPLE, 'guest.log'), 'utf8').split('\n').slice(0, 12).join('\n') + '\n');
    for (let written = 0; written < TARGET_BYTES; written += block.length) fs.writeSync(fd, block);
    fs.writeSync(fd, story);
  } finally {
    fs.closeSync(fd);
  }
}

describe('a 120 MB log', function () {
  this.timeout(300_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hpl-big-'));
  const big = vscode.Uri.file(path.join(dir, 'console-big.log'));
  const other = vscode.Uri.file(path.join(dir, 'console-big-2.log'));

  before(() => {
    writeBigLog(big.fsPath);
    fs.copyFileSync(big.fsPath, other.fsPath);
  });
  after(async () => {
    await vscode.commands.executeCommand('hotplugLens.clearResults', big);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gets its diagnostics from the worker, with progress, while commands still answer', async () => {
    const lens = await api();
    const seen: number[] = [];
    const listener = lens.service.onDidProgress((e) => e && e.run.uris[0].fsPath === big.fsPath && seen.push(e.bytes));
    const analysing = vscode.commands.executeCommand<{ errors: number }>('hotplugLens.analyze', big);
    try {
      await eventually(() => seen.length > 0, 'the first progress report');
      // The extension host is free: a command it runs answers while the worker reads. (A command
      // that starts an analysis of its own would race the big one to the end on a loaded machine.)
      const asked = Date.now();
      const cancelled = await vscode.commands.executeCommand('hotplugLens.cancelAnalysis', vscode.Uri.file(path.join(EXAMPLE, 'guest.log')));
      const answeredInMs = Date.now() - asked;
      assert.equal(cancelled, false, 'the command answered: nothing of that log to cancel');
      assert.ok(lens.service.progress.size > 0, 'the big log was still being analysed when the command answered');
      assert.ok(answeredInMs < 2000, `a command took ${answeredInMs} ms during the analysis`);
      const summary = await analysing;
      assert.equal(summary?.errors, 8);
    } finally {
      listener.dispose();
    }
    assert.ok(seen.length >= 10, `progress was reported ${seen.length} times`);
    assert.ok(seen.every((b, i) => i === 0 || b >= seen[i - 1]), 'progress only goes forward');
    const diagnostics = hpl(big);
    assert.deepEqual(diagnostics.map(codeOf), Array(8).fill('HPL001'));
    assert.ok(diagnostics[0].range.start.line > 1_000_000, 'the findings are at the end of the log');
  });

  it('drops the results and diagnostics of a log on Clear Results', async () => {
    await vscode.commands.executeCommand('hotplugLens.clearResults', big);
    assert.deepEqual(hpl(big), []);
    assert.equal((await api()).service.resultFor(big), undefined);
  });

  it('stops the worker when the analysis is cancelled', async () => {
    const lens = await api();
    const run = makeRun([other]);
    const analysing = lens.service.analyze(run);
    await eventually(() => lens.service.progress.has(run.key), 'the analysis to start');
    assert.ok(lens.runningWorkers() > 0);
    assert.equal(await vscode.commands.executeCommand('hotplugLens.cancelAnalysis', other), true);
    await assert.rejects(analysing, /cancelled/);
    await eventually(() => lens.runningWorkers() === 0, 'no worker left');
    assert.deepEqual(hpl(other), []);
  });
});
