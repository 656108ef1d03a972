/**
 * A replay launched on a scenario, over the real protocol (dist/debug-adapter.js as a process,
 * with a TMPDIR of the test's own): the session's end stops a simulation that runs for ever and
 * removes the logs the simulator wrote, whether the launch was still simulating or replaying.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ensureBuilt, ROOT } from '../helpers/cli';
import { makeTempDir } from '../helpers/tmp';

const ADAPTER = join(ROOT, 'dist', 'debug-adapter.js');

describe('replay debug adapter: a scenario launch ends with its session', function () {
  this.timeout(60_000);
  const tmp = makeTempDir();
  const tmpdir = tmp.file('tmpdir');
  const replayDirs = (): string[] => readdirSync(tmpdir).filter((d) => d.startsWith('hotplug-replay-'));
  let dc: DebugClient;

  before(() => {
    ensureBuilt();
    mkdirSync(tmpdir);
  });
  after(() => tmp.cleanup());
  beforeEach(async () => {
    dc = new DebugClient(process.execPath, ADAPTER, 'hotplug-replay', { env: { ...process.env, TMPDIR: tmpdir } });
    await dc.start();
  });
  afterEach(async () => {
    await dc.stop();
    assert.deepEqual(replayDirs(), [], 'no replay folder is left behind');
  });

  it('terminate stops a huge repeat still being simulated: the launch is answered and the session ends', async () => {
    const scenario = tmp.file('huge.scn');
    writeFileSync(scenario, 'guest tdx\nlog host=off qemu-trace=off\nrepeat 999999999999 {\n  resize 2G\n  resize 0\n}\n');
    const said = new Promise<string>((resolve) => dc.on('output', (e: DebugProtocol.OutputEvent) => e.body.category === 'stderr' && resolve(e.body.output)));
    // A refused launch is an error response carrying the sentence.
    const launched = dc.launch({ scenario }).then(
      () => assert.fail('the launch is refused'),
      (error: Error) => error.message,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(replayDirs().length, 1, 'the simulation is writing');
    const start = Date.now();
    // The session ends at once; the launch is answered, and refused, once the worker is gone.
    const [, , refusal, message] = await Promise.all([dc.waitForEvent('terminated', 5000), dc.terminateRequest(), launched, said]);
    assert.ok(Date.now() - start < 3000, `${Date.now() - start} ms`);
    assert.deepEqual(replayDirs(), []);
    assert.equal(refusal, 'the simulation was cancelled');
    assert.equal(message, 'Hotplug Lens replay: the simulation was cancelled\n');
  });

  it('disconnect removes the logs of a scenario being replayed', async () => {
    const initialized = dc.waitForEvent('initialized');
    await dc.launch({ scenario: join(ROOT, 'examples', 'scenarios', 'tdx-replug-no-discard.scn'), stopOnEntry: true });
    await initialized;
    await Promise.all([dc.waitForEvent('stopped'), dc.configurationDoneRequest()]);
    assert.equal(replayDirs().length, 1, 'the logs are there while the session lasts');
    await dc.disconnectRequest();
    assert.deepEqual(replayDirs(), []);
  });

  it('a budget that runs out fails the launch in one line and leaves nothing', async () => {
    const scenario = tmp.file('loop.scn');
    writeFileSync(scenario, 'repeat 999999999999 { }\n');
    const errors: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => e.body.category === 'stderr' && errors.push(e.body.output));
    const sentence = `${scenario}:1: more than 10000000 steps, the step budget; a replay cannot raise it: write the logs with hotplug-lens simulate --max-steps N and replay them`;
    const [, refusal] = await Promise.all([
      dc.waitForEvent('terminated', 20_000),
      dc.launch({ scenario }).then(
        () => assert.fail('the launch is refused'),
        (error: Error) => error.message,
      ),
    ]);
    assert.equal(refusal, sentence);
    assert.deepEqual(errors, [`Hotplug Lens replay: ${sentence}\n`]);
  });
});
