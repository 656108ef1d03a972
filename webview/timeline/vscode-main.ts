/** The timeline inside a VS Code webview: the extension host answers. */
import type { HostMessage, ViewMessage } from '../../src/protocol/timeline';
import { TimelineApp } from './app';
import './elements';
import { reportProblems } from './problems';

interface VsCodeApi {
  postMessage(message: ViewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
reportProblems((text) => vscode.postMessage({ type: 'problem', text }));
const app = new TimelineApp({
  post: (m) => vscode.postMessage(m),
  listen: (handler) => window.addEventListener('message', (e: MessageEvent<HostMessage>) => handler(e.data)),
  loadState: () => vscode.getState(),
  saveState: (s) => vscode.setState(s),
});
(window as unknown as { timelineApp: TimelineApp }).timelineApp = app;
