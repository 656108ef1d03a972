/**
 * A replay launch's scenario (src/debug/trace-files.ts): simulated on the simulate worker
 * (src/node/simulate-worker.ts) while this thread stays responsive, stopped by the session's
 * end wherever it is, its logs in a temporary folder that goes with the session or the failed
 * launch. The temporary folders are made in a TMPDIR of the test's own.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckedArgs } from '../../../src/debug/args';
import { LaunchError, loadSessionTrace } from '../../../src/debug/trace-files';
import { makeTempDir } from '../../helpers/tmp';

/** The repository root: this file runs as out/test/unit/scenario-replay-worker.test.js. */
const ROOT = join(__dirname, '..', '..', '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'scenarios', 'tdx-replug-no-discard.scn');
/** Reaches the replay's byte budget in about two seconds. */
const HUGE = 'guest tdx\nlog dynamic-debug=on\nrepeat 999999999999 {\n  resize 2G\n  resize 0\n}\n';
/** Writes little (2 MB/s): reaches no budget for half a minute. */
const LONG = 'guest tdx\nlog qemu-trace=off host=off\nrepeat 999999999999 {\n  resize 2G\n  resize 0\n}\n';

const launchOf = (scenario: string): CheckedArgs => ({ logs: [], scenario, policies: {}, stopOnEntry: false, stopOnFinding: [] });
/** Threads of this process: a worker is one while it lives (Linux). */
const threads = (): number => readdirSync('/proc/self/task').length;
const seconds = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;

describe('replay: a scenario simulated on a worker', function () {
  this.timeout(60_000);
  const tmp = makeTempDir();
  const tmpdir = tmp.file('tmpdir');
  const saved = process.env.TMPDIR;
  const replayDirs = (): string[] => readdirSync(tmpdir).filter((d) => d.startsWith('hotplug-replay-'));

  before(() => {
    mkdirSync(tmpdir);
    process.env.TMPDIR = tmpdir;
  });
  after(() => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    tmp.cleanup();
  });
  afterEach(() => assert.deepEqual(replayDirs(), [], 'no replay folder is left behind'));

  it('replays the logs it wrote, which stay while the session lasts and go when it ends', async () => {
    const session = new AbortController();
    const trace = await loadSessionTrace(launchOf(EXAMPLE), session.signal);
    const [dir] = replayDirs();
    assert.match(dir, /^hotplug-replay-tdx-replug-no-discard-/);
    // The empty host.log is written but not replayed.
    assert.deepEqual(
      trace.merge.inputs.map((i) => i.path),
      ['guest.log', 'qemu.log'].map((log) => join(tmpdir, dir, log)),
    );
    assert.equal(statSync(join(tmpdir, dir, 'host.log')).size, 0);
    assert.match(readFileSync(join(tmpdir, dir, 'guest.log'), 'utf8'), /tdx: Failed to accept memory \[0x108000000, 0x110000000\)/);
    assert.ok(trace.events.length > 100, `${trace.events.length} events`);
    session.abort();
    assert.equal(existsSync(join(tmpdir, dir)), false);
  });

  it('keeps this thread responsive during a huge repeat, and the session end stops the worker at once', async () => {
    const scenario = tmp.file('long.scn');
    writeFileSync(scenario, LONG);
    const session = new AbortController();
    const launch = loadSessionTrace(launchOf(scenario), session.signal).then(
      () => assert.fail('a cancelled launch gives no trace'),
      (error: unknown) => error,
    );
    // This thread's timers keep their pace while the worker simulates.
    let last = process.hrtime.bigint();
    let worstGap = 0;
    const ticks = setInterval(() => {
      worstGap = Math.max(worstGap, seconds(last));
      last = process.hrtime.bigint();
    }, 10);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    clearInterval(ticks);
    const running = threads();
    assert.equal(replayDirs().length, 1, 'its folder is there');
    // Inline, the first tick would come after the whole simulation (seconds); a loaded machine
    // may delay one by a few hundred milliseconds.
    assert.ok(worstGap < 0.5, `this thread waited ${worstGap} s at worst`);
    const stopping = process.hrtime.bigint();
    session.abort();
    const error = await launch;
    assert.ok(seconds(stopping) < 2, `stopped in ${seconds(stopping)} s`);
    assert.ok(error instanceof LaunchError);
    assert.equal(error.message, 'the simulation was cancelled');
    // The worker's thread ends right after its exit event.
    const deadline = Date.now() + 1000;
    while (threads() >= running && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(threads() < running, `the worker is gone: ${threads()} threads, ${running} while it ran`);
  });

  it('stops at the replay byte budget and says how to get further, in one line', async () => {
    const scenario = tmp.file('budget.scn');
    writeFileSync(scenario, HUGE);
    const error = await loadSessionTrace(launchOf(scenario), new AbortController().signal).then(
      () => assert.fail('no trace past the budget'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof LaunchError);
    assert.equal(
      error.message,
      `${scenario}:4: more than 67108864 bytes of logs, the byte budget; a replay cannot raise it: write the logs with hotplug-lens simulate --max-bytes SIZE and replay them`,
    );
  });

  for (const [what, text, message] of [
    ['a scenario error', 'guest tdx\nresize 3M\n', (file: string) => `${file}:2: resize: 3M is not a multiple of the block size (0x200000)`],
    ['repeats nested 5000 deep', `${'repeat 2 {\n'.repeat(5000)}${'}\n'.repeat(5000)}`, (file: string) => `${file}:101: repeat: nested more than 100 deep, the nesting limit`],
  ] as const) {
    it(`fails the launch on ${what}, in one line, and leaves no folder`, async () => {
      const scenario = tmp.file(`${what.replace(/ /g, '-')}.scn`);
      writeFileSync(scenario, text);
      const error = await loadSessionTrace(launchOf(scenario), new AbortController().signal).then(
        () => assert.fail('the launch fails'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof LaunchError, String(error));
      assert.equal(error.message, message(scenario));
    });
  }

  it('fails the launch on a missing file, and does nothing once the session has ended', async () => {
    const missing = tmp.file('missing.scn');
    const error = await loadSessionTrace(launchOf(missing), new AbortController().signal).catch((e: unknown) => e);
    assert.ok(error instanceof LaunchError);
    assert.equal(error.message, `${missing}: no such file`);
    const ended = new AbortController();
    ended.abort();
    const cancelled = await loadSessionTrace(launchOf(EXAMPLE), ended.signal).catch((e: unknown) => e);
    assert.ok(cancelled instanceof LaunchError);
    assert.equal(cancelled.message, 'the simulation was cancelled');
  });
});
