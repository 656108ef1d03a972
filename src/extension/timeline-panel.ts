/**
 * The timeline panel: one webview per run of logs, opened beside the log, answering the
 * page's requests from the run's analysis, and linked both ways with the editor — a click in
 * the timeline opens the line, moving the cursor in a log moves the timeline's cursor.
 * Restored after a reload from the run the page kept in its state.
 */
import * as vscode from 'vscode';
import { Timeline, type LineRef } from '../core/store/timeline';
import { lineAt } from '../node/line-at';
import { answer } from '../protocol/timeline-answer';
import { type HostMessage, parseViewMessage } from '../protocol/timeline';
import { timelinePage, webviewCsp } from '../protocol/timeline-page';
import type { AnalysisService, RunResult } from './analysis-service';
import { type LogRun, makeRun } from './log-run';

export const TIMELINE_VIEW_TYPE = 'hotplugLens.timeline';
/** The command the replay registers: the timeline's "Replay to here" calls it when it exists. */
const REPLAY_TO_LINE = 'hotplugLens.replayToLine';
/** Cursor moves are sent once they pause this long. */
const CURSOR_DEBOUNCE_MS = 60;

export class TimelinePanels implements vscode.Disposable {
  private readonly panels = new Map<string, TimelinePanel>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly service: AnalysisService,
    private readonly log: () => vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, { deserializeWebviewPanel: async (panel, state) => void this.restore(panel, state) }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        for (const p of this.panels.values()) p.editorMoved(e.textEditor);
      }),
      service.onDidAnalyze((result) => this.panels.get(result.run.key)?.show(result)),
    );
  }

  dispose(): void {
    for (const p of this.panels.values()) p.dispose();
    this.subscriptions.forEach((s) => s.dispose());
  }

  /** Opens (or brings forward) the run's timeline; `at` puts its cursor on a line. */
  async open(run: LogRun, at?: { input: number; line: number }): Promise<TimelinePanel> {
    let panel = this.panels.get(run.key);
    if (!panel) {
      const webview = vscode.window.createWebviewPanel(TIMELINE_VIEW_TYPE, `Timeline: ${run.name}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.options());
      panel = this.adopt(webview, run);
    } else {
      panel.panel.reveal(undefined, true);
    }
    await panel.ready;
    if (at) panel.moveCursor(at.input, at.line);
    return panel;
  }

  /**
   * A panel VS Code brings back after a reload, with the state its page saved: the run's logs
   * are in it. A state that does not name them (an older page, a damaged one) closes the panel.
   */
  restore(webview: vscode.WebviewPanel, state: unknown): TimelinePanel | undefined {
    const uris = (state as { run?: unknown } | undefined)?.run;
    if (!Array.isArray(uris) || uris.length === 0 || !uris.every((u) => typeof u === 'string')) {
      webview.dispose();
      return undefined;
    }
    return this.adopt(webview, makeRun(uris.map((u) => vscode.Uri.parse(u))));
  }

  /** Moves the cursor of every timeline showing `file` to `line` (a replay session stopped there). */
  follow(file: string, line: number): void {
    for (const panel of this.panels.values()) {
      const input = panel.run.uris.findIndex((u) => u.fsPath === file || u.toString() === file);
      if (input >= 0) panel.moveCursor(input, line);
    }
  }

  panelFor(run: LogRun): TimelinePanel | undefined {
    return this.panels.get(run.key);
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')] };
  }

  private adopt(webview: vscode.WebviewPanel, run: LogRun): TimelinePanel {
    webview.webview.options = this.options();
    const panel = new TimelinePanel(webview, run, this.extensionUri, this.service, this.log);
    this.panels.set(run.key, panel);
    webview.onDidDispose(() => {
      this.panels.delete(run.key);
      panel.dispose();
    });
    return panel;
  }
}

export class TimelinePanel {
  private timeline?: Timeline;
  private pageReady = false;
  private disposed = false;
  private cursorTimer?: NodeJS.Timeout;
  private readonly disposables: vscode.Disposable[] = [];
  /** Settles when the page has its data. */
  readonly ready: Promise<void>;
  private markReady!: () => void;
  /** Messages the page sent that were not valid (kept for tests and the log). */
  ignored = 0;
  /** Problems the page reported (CSP violations, errors). */
  readonly problems: string[] = [];
  /** The last cursor sent to the page, and the last line the page asked to open. */
  lastCursor?: { input: number; line: number; time: number };
  lastReveal?: { input: number; line: number; focus: boolean };

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly run: LogRun,
    extensionUri: vscode.Uri,
    service: AnalysisService,
    private readonly log: () => vscode.LogOutputChannel,
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'timeline.svg');
    panel.webview.html = pageHtml(panel.webview, extensionUri, `Timeline: ${run.name}`);
    this.disposables.push(panel.webview.onDidReceiveMessage((raw) => void this.receive(raw)));
    void service.analyze(run).then(
      (result) => this.show(result),
      (error: Error) => this.post({ type: 'empty', message: `Hotplug Lens could not analyse ${run.name}: ${error.message}` }),
    );
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.cursorTimer);
    this.disposables.forEach((d) => d.dispose());
  }

  show(result: RunResult): void {
    this.timeline = new Timeline(result.analysis.timeline);
    this.sendMeta();
  }

  /** The time of `line` of input `input` becomes the timeline's cursor. */
  moveCursor(input: number, line: number): void {
    const time = this.timeline?.timeOfLine(input, line);
    if (time === undefined) return;
    this.lastCursor = { input, line, time };
    this.post({ type: 'cursor', time, input, line });
  }

  editorMoved(editor: vscode.TextEditor): void {
    const input = this.run.uris.findIndex((u) => u.toString() === editor.document.uri.toString());
    if (input < 0 || !this.timeline) return;
    clearTimeout(this.cursorTimer);
    this.cursorTimer = setTimeout(() => this.moveCursor(input, editor.selection.active.line + 1), CURSOR_DEBOUNCE_MS);
  }

  private sendMeta(): void {
    if (!this.pageReady || !this.timeline) return;
    this.post({
      type: 'meta',
      meta: this.timeline.meta(),
      title: this.run.name,
      canReplay: true,
      run: this.run.uris.map((u) => u.toString()),
    });
    this.markReady();
  }

  private post(message: HostMessage): void {
    // An analysis or a debounced cursor can finish after the user closed the panel.
    if (this.disposed) return;
    void this.panel.webview.postMessage(message);
  }

  private async receive(raw: unknown): Promise<void> {
    const message = parseViewMessage(raw);
    if (!message) {
      this.ignored += 1;
      this.log().warn(`timeline: ignored a message that is not one the page sends: ${describe(raw)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.pageReady = true;
        this.sendMeta();
        return;
      case 'problem':
        this.problems.push(message.text);
        this.log().error(`timeline page: ${message.text}`);
        return;
      case 'reveal':
        return this.reveal(message.input, message.line, message.focus);
      case 'replayTo': {
        const uri = this.run.uris[message.input];
        if (!uri) return;
        const commands = await vscode.commands.getCommands(true);
        if (commands.includes(REPLAY_TO_LINE)) await vscode.commands.executeCommand(REPLAY_TO_LINE, { uri, line: message.line });
        else void vscode.window.showInformationMessage('Hotplug Lens: the replay is not available in this window.');
        return;
      }
      default: {
        const timeline = this.timeline;
        if (!timeline) return;
        const body = await answer(timeline, message, (ref) => this.lineText(ref));
        this.post({ type: 'reply', id: message.id, request: message.type, body });
      }
    }
  }

  /**
   * Shows the log at the line, in the editor group the log is already in (or the first). The
   * keyboard stays in the page unless the user asked to go to the line: keys meant for the
   * timeline must never land in a log.
   */
  private async reveal(input: number, line: number, focus: boolean): Promise<void> {
    const uri = this.run.uris[input];
    if (!uri) return;
    this.lastReveal = { input, line, focus };
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    const selection = new vscode.Range(line - 1, 0, line - 1, 0);
    await vscode.commands.executeCommand('vscode.open', uri, { selection, preview: false, preserveFocus: !focus, viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One });
  }

  private async lineText(ref: LineRef): Promise<string | undefined> {
    const uri = this.run.uris[ref.input];
    if (!uri) return undefined;
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (document) return ref.line <= document.lineCount ? document.lineAt(ref.line - 1).text : undefined;
    return uri.scheme === 'file' ? lineAt(uri.fsPath, ref.offset) : undefined;
  }
}

function describe(raw: unknown): string {
  try {
    return JSON.stringify(raw)?.slice(0, 200) ?? String(raw);
  } catch {
    return typeof raw;
  }
}

function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const media = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', ...p)).toString();
  const nonce = Array.from(crypto.getRandomValues(new Uint8Array(18)), (b) => b.toString(16).padStart(2, '0')).join('');
  return timelinePage({
    csp: webviewCsp(webview.cspSource, nonce),
    title,
    styles: `<link rel="stylesheet" href="${media('timeline.css')}">`,
    scripts: `<script nonce="${nonce}" src="${media('build', 'timeline.js')}"></script>`,
  });
}
