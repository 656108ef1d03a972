/**
 * The replay debug adapter as a program speaking DAP on stdin/stdout (dist/debug-adapter.js):
 * for the protocol tests and for editors other than VS Code. VS Code itself runs the same
 * session in the extension host (src/extension/replay.ts).
 */
import { DebugSession } from '@vscode/debugadapter';
import { ReplayDebugSession } from './session';

DebugSession.run(ReplayDebugSession);
