/**
 * Runs analyses and keeps their results: one per run of logs, cached by the logs' versions
 * (document version for unsaved edits, modification time and size otherwise), redone when a
 * log changes or is saved. The work happens in a worker thread; a progress notification
 * with a Cancel button appears when it takes more than a moment.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { History } from '../core/model/history';
import type { Policies } from '../core/model/policy';
import type { AnalysisPayload, AnalyzeRequest, InputSpec } from '../worker/protocol';
import { type LogRun, makeRun, runFromRunFile } from './log-run';
import { RunFileProblems } from './run-file-problems';
import { readSettings, type Settings } from './settings';
import { Cancelled, type Job, startJob } from './worker-job';

export interface RunResult {
  run: LogRun;
  analysis: AnalysisPayload;
  history: History;
  /** Where the analysis ran (setting hotplugLens.useWorker). */
  ranIn: 'worker' | 'extension host';
}

export interface ProgressEvent {
  run: LogRun;
  bytes: number;
  totalBytes: number;
}

/** How long a job may run before a progress notification appears. */
const QUIET_MS = 400;

interface Pending {
  signature: string;
  promise: Promise<RunResult>;
  cancel: () => void;
}

export class AnalysisService implements vscode.Disposable {
  private readonly results = new Map<string, RunResult & { signature: string }>();
  private readonly pending = new Map<string, Pending>();
  /** Runs chosen with "Analyze Together", by each of their logs. */
  private readonly chosen = new Map<string, LogRun>();
  private readonly analysed = new vscode.EventEmitter<RunResult>();
  private readonly progressed = new vscode.EventEmitter<ProgressEvent | undefined>();
  private readonly forgotten = new vscode.EventEmitter<LogRun>();
  readonly onDidAnalyze = this.analysed.event;
  /** A run's result was dropped: its diagnostics and tree entries go. */
  readonly onDidForget = this.forgotten.event;
  /** Fires with each progress report, and with undefined when a job ends. */
  readonly onDidProgress = this.progressed.event;
  /** The last progress of each running job, for the status bar. */
  readonly progress = new Map<string, ProgressEvent>();
  private readonly runFileProblems = new RunFileProblems();

  constructor(private readonly distDir: string) {}

  dispose(): void {
    for (const p of this.pending.values()) p.cancel();
    this.analysed.dispose();
    this.progressed.dispose();
    this.forgotten.dispose();
    this.runFileProblems.dispose();
  }

  /** Drops the results of the runs with this log (all results without one). */
  forget(uri?: vscode.Uri): void {
    for (const [key, result] of this.results) {
      if (uri && !result.run.uris.some((u) => u.toString() === uri.toString())) continue;
      this.results.delete(key);
      this.forgotten.fire(result.run);
    }
  }

  /** The run a log belongs to. */
  async runFor(uri: vscode.Uri): Promise<LogRun> {
    return this.chosen.get(uri.toString()) ?? (await runFromRunFile(uri, this.runFileProblems)) ?? makeRun([uri]);
  }

  choose(run: LogRun): void {
    for (const u of run.uris) this.chosen.set(u.toString(), run);
  }

  /** The result of a run with this log: its chosen run's, else the first analysed. */
  resultFor(uri: vscode.Uri): { result: RunResult; input: number } | undefined {
    const key = uri.toString();
    const fromChosen = this.chosen.get(key);
    const candidates = fromChosen ? [this.results.get(fromChosen.key)] : [...this.results.values()];
    for (const result of candidates) {
      const input = result?.run.uris.findIndex((u) => u.toString() === key) ?? -1;
      if (result && input >= 0) return { result, input };
    }
    return undefined;
  }

  allResults(): RunResult[] {
    return [...this.results.values()];
  }

  /** Cancels the job analysing this log, if one runs. */
  cancel(uri: vscode.Uri): boolean {
    const key = uri.toString();
    let any = false;
    for (const [runKey, p] of this.pending) {
      if (runKey.split('\n').includes(key)) {
        p.cancel();
        any = true;
      }
    }
    return any;
  }

  /** Analyses the run (or returns the cached result when no log changed). */
  async analyze(run: LogRun, token?: vscode.CancellationToken): Promise<RunResult> {
    const signature = await this.signature(run);
    const cached = this.results.get(run.key);
    if (cached && cached.signature === signature) return cached;
    const running = this.pending.get(run.key);
    if (running && running.signature === signature) return running.promise;
    running?.cancel();
    const pending = this.start(run, signature);
    token?.onCancellationRequested(() => pending.cancel());
    return pending.promise;
  }

  /** The run replayed with policies forced: what the Explain page's what-if answers come from. */
  async whatIf(run: LogRun, whatIf: Partial<Policies>): Promise<AnalysisPayload> {
    const settings = readSettings();
    return startJob(this.distDir, await this.request(run, settings, whatIf), () => undefined, settings.useWorker).result;
  }

  private async request(run: LogRun, settings: Settings, whatIf?: Partial<Policies>): Promise<AnalyzeRequest> {
    const inputs = await Promise.all(run.uris.map((u) => this.inputSpec(u, settings.maxFileBytes)));
    return { job: 'analyze', inputs, policies: settings.policies, ...(whatIf ? { whatIf } : {}) };
  }

  private start(run: LogRun, signature: string): Pending {
    const settings = readSettings();
    let job: Job | undefined;
    let cancelled = false;
    const cancel = () => {
      cancelled = true;
      job?.cancel();
    };
    const analysed = (async (): Promise<RunResult> => {
      const request = await this.request(run, settings);
      if (cancelled) throw new Cancelled();
      job = startJob(this.distDir, request, (bytes, totalBytes) => {
        const event = { run, bytes, totalBytes };
        this.progress.set(run.key, event);
        this.progressed.fire(event);
      }, settings.useWorker);
      const analysis = await job.result;
      return { run, analysis, history: new History(analysis.history), ranIn: settings.useWorker ? 'worker' : 'extension host' };
    })();
    const notify = setTimeout(() => this.notify(run, analysed, cancel), QUIET_MS);
    const pending: Pending = {
      signature,
      cancel,
      promise: analysed
        .then((result) => {
          this.results.set(run.key, { ...result, signature });
          this.analysed.fire(result);
          return result;
        })
        .finally(() => {
          clearTimeout(notify);
          if (this.pending.get(run.key) === pending) this.pending.delete(run.key);
          this.progress.delete(run.key);
          this.progressed.fire(undefined);
        }),
    };
    this.pending.set(run.key, pending);
    return pending;
  }

  private notify(run: LogRun, promise: Promise<RunResult>, cancel: () => void): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Hotplug Lens: analysing ${run.name}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(cancel);
        let shown = 0;
        const listener = this.onDidProgress((e) => {
          if (!e || e.run.key !== run.key) return;
          const percent = Math.floor((e.bytes / Math.max(1, e.totalBytes)) * 100);
          if (percent > shown) {
            progress.report({ increment: percent - shown, message: `${percent}%` });
            shown = percent;
          }
        });
        try {
          await promise;
        } catch {
          // The caller reports failures; the notification only goes away.
        } finally {
          listener.dispose();
        }
      },
    );
  }

  private async signature(run: LogRun): Promise<string> {
    const parts = await Promise.all(
      run.uris.map(async (u) => {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === u.toString());
        if (doc?.isDirty) return `v${doc.version}`;
        try {
          const stat = await vscode.workspace.fs.stat(u);
          return `${stat.mtime}:${stat.size}`;
        } catch {
          return 'missing';
        }
      }),
    );
    // Which logs are analysed on their own (autoAnalyze) does not change a result: it is not part of it.
    const { autoAnalyze: _, ...affecting } = readSettings();
    return `${JSON.stringify(affecting)}|${parts.join('|')}`;
  }

  /**
   * How a log is read, by the worker and for quotes: from disk when it is a saved local file,
   * else the bytes we hand over (an open document with unsaved edits is read as it is shown).
   */
  async inputSpec(uri: vscode.Uri, maxBytes = Number.POSITIVE_INFINITY): Promise<InputSpec> {
    const label = uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri, false) : uri.toString();
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc && (doc.isDirty || doc.isUntitled)) return { path: label, bytes: new TextEncoder().encode(doc.getText()) };
    const stat = await vscode.workspace.fs.stat(uri);
    // A device or FIFO reports size 0 and never ends (or blocks a thread of the host for good).
    if (!(stat.type & vscode.FileType.File)) throw new Error(`${path.posix.basename(uri.path)} is not a regular file`);
    if (stat.size > maxBytes) {
      throw new Error(`${path.posix.basename(uri.path)} is ${Math.round(stat.size / 2 ** 20)} MB, over hotplugLens.maxFileSizeMB`);
    }
    if (uri.scheme === 'file') return { path: label, file: uri.fsPath };
    return { path: label, bytes: await vscode.workspace.fs.readFile(uri) };
  }
}
