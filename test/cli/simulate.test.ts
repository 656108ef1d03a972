/** `hotplug-lens simulate`, run as the built CLI process, and its logs read back by `hotplug-lens events`. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ensureBuilt, ROOT, runCli } from '../helpers/cli';
import { makeTempDir } from '../helpers/tmp';

const EXAMPLE = join(ROOT, 'examples', 'scenarios', 'tdx-replug-no-discard.scn');

interface EventsJson {
  events: Array<{ kind: string; path: string; start?: string }>;
  inputs: Array<{ path: string; lines: number; recognized: number; unparsed: number }>;
}

describe('cli: hotplug-lens simulate', function () {
  this.timeout(120_000);
  const tmp = makeTempDir();

  before(() => ensureBuilt());
  after(() => tmp.cleanup());

  it('writes the three logs and one summary line; events reads them back with nothing unparsed', () => {
    const out = tmp.file('seed');
    const r = runCli(['simulate', EXAMPLE, '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout.trimEnd().split('\n').length, 1, 'one summary line');
    assert.match(r.stdout, /^simulate: wrote .*guest\.log \(\d+ lines\), .*qemu\.log \(\d+ lines\), .*host\.log \(0 lines\)\n$/);
    assert.deepEqual(readdirSync(out).sort(), ['guest.log', 'host.log', 'qemu.log']);
    assert.equal(statSync(join(out, 'host.log')).size, 0, 'written, empty');

    const events = runCli(['events', join(out, 'guest.log'), join(out, 'qemu.log'), '--format', 'json']);
    assert.equal(events.status, 0, events.stderr);
    const doc = JSON.parse(events.stdout) as EventsJson;
    for (const input of doc.inputs) {
      assert.equal(input.unparsed, 0, `${input.path}: nothing unparsed`);
      assert.equal(input.recognized, input.lines, `${input.path}: every line recognized`);
    }
    const failed = doc.events.filter((e) => e.kind === 'tdx.acceptFailed');
    assert.equal(failed.length, 8);
    assert.equal(failed[0].start, '0x108000000');
  });

  it('reads the scenario from standard input and names it <stdin> in errors', () => {
    const out = tmp.file('stdin');
    const ok = runCli(['simulate', '-', '--out', out], { input: 'guest plain\nresize 256M\n' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(readFileSync(join(out, 'qemu.log'), 'utf8'), /virtio_mem_plug_request addr=0x108000000 nb_blocks=64/);
    const bad = runCli(['simulate', '-', '--out', tmp.file('stdin-bad')], { input: 'resize 256M\nresize 3M\n' });
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr, '<stdin>:2: resize: 3M is not a multiple of the block size (0x200000)\n');
  });

  it('reports a scenario error as FILE:LINE: message, exit status 2, writing nothing', () => {
    const scenario = tmp.file('broken.scn');
    writeFileSync(scenario, 'guest tdx\n\nrepeat 2 {\n  resize 1G\n  resise 0\n}\n');
    const out = tmp.file('broken-out');
    const r = runCli(['simulate', scenario, '--out', out]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `${scenario}:5: unknown statement 'resise'\n`);
    assert.equal(existsSync(out), false);
  });

  for (const [args, pattern] of [
    [['simulate', EXAMPLE], /^hotplug-lens: simulate needs --out DIR \(see 'hotplug-lens --help'\)$/],
    [['simulate', '--out', '/tmp/x'], /^hotplug-lens: simulate needs one SCENARIO file/],
    [['simulate', 'no-such.scn', '--out', '/tmp/x'], /^hotplug-lens: no-such\.scn: no such file$/],
    [['simulate', EXAMPLE, '--out', EXAMPLE], /^hotplug-lens: .*tdx-replug-no-discard\.scn: .*EEXIST|ENOTDIR/],
  ] as Array<[string[], RegExp]>) {
    it(`fails in one line with exit status 2: ${args.slice(1).join(' ')}`, () => {
      const r = runCli(args);
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.match(r.stderr.trimEnd(), pattern);
    });
  }

  it('is listed in --help, with its budgets', () => {
    const r = runCli(['--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /simulate SCENARIO --out DIR/);
    assert.match(r.stdout, /--max-steps N +statements, repeat rounds and driver passes it\n +may run \(default: 10000000\)/);
    assert.match(r.stdout, /--max-bytes SIZE +logs it may write, like 4G \(default: 256M\)/);
  });

  /** Runs `text` as a scenario file; its path, the result and how long it took. */
  function simulateText(name: string, text: string, options: string[] = []): { scenario: string; out: string; r: ReturnType<typeof runCli>; seconds: number } {
    const scenario = tmp.file(`${name}.scn`);
    writeFileSync(scenario, text);
    const out = tmp.file(name);
    const start = process.hrtime.bigint();
    const r = runCli(['simulate', scenario, '--out', out, ...options]);
    return { scenario, out, r, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
  }

  it('refuses repeats nested 5000 deep at the 101st, in one line, exit status 2, writing nothing', () => {
    const { scenario, out, r } = simulateText('deep', `${'repeat 2 {\n'.repeat(5000)}resize 2G\n${'}\n'.repeat(5000)}`);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `${scenario}:101: repeat: nested more than 100 deep, the nesting limit\n`);
    assert.equal(existsSync(out), false);
  });

  it('stops a huge repeat at the byte budget, quickly, in one line; the logs stay within it', () => {
    const { scenario, out, r, seconds } = simulateText('huge', 'guest tdx\nrepeat 999999999999 { resize 2G; resize 0 }\n', ['--max-bytes', '8M']);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `${scenario}:2: more than 8388608 bytes of logs, the byte budget; raise it with --max-bytes SIZE\n`);
    assert.ok(seconds < 15, `${seconds} s`);
    const bytes = ['guest.log', 'qemu.log', 'host.log'].reduce((sum, log) => sum + statSync(join(out, log)).size, 0);
    // Every line up to the one that would have passed the budget.
    assert.ok(bytes <= 8 * 2 ** 20 && bytes > 8 * 2 ** 20 - 200, `${bytes} bytes written`);
  });

  it('stops a loop that writes nothing at the default step budget, in one line', () => {
    const { scenario, out, r, seconds } = simulateText('empty-loop', 'resize 2G\nrepeat 999999999999 {\n}\n');
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `${scenario}:2: more than 10000000 steps, the step budget; raise it with --max-steps N\n`);
    assert.ok(seconds < 30, `${seconds} s`);
    assert.match(readFileSync(join(out, 'qemu.log'), 'utf8'), /virtio_mem_plug_request/, 'what came before the loop is written');
  });

  it('writes an example unchanged within budgets just above what it needs (10 steps, 19 KB)', () => {
    const tight = tmp.file('tight');
    const r = runCli(['simulate', EXAMPLE, '--out', tight, '--max-steps', '10', '--max-bytes', '64K']);
    assert.equal(r.status, 0, r.stderr);
    const usual = tmp.file('usual');
    assert.equal(runCli(['simulate', EXAMPLE, '--out', usual]).status, 0);
    for (const log of ['guest.log', 'qemu.log', 'host.log']) assert.ok(readFileSync(join(tight, log)).equals(readFileSync(join(usual, log))), log);
    const short = runCli(['simulate', EXAMPLE, '--out', tmp.file('short'), '--max-steps', '9']);
    assert.equal(short.status, 2);
    assert.match(short.stderr, /^.*tdx-replug-no-discard\.scn:\d+: more than 9 steps, the step budget; raise it with --max-steps N\n$/);
  });

  for (const [option, value, message] of [
    ['--max-bytes', '1K', '--max-bytes needs a size of at least 64K (like 4G)'],
    ['--max-bytes', 'lots', '--max-bytes needs a size of at least 64K (like 4G)'],
    ['--max-steps', '0', '--max-steps needs a positive integer'],
    ['--max-steps', '1e6', '--max-steps needs a positive integer'],
  ]) {
    it(`refuses ${option} ${value} in one line, exit status 2`, () => {
      const r = runCli(['simulate', EXAMPLE, '--out', tmp.file('refused'), option, value]);
      assert.equal(r.status, 2);
      assert.equal(r.stderr, `hotplug-lens: ${message} (see 'hotplug-lens --help')\n`);
    });
  }

  it('gives the same files for the same scenario', () => {
    const [a, b] = ['same-a', 'same-b'].map((name) => {
      const out = tmp.file(name);
      assert.equal(runCli(['simulate', EXAMPLE, '--out', out]).status, 0);
      return out;
    });
    for (const log of ['guest.log', 'qemu.log', 'host.log']) assert.ok(readFileSync(join(a, log)).equals(readFileSync(join(b, log))), log);
  });

  it('streams a 100 MB output with back-pressure in a 40 MB heap', () => {
    const scenario = tmp.file('big.scn');
    writeFileSync(scenario, 'repeat 15000 { resize 2G; resize 0 }\n');
    const out = tmp.file('big');
    const r = spawnSync(process.execPath, ['--max-old-space-size=40', CLI, 'simulate', scenario, '--out', out], { encoding: 'utf8', timeout: 110_000 });
    assert.equal(r.status, 0, r.stderr);
    const bytes = ['guest.log', 'qemu.log', 'host.log'].reduce((sum, log) => sum + statSync(join(out, log)).size, 0);
    assert.ok(bytes > 100_000_000, `${bytes} bytes`);
    assert.match(r.stdout, /qemu\.log \(1215000 lines\)/);
  });
});
