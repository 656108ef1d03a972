/**
 * Extension entry point. So far: logs opened as the generic Log language are switched to ours
 * when their first lines say what they are, and one command reads the active log in the
 * analysis worker and lists the events it recognised in an output channel.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { WorkerMessage, WorkerRequest } from '../worker/protocol';
import { detectLanguage, LINES_LOOKED_AT, languageRules } from './detect-language';

/** Languages a log may have been given by its extension before we looked at it. */
const GENERIC_LANGUAGES = new Set(['log', 'plaintext']);

export function activate(context: vscode.ExtensionContext): void {
  const rules = languageRules(context.extension.packageJSON);
  const recognise = (document: vscode.TextDocument): void => {
    if (!GENERIC_LANGUAGES.has(document.languageId)) return;
    const count = Math.min(document.lineCount, LINES_LOOKED_AT);
    const lines = Array.from({ length: count }, (_, i) => document.lineAt(i).text);
    const id = detectLanguage(lines, rules);
    if (id) void vscode.languages.setTextDocumentLanguage(document, id);
  };
  vscode.workspace.textDocuments.forEach(recognise);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(recognise));

  const channel = vscode.window.createOutputChannel('Hotplug Lens');
  context.subscriptions.push(
    channel,
    vscode.commands.registerCommand('hotplugLens.showEvents', async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (!target || target.scheme !== 'file') {
        void vscode.window.showErrorMessage('Hotplug Lens: open a log file on disk first.');
        return;
      }
      await showEvents(context, channel, target.fsPath);
    }),
  );
}

async function showEvents(context: vscode.ExtensionContext, channel: vscode.OutputChannel, file: string): Promise<void> {
  channel.clear();
  channel.show(true);
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Hotplug Lens: reading ${path.basename(file)}`, cancellable: true },
    (progress, token) =>
      new Promise<void>((resolve) => {
        const request: WorkerRequest = { job: 'events', files: [file] };
        const worker = new Worker(path.join(context.extensionPath, 'dist', 'worker.js'), { workerData: request });
        token.onCancellationRequested(() => void worker.terminate());
        let reported = 0;
        worker.on('message', (message: WorkerMessage) => {
          switch (message.type) {
            case 'progress': {
              const pct = Math.floor((message.bytes / Math.max(1, message.totalBytes)) * 100);
              progress.report({ increment: pct - reported });
              reported = pct;
              break;
            }
            case 'events':
              for (const e of message.events) channel.appendLine(`${e.line}\t${e.kind}\t${JSON.stringify(e)}`);
              break;
            case 'done':
              channel.appendLine(`# ${JSON.stringify(message.inputs)}`);
              break;
            case 'error':
              void vscode.window.showErrorMessage(`Hotplug Lens: ${message.message}`);
              break;
          }
        });
        worker.on('exit', () => resolve());
        worker.on('error', (error) => {
          void vscode.window.showErrorMessage(`Hotplug Lens: ${error.message}`);
          resolve();
        });
      }),
  );
}

export function deactivate(): void {}
