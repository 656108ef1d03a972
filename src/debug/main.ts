/**
 * The replay debug adapter as a program speaking DAP on stdin/stdout (dist/debug-adapter.js):
 * for the protocol tests and for editors other than VS Code. VS Code itself runs the same
 * session in the extension host (src/extension/replay.ts).
 */
import { Transform } from 'node:stream';
import { OutputEvent } from '@vscode/debugadapter';
import { frame, FrameReader } from './frames';
import { ReplayDebugSession } from './session';

const session = new ReplayDebugSession();
const reader = new FrameReader();
// ProtocolServer reads the frames itself, and one it cannot parse (a body that is not JSON)
// ends the process: its 'error' event shuts the session down. A wrong Content-Length also
// puts it out of step with every frame after. So stdin goes through FrameReader first, which
// skips a bad frame with a message in the Debug Console and passes on only well-formed ones.
const wellFormed = new Transform({
  transform(chunk: Buffer, _encoding, done) {
    for (const item of reader.push(chunk)) {
      if ('message' in item) this.push(frame(item.message));
      else session.sendEvent(new OutputEvent(`Hotplug Lens replay: ${item.problem}\n`, 'stderr'));
    }
    done();
  },
});
process.stdin.pipe(wellFormed);
// What DebugSession.run does besides: a SIGTERM ends the session as a closed stdin does.
process.on('SIGTERM', () => session.shutdown());
session.start(wellFormed, process.stdout);
