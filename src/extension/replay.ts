/**
 * The replay in VS Code: the `hotplug-replay` debugger runs the DAP session in the extension
 * host (DebugAdapterInlineImplementation), launch configurations are offered and filled in for
 * the active log, "Replay This Log" starts a session without a launch.json, "What If…" forces
 * a policy from a quick pick, and the timeline can follow a session and move it:
 *
 *   registerReplay(context, service).onDidMove(({ path, line, input, position }) => …)
 *     fires whenever a replay session stops (the log line it stands on);
 *   vscode.commands.executeCommand('hotplugLens.replayToLine', { uri, line })
 *     moves the running session of that log to the line, or starts one stopped there.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { POLICY_DOCS } from '../core/model/policy';
import { REPLAY_TO_LINE_REQUEST, STOPPED_EVENT, WHAT_IF_EVENT, WHAT_IF_REQUEST } from '../debug/messages';
import type * as SessionModule from '../debug/session';
import type { AnalysisService } from './analysis-service';
import { activeLog } from './navigation';

export const REPLAY_TYPE = 'hotplug-replay';

/** Where a replay session stopped. */
export interface ReplayPosition {
  session: vscode.DebugSession;
  /** The log file and 1-based line of the event just applied (the first event at the start). */
  path: string;
  line: number;
  /** Index of that log among the session's inputs. */
  input: number;
  /** Events applied so far. */
  position: number;
}

export interface ReplayHooks {
  readonly onDidMove: vscode.Event<ReplayPosition>;
}

/** A launch configuration for the logs of a run. */
function configFor(name: string, logs: string[], extra: Partial<vscode.DebugConfiguration> = {}): vscode.DebugConfiguration {
  return { type: REPLAY_TYPE, request: 'launch', name: `Replay ${name}`, logs, stopOnEntry: true, ...extra };
}

/** The logs of the active log's run, as file paths; undefined when there is no log on disk to replay. */
async function activeRun(service: AnalysisService, uri?: vscode.Uri): Promise<{ name: string; logs: string[] } | undefined> {
  const log = uri ?? activeLog()?.uri;
  if (!log) return undefined;
  const run = await service.runFor(log);
  const files = run.uris.filter((u) => u.scheme === 'file');
  if (files.length === 0) return undefined;
  return { name: run.name, logs: files.map((u) => u.fsPath) };
}

/** The logs a session replays, as absolute paths. */
function sessionLogs(session: vscode.DebugSession): string[] {
  const c = session.configuration;
  const cwd = typeof c.cwd === 'string' ? c.cwd : '';
  return Array.isArray(c.logs) ? c.logs.map((l: string) => path.resolve(cwd, l)) : [];
}

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly service: AnalysisService) {}

  async provideDebugConfigurations(): Promise<vscode.DebugConfiguration[]> {
    const run = await activeRun(this.service);
    // Paths inside the workspace are written relative to it, so that launch.json travels.
    const portable = (file: string): string => {
      const relative = vscode.workspace.asRelativePath(file, false);
      return relative === file ? file : `\${workspaceFolder}/${relative}`;
    };
    const logs = run ? run.logs.map(portable) : ['${workspaceFolder}/guest.log', '${workspaceFolder}/qemu.log'];
    return [configFor(run?.name ?? 'the guest and QEMU logs', logs, { stopOnFinding: ['error'] })];
  }

  /** F5 without a launch.json, or a configuration without logs: the active log's run. */
  async resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    const empty = !config.type && !config.request && !config.name;
    const resolved = empty ? configFor('', []) : { ...config };
    const hasLogs = Array.isArray(resolved.logs) && resolved.logs.length > 0;
    if (!hasLogs && !resolved.scenario) {
      const run = await activeRun(this.service);
      if (!run) {
        void vscode.window.showInformationMessage('Hotplug Lens: open a guest, QEMU or host log on disk to replay it.');
        return undefined;
      }
      resolved.logs = run.logs;
      if (empty || !resolved.name) resolved.name = `Replay ${run.name}`;
    }
    resolved.cwd ??= folder?.uri.fsPath;
    return resolved;
  }
}

/**
 * The session and the whole engine it replays with are a bundle of their own (dist/replay-session.js),
 * loaded at the first replay: activating the extension does not pay for them.
 */
function sessionClass(context: vscode.ExtensionContext): typeof SessionModule.ReplayDebugSession {
  const loaded = require(path.join(context.extensionPath, 'dist', 'replay-session.js')) as typeof SessionModule;
  return loaded.ReplayDebugSession;
}

export function registerReplay(context: vscode.ExtensionContext, service: AnalysisService): ReplayHooks {
  const moved = new vscode.EventEmitter<ReplayPosition>();
  // Sessions of this type that are running, for replayToLine when another session is the active one.
  const openSessions = new Set<vscode.DebugSession>();
  context.subscriptions.push(
    moved,
    vscode.debug.onDidStartDebugSession((s) => s.type === REPLAY_TYPE && openSessions.add(s)),
    vscode.debug.onDidTerminateDebugSession((s) => openSessions.delete(s)),
    vscode.debug.registerDebugAdapterDescriptorFactory(REPLAY_TYPE, {
      createDebugAdapterDescriptor: () => new vscode.DebugAdapterInlineImplementation(new (sessionClass(context))()),
    }),
    vscode.debug.registerDebugConfigurationProvider(REPLAY_TYPE, new ConfigurationProvider(service)),
    vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.session.type !== REPLAY_TYPE) return;
      if (e.event === STOPPED_EVENT) moved.fire({ session: e.session, ...(e.body as Omit<ReplayPosition, 'session'>) });
      else if (e.event === WHAT_IF_EVENT) void vscode.window.showInformationMessage(`Hotplug Lens: what if ${e.body.policy}: ${e.body.summary}.`);
    }),
    vscode.commands.registerCommand('hotplugLens.replayLog', async (uri?: vscode.Uri) => {
      const run = await activeRun(service, uri instanceof vscode.Uri ? uri : undefined);
      if (!run) return void vscode.window.showWarningMessage('Hotplug Lens: open a guest, QEMU or host log on disk to replay it.');
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(run.logs[0]));
      // Continue then runs to the next error finding, as a launch.json made by the provider does.
      return vscode.debug.startDebugging(folder, configFor(run.name, run.logs, { cwd: folder?.uri.fsPath, stopOnFinding: ['error'] }));
    }),
    // The quick-pick way to the what-if that Set Value on a policy in Variables also offers.
    vscode.commands.registerCommand('hotplugLens.replayWhatIf', async () => {
      const session = [vscode.debug.activeDebugSession, ...openSessions].find((s) => s?.type === REPLAY_TYPE);
      if (!session) return void vscode.window.showInformationMessage('Hotplug Lens: start a replay first (Replay This Log).');
      const pick = await vscode.window.showQuickPick(
        POLICY_DOCS.flatMap((doc) => doc.values.map((value) => ({ label: `${doc.name} = ${value}`, detail: doc.meaning, name: doc.name, value }))),
        { title: 'Replay to here with a policy forced', matchOnDetail: true },
      );
      if (!pick) return undefined;
      return session.customRequest(WHAT_IF_REQUEST, { name: pick.name, value: pick.value });
    }),
    vscode.commands.registerCommand('hotplugLens.replayToLine', async (arg?: { uri: vscode.Uri; line: number }) => {
      if (!arg || !(arg.uri instanceof vscode.Uri) || !Number.isInteger(arg.line) || arg.line < 1) return false;
      const file = arg.uri.fsPath;
      const session = [vscode.debug.activeDebugSession, ...openSessions].find((s) => s?.type === REPLAY_TYPE && sessionLogs(s).includes(file));
      if (session) {
        await session.customRequest(REPLAY_TO_LINE_REQUEST, { path: file, line: arg.line });
        return true;
      }
      const run = await activeRun(service, arg.uri);
      if (!run) return false;
      const folder = vscode.workspace.getWorkspaceFolder(arg.uri);
      return vscode.debug.startDebugging(folder, configFor(run.name, run.logs, { cwd: folder?.uri.fsPath, startAt: { path: file, line: arg.line } }));
    }),
  );
  return { onDidMove: moved.event };
}
