/**
 * Extension entry point: wires the analysis service to the editor (Problems, hover, CodeLens,
 * Outline, the state tree, the status bar) and decides when to analyse: when a log is opened
 * or recognised, on save, and shortly after edits.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { AnalysisService } from './analysis-service';
import { RootCauseLenses } from './code-lens';
import { detectLanguage, LINES_LOOKED_AT, languageRules } from './detect-language';
import { Diagnostics } from './diagnostics';
import { EXPLAIN_SCHEME, ExplainPages } from './explain';
import { StateHover } from './hover';
import { makeRun } from './log-run';
import { activeLog, FindingWalker } from './navigation';
import { LogOutline } from './outline';
import { registerReplay } from './replay';
import { readSettings } from './settings';
import { sniffLanguage } from './sniff';
import { StatusItem } from './status-bar';
import { TimelinePanels } from './timeline-panel';
import { StateTree } from './tree';
import { Cancelled, runningWorkers } from './worker-job';

export const LOG_LANGUAGES = ['hotplug-kernel-log', 'hotplug-qemu-log'];
/** Languages a log may have been given by its file name before we looked at its content. */
const GENERIC_LANGUAGES = new Set(['log', 'plaintext']);
/** Edits are analysed once typing pauses. */
const EDIT_DEBOUNCE_MS = 700;

/** What the extension offers other extensions and its integration tests. */
export interface HotplugLensApi {
  service: AnalysisService;
  tree: StateTree;
  timelines: TimelinePanels;
  statusText(): string;
  runningWorkers(): number;
  /** Milliseconds activate() itself took (the activation bench reads it). */
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): HotplugLensApi {
  const started = performance.now();
  const rules = languageRules(context.extension.packageJSON);
  const service = new AnalysisService(path.join(context.extensionPath, 'dist'));
  const diagnostics = new Diagnostics(vscode.Uri.joinPath(context.extensionUri, 'docs', 'findings.md'));
  const explain = new ExplainPages(service);
  const walker = new FindingWalker(service);
  const status = new StatusItem(service);
  const tree = new StateTree(service);
  // The output channel is made when there is something to say: not at activation.
  let log: vscode.LogOutputChannel | undefined;
  const output = () => (log ??= vscode.window.createOutputChannel('Hotplug Lens', { log: true }));
  const timelines = new TimelinePanels(context.extensionUri, service, output);
  const selector = LOG_LANGUAGES.map((language) => ({ language }));
  context.subscriptions.push(
    service,
    { dispose: () => log?.dispose() },
    timelines,
    diagnostics,
    status,
    service.onDidAnalyze((result) => diagnostics.show(result)),
    service.onDidForget((run) => diagnostics.clear(run)),
    vscode.languages.registerHoverProvider(selector, new StateHover(service)),
    vscode.languages.registerCodeLensProvider(selector, new RootCauseLenses(service)),
    vscode.languages.registerDocumentSymbolProvider(selector, new LogOutline(service), { label: 'Hotplug Lens' }),
    vscode.window.registerTreeDataProvider('hotplugLens.state', tree),
    vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, explain),
  );

  const report = (error: unknown) => {
    if (!(error instanceof Cancelled)) void vscode.window.showErrorMessage(`Hotplug Lens: ${(error as Error).message}`);
  };
  const analyse = async (uri: vscode.Uri) => service.analyze(await service.runFor(uri));
  const analyseQuietly = (uri: vscode.Uri) => void analyse(uri).catch(report);

  // ---- when to analyse ----
  const isLog = (d: vscode.TextDocument) => LOG_LANGUAGES.includes(d.languageId);
  const consider = (document: vscode.TextDocument): void => {
    if (GENERIC_LANGUAGES.has(document.languageId)) {
      const count = Math.min(document.lineCount, LINES_LOOKED_AT);
      const id = detectLanguage(Array.from({ length: count }, (_, i) => document.lineAt(i).text), rules);
      // Setting the language reopens the document under it, which brings it back here.
      if (id) void vscode.languages.setTextDocumentLanguage(document, id);
      return;
    }
    if (isLog(document) && readSettings().autoAnalyze === 'recognized') analyseQuietly(document.uri);
  };
  // Logs over 50 MB never become documents: they are seen as tabs, and sniffed from disk once each.
  const sniffed = new Set<string>();
  const considerTabs = (): void => {
    if (readSettings().autoAnalyze !== 'recognized') return;
    for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
      if (!(tab.input instanceof vscode.TabInputText)) continue;
      const uri = tab.input.uri;
      const key = uri.toString();
      if (uri.scheme !== 'file' || sniffed.has(key) || vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) continue;
      sniffed.add(key);
      void sniffLanguage(uri.fsPath, rules).then((id) => id && analyseQuietly(uri));
    }
  };
  const timers = new Map<string, NodeJS.Timeout>();
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(consider),
    vscode.workspace.onDidSaveTextDocument((d) => isLog(d) && analyseQuietly(d.uri)),
    // An untitled log that is closed is gone: so are its findings.
    vscode.workspace.onDidCloseTextDocument((d) => d.isUntitled && service.forget(d.uri)),
    vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => {
      if (!isLog(document) || contentChanges.length === 0) return;
      const key = document.uri.toString();
      clearTimeout(timers.get(key));
      timers.set(key, setTimeout(() => {
        timers.delete(key);
        analyseQuietly(document.uri);
      }, EDIT_DEBOUNCE_MS));
    }),
    vscode.window.tabGroups.onDidChangeTabs(considerTabs),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('hotplugLens')) for (const r of service.allResults()) void service.analyze(r.run).catch(report);
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
  vscode.workspace.textDocuments.forEach(consider);
  considerTabs();

  // ---- commands ----
  const target = (uri?: vscode.Uri) => uri ?? activeLog()?.uri;
  context.subscriptions.push(
    vscode.commands.registerCommand('hotplugLens.analyze', async (uri?: vscode.Uri) => {
      const log = target(uri);
      if (!log) return void vscode.window.showWarningMessage('Hotplug Lens: open a log first.');
      try {
        const result = await analyse(log);
        return result.analysis.summary;
      } catch (error) {
        report(error);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('hotplugLens.analyzeTogether', async (clicked?: vscode.Uri, selected?: vscode.Uri[]) => {
      let uris = selected && selected.length > 0 ? selected : clicked ? [clicked] : [];
      if (uris.length < 2) {
        const picked = await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: 'Analyze Together', title: 'The guest, QEMU and host logs of one run' });
        if (!picked) return undefined;
        uris = picked;
      }
      const run = makeRun(uris);
      service.choose(run);
      try {
        return (await service.analyze(run)).analysis.summary;
      } catch (error) {
        report(error);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('hotplugLens.cancelAnalysis', (uri?: vscode.Uri) => {
      const log = target(uri);
      return log ? service.cancel(log) : false;
    }),
    vscode.commands.registerCommand('hotplugLens.clearResults', (uri?: vscode.Uri) => service.forget(uri)),
    vscode.commands.registerCommand('hotplugLens.nextFinding', () => walker.step(1)),
    vscode.commands.registerCommand('hotplugLens.previousFinding', () => walker.step(-1)),
    vscode.commands.registerCommand('hotplugLens.explainFinding', async (arg?: { run: string; rootCause: string }) => {
      const chosen = await pickRootCause(service, arg);
      if (!chosen) return undefined;
      const uri = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Hotplug Lens: explaining (replaying the disputed policies)', cancellable: true },
        (_, token) => explain.page(chosen.result, chosen.rootCause, token),
      );
      await vscode.commands.executeCommand('markdown.showPreview', uri);
      return uri;
    }),
    vscode.commands.registerCommand('hotplugLens.openTimeline', async (arg?: vscode.Uri | { run: string; rootCause: string }) => {
      try {
        if (arg && !(arg instanceof vscode.Uri)) {
          const result = service.allResults().find((r) => r.run.key === arg.run);
          const first = result?.analysis.findings.find((f) => f.rootCause === arg.rootCause);
          if (!result) return undefined;
          await timelines.open(result.run, first && { input: first.location.input, line: first.location.line });
          return result.run.key;
        }
        const log = arg ? { uri: arg, line: activeLog()?.uri.toString() === arg.toString() ? activeLog()?.line : undefined } : activeLog();
        if (!log) return void vscode.window.showWarningMessage('Hotplug Lens: open a log first.');
        const run = await service.runFor(log.uri);
        const input = run.uris.findIndex((u) => u.toString() === log.uri.toString());
        await timelines.open(run, log.line !== undefined && input >= 0 ? { input, line: log.line } : undefined);
        return run.key;
      } catch (error) {
        report(error);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('hotplugLens.openExample', async () => {
      const uri = vscode.Uri.joinPath(context.extensionUri, 'examples', 'tdx-replug-failure', 'guest.log');
      await vscode.window.showTextDocument(uri);
      return uri;
    }),
  );

  // The replay debugger (hotplug-replay) and its commands; a timeline's cursor follows its sessions.
  const replay = registerReplay(context, service);
  context.subscriptions.push(replay.onDidMove((at) => timelines.follow(at.path, at.line)));

  return { service, tree, timelines, statusText: () => status.text, runningWorkers, activationMs: performance.now() - started };
}

async function pickRootCause(service: AnalysisService, arg?: { run: string; rootCause: string }) {
  if (arg) {
    const result = service.allResults().find((r) => r.run.key === arg.run);
    return result ? { result, rootCause: arg.rootCause } : undefined;
  }
  const log = activeLog();
  const found = log && service.resultFor(log.uri);
  if (!found) {
    void vscode.window.showInformationMessage('Hotplug Lens: open an analysed log to explain its findings.');
    return undefined;
  }
  const { result, input } = found;
  const atCursor = result.analysis.findings.find((f) => f.location.input === input && f.location.line === log?.line);
  if (atCursor) return { result, rootCause: atCursor.rootCause };
  const causes = result.analysis.rootCauses;
  if (causes.length <= 1) return causes[0] ? { result, rootCause: causes[0].id } : undefined;
  const pick = await vscode.window.showQuickPick(
    causes.map((r) => ({ label: `${r.code} ${r.title}`, description: `${r.findingCount} findings · cause: ${r.cause}`, id: r.id })),
    { title: 'Explain which root cause?' },
  );
  return pick ? { result, rootCause: pick.id } : undefined;
}

export function deactivate(): void {}
