/**
 * The command line's own edges (issue 12), run as the built CLI process on real files: a reader
 * that stops reading, Ctrl+C during --out, unreadable standard input, numeric options, control
 * characters in logs, a file given twice, unparsed lines beyond the default list, internal errors.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  lstatSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { CLI, type CliExit, ensureBuilt, ROOT, runCli, startCli } from '../helpers/cli';
import { makeTempDir } from '../helpers/tmp';

const EXAMPLE_GUEST = join(ROOT, 'examples/tdx-replug-failure/guest.log');
const EXAMPLE_QEMU = join(ROOT, 'examples/tdx-replug-failure/qemu.log');
const OLD = 'the report of an earlier run\n';
const ESC = '\x1b';
const BEL = '\x07';
/** A terminal title change (OSC 0 … BEL) and a colour (CSI 31 m), as a hostile log might carry them. */
const HOSTILE = `${ESC}]0;title${BEL}${ESC}[31m`;
const HOSTILE_SHOWN = '\\x1b]0;title\\x07\\x1b[31m';

/** Starts the CLI with nobody reading its standard output (`| head` after head has gone). */
function withReaderGone(args: string[]): Promise<CliExit> {
  const { child, exit } = startCli(args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.destroy();
  return exit;
}

/** Polls `find` until it returns something, failing if the process ends first. */
async function waitFor<T>(find: () => T | undefined, exit: Promise<CliExit>): Promise<T> {
  let ended = false;
  void exit.then(() => (ended = true));
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (ended) throw new Error('the run ended before it was seen');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Exit status 2 and exactly `line` on stderr, nothing on stdout. */
function assertFails(r: { status: number | null; stdout: string; stderr: string }, line: string): void {
  assert.equal(r.stderr, `${line}\n`);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
}

describe('cli: the edges of the command line', function () {
  this.timeout(120_000);
  const tmp = makeTempDir();
  /** The example guest log 1000 times over: about a second of work, long enough to interrupt. */
  let big: string;

  before(() => {
    ensureBuilt();
    big = tmp.file('big.log');
    writeFileSync(big, readFileSync(EXAMPLE_GUEST, 'utf8').repeat(1000));
  });
  after(() => tmp.cleanup());

  describe('a reader that stops reading (| head) ends the command quietly, with its usual exit status', () => {
    const cases: Array<[string, string[], number]> = [
      ['check', ['check', EXAMPLE_GUEST, EXAMPLE_QEMU], 1],
      ['check --format sarif', ['check', '--format', 'sarif', EXAMPLE_GUEST], 1],
      ['report', ['report', EXAMPLE_GUEST, EXAMPLE_QEMU], 0],
      ['events', ['events', EXAMPLE_GUEST, EXAMPLE_QEMU], 0],
      ['explain --markdown', ['explain', '--markdown'], 0],
      ['model --markdown', ['model', '--markdown'], 0],
      ['--help', ['--help'], 0],
    ];
    for (const [name, args, status] of cases) {
      it(name, async () => {
        const r = await withReaderGone(args);
        assert.equal(r.stderr, '', 'nothing on stderr');
        assert.equal(r.signal, null);
        assert.equal(r.status, status);
        // The same status as when the output is read to its end.
        assert.equal(runCli(args).status, status);
      });
    }

    it('events stops reading a big log once nobody reads its output', async () => {
      const r = await withReaderGone(['events', big]);
      assert.equal(r.stderr, '');
      assert.equal(r.status, 0);
    });

    it('through a real pipe into head', () => {
      const r = spawnSync('bash', ['-c', '"$0" "$1" check --format sarif "$2" | head -c 1 >/dev/null; echo "status ${PIPESTATUS[0]}"', process.execPath, CLI, big], {
        encoding: 'utf8',
      });
      assert.equal(r.stderr, '');
      assert.equal(r.stdout, 'status 1\n');
    });

    it('a standard output that fails otherwise (a full disk) is said in one line, with exit status 2', function () {
      if (!existsSync('/dev/full')) this.skip();
      const full = openSync('/dev/full', 'w');
      try {
        const r = runCli(['check', EXAMPLE_GUEST], { stdio: ['ignore', full, 'pipe'] });
        assert.equal(r.stderr, 'hotplug-lens: standard output: cannot write (ENOSPC)\n');
        assert.equal(r.status, 2);
      } finally {
        closeSync(full);
      }
    });
  });

  describe('--out is replaced only by a complete report', () => {
    /** Files in the folder of the report: the report, its input, and nothing left over. */
    const folder = (name: string) => {
      const dir = tmp.file(name);
      mkdirSync(dir);
      return { dir, file: (f: string) => join(dir, f) };
    };
    const tempOf = (dir: string, name: string) => () => readdirSync(dir).find((f) => f.startsWith(`.${name}.`) && f.endsWith('.tmp'));

    for (const [command, name] of [
      ['check --format sarif', 'existing.sarif'],
      ['report', 'existing.html'],
    ]) {
      it(`Ctrl+C during ${command} --out leaves the existing report intact and no temporary file`, async () => {
        const f = folder(`interrupted-${name}`);
        writeFileSync(f.file(name), OLD);
        const args = [...command.split(' '), big, '--out', f.file(name)];
        const { child, exit } = startCli(args, { stdio: ['ignore', 'pipe', 'pipe'] });
        const temp = await waitFor(tempOf(f.dir, name), exit);
        assert.match(temp, new RegExp(`^\\.${name.replace('.', '\\.')}\\.\\d+-[0-9a-f]{8}\\.tmp$`), 'beside the report, named after it');
        child.kill('SIGINT');
        const r = await exit;
        assert.equal(r.signal, 'SIGINT', `ended by the signal, not done (status ${r.status}, ${r.stderr})`);
        assert.equal(r.stderr, '');
        assert.equal(readFileSync(f.file(name), 'utf8'), OLD);
        assert.deepEqual(readdirSync(f.dir), [name]);
      });
    }

    it('a run replaces the report by renaming a complete file over it, keeping its permissions', () => {
      const f = folder('replaced');
      const out = f.file('existing.sarif');
      writeFileSync(out, OLD);
      chmodSync(out, 0o640);
      const before = statSync(out);
      const r = runCli(['check', '--format', 'sarif', EXAMPLE_GUEST, '--out', out]);
      assert.equal(r.status, 1);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, '');
      const after = statSync(out);
      assert.notEqual(after.ino, before.ino, 'a new file, renamed into place');
      assert.equal(after.mode & 0o777, 0o640);
      assert.equal(readFileSync(out, 'utf8'), runCli(['check', '--format', 'sarif', EXAMPLE_GUEST]).stdout);
      assert.deepEqual(readdirSync(f.dir), ['existing.sarif']);
    });

    it('a report behind a symbolic link: the link stays, the file it points to is replaced', () => {
      const f = folder('linked');
      writeFileSync(f.file('real.txt'), OLD);
      symlinkSync('real.txt', f.file('link.txt'));
      const r = runCli(['check', EXAMPLE_GUEST, '--out', f.file('link.txt')]);
      assert.equal(r.status, 1);
      assert.ok(lstatSync(f.file('link.txt')).isSymbolicLink());
      assert.match(readFileSync(f.file('real.txt'), 'utf8'), /^.*guest\.log {2}8 errors, 0 warnings — 1 root cause$/m);
      assert.deepEqual(readdirSync(f.dir).sort(), ['link.txt', 'real.txt']);
    });

    it('an unwritable --out is said in one line (a missing FILE first)', () => {
      const missing = tmp.file('missing-dir/x.sarif');
      assertFails(runCli(['check', '--format', 'sarif', tmp.file('no-such.log'), '--out', missing]), `hotplug-lens: ${tmp.file('no-such.log')}: no such file`);
      assertFails(runCli(['check', '--format', 'sarif', EXAMPLE_GUEST, '--out', missing]), `hotplug-lens: ${missing}: cannot write the report (ENOENT)`);
      assertFails(runCli(['report', EXAMPLE_GUEST, '--out', tmp.dir]), `hotplug-lens: ${tmp.dir}: cannot write the report (EISDIR)`);
    });
  });

  describe('an internal error is one line with exit status 2 (the stack only with HOTPLUG_LENS_DEBUG=1)', () => {
    /** The CLI without the files it ships with: the report page cannot be found. */
    let broken: string;
    before(() => {
      mkdirSync(tmp.file('broken/dist'), { recursive: true });
      broken = tmp.file('broken/dist/cli.js');
      copyFileSync(CLI, broken);
    });
    const missingPage = () => `ENOENT: no such file or directory, open '${tmp.file('broken/media/build/report.js')}'`;

    it('and leaves an existing --out as it was', () => {
      const dir = tmp.file('broken-out');
      mkdirSync(dir);
      writeFileSync(join(dir, 'report.html'), OLD);
      const r = runCli(['report', EXAMPLE_GUEST, '--out', join(dir, 'report.html')], { cli: broken });
      assertFails(r, `hotplug-lens: internal error: ${missingPage()}`);
      assert.equal(readFileSync(join(dir, 'report.html'), 'utf8'), OLD);
      assert.deepEqual(readdirSync(dir), ['report.html']);
    });

    it('HOTPLUG_LENS_DEBUG=1 adds the stack', () => {
      const r = runCli(['report', EXAMPLE_GUEST], { cli: broken, env: { ...process.env, HOTPLUG_LENS_DEBUG: '1' } });
      assert.equal(r.status, 2);
      const [first, ...rest] = r.stderr.trimEnd().split('\n');
      assert.equal(first, `hotplug-lens: internal error: ${missingPage()}`);
      assert.equal(rest[0], `Error: ${missingPage()}`);
    });
  });

  describe('standard input that cannot be read is said in one line, with exit status 2', () => {
    const withStdin = (fd: number, args: string[]) => {
      try {
        return runCli(args, { stdio: [fd, 'pipe', 'pipe'] });
      } finally {
        closeSync(fd);
      }
    };
    for (const args of [['check', '-'], ['events', '-'], ['report', '-'], ['simulate', '-', '--out', 'never-written']]) {
      it(`${args.join(' ')} with standard input open for writing only (0>file)`, () => {
        const r = withStdin(openSync(tmp.file('write-only'), 'w'), args);
        assertFails(r, 'hotplug-lens: -: standard input is closed or not open for reading');
      });
    }

    it('check - with a directory as standard input', () => {
      assertFails(withStdin(openSync(tmp.dir, 'r'), ['check', '-']), 'hotplug-lens: -: standard input is a directory');
    });

    it('a closed standard input (<&-) reads as empty: Node puts /dev/null in its place', () => {
      const r = spawnSync('bash', ['-c', '"$0" "$1" check - <&-', process.execPath, CLI], { encoding: 'utf8' });
      assert.equal(r.stderr, '');
      assert.equal(r.stdout, '-  0 errors, 0 warnings — 0 root causes\n');
      assert.equal(r.status, 0);
    });
  });

  describe('numeric options are checked, in one line that names the option, the value and the range', () => {
    const lineBytes = (value: string) => `hotplug-lens: --max-line-bytes takes a whole number from 1 to 268435456, not '${value}' (see 'hotplug-lens --help')`;
    const cases: Array<[string[], string]> = [
      [['events', '--max-line-bytes', '-5', EXAMPLE_GUEST], lineBytes('-5')],
      [['check', '--max-line-bytes', '-5', EXAMPLE_GUEST], lineBytes('-5')],
      [['check', '--max-line-bytes=-5', EXAMPLE_GUEST], lineBytes('-5')],
      [['check', '--max-line-bytes', '0', EXAMPLE_GUEST], lineBytes('0')],
      [['events', '--max-line-bytes', '1.5', EXAMPLE_GUEST], lineBytes('1.5')],
      [['events', '--max-line-bytes', '0x10', EXAMPLE_GUEST], lineBytes('0x10')],
      [['events', '--max-line-bytes', 'many', EXAMPLE_GUEST], lineBytes('many')],
      [['events', '--max-line-bytes=', EXAMPLE_GUEST], lineBytes('')],
      [['events', '--max-line-bytes', '268435457', EXAMPLE_GUEST], lineBytes('268435457')],
      [
        ['events', '--max-unparsed', '-1', EXAMPLE_GUEST],
        "hotplug-lens: --max-unparsed takes a whole number from 0 to 10000000, not '-1' (see 'hotplug-lens --help')",
      ],
      // Not a number, not a value: parseArgs' three-line question, said in one line.
      [
        ['check', '--format', '--out', 'x', EXAMPLE_GUEST],
        "hotplug-lens: Option '--format' argument is ambiguous. Did you forget to specify the option argument for '--format'? To specify an option argument starting with a dash use '--format=-XYZ'. (see 'hotplug-lens --help')",
      ],
    ];
    for (const [args, line] of cases) it(args.slice(0, -1).join(' '), () => assertFails(runCli(args), line));

    it('the ends of the ranges are accepted', () => {
      assert.equal(runCli(['events', '--max-line-bytes', '268435456', EXAMPLE_GUEST]).status, 0);
      assert.equal(runCli(['check', '--max-line-bytes', '1', EXAMPLE_GUEST]).status, 0);
      assert.equal(runCli(['events', '--show-unparsed', '--max-unparsed', '0', EXAMPLE_GUEST]).status, 0);
    });
  });

  describe('control characters from the logs reach no terminal', () => {
    let guest: string;
    let qemu: string;
    before(() => {
      // A path with a colour in it, and line 20 (the evidence quoted) from a host named with escapes.
      guest = tmp.file(`guest${ESC}[31m.log`);
      const lines = readFileSync(EXAMPLE_GUEST, 'utf8').split('\n');
      lines[19] = `Mar 24 15:21:47 h${HOSTILE} kernel: ${lines[19]}`;
      // (A CR alone would end the line, as serial consoles end theirs.)
      lines.push(`[ 5800.000000] virtio_mem virtio5: some future message\twith a tab and ${HOSTILE}`);
      writeFileSync(guest, lines.join('\n'));
      qemu = tmp.file('qemu.log');
      // Also a C1 CSI and a right-to-left override, which reorders what follows it.
      writeFileSync(qemu, `qemu-system-x86_64: error: kvm run failed Bad address ${HOSTILE}red \u009b1m \u202eevil\n`);
    });
    const shownGuest = () => tmp.file('guest\\x1b[31m.log');
    const assertNoControls = (text: string) => assert.doesNotMatch(text, /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/, 'no control character but TAB and LF');

    it('check: the quoted evidence and the path are shown escaped', () => {
      const r = runCli(['check', guest]);
      assert.equal(r.status, 1);
      assertNoControls(r.stdout);
      assert.ok(r.stdout.startsWith(`${shownGuest()}  8 errors, 0 warnings, 1 info — 2 root causes\n`), r.stdout);
      // The unparsed line is a finding (HPL015) of its own, quoted.
      assert.ok(r.stdout.includes(`\n    line 31\n      > [ 5800.000000] virtio_mem virtio5: some future message\\twith a tab and ${HOSTILE_SHOWN}\n`), r.stdout);
      assert.ok(
        r.stdout.includes(`\n      > Mar 24 15:21:47 h${HOSTILE_SHOWN} kernel: [ 5714.648501] virtio_mem virtio5: plugged size: 0x2e00000\n`),
        r.stdout,
      );
    });

    it('events: paths, field values and unparsed lines are shown escaped; TAB stays the column separator', () => {
      const r = runCli(['events', '--show-unparsed', guest, qemu]);
      assert.equal(r.status, 0);
      assertNoControls(r.stdout);
      const rows = r.stdout.split('\n').filter((l) => l && !l.startsWith('#'));
      for (const row of rows) assert.equal(row.split('\t').length, row.includes('\tunparsed\t') ? 3 : 4, row);
      // Fields are read as if the line's C0 controls were not there (src/core/envelope/noise.ts); what is left is escaped.
      assert.ok(rows.includes(`${qemu}:1\t-\tqemu.kvmRunFailed\treason=Bad address ]0;title[31mred \\x9b1m \\u202eevil`), rows.join('\n'));
      assert.ok(
        rows.includes(`${shownGuest()}:31\tunparsed\t[ 5800.000000] virtio_mem virtio5: some future message\\twith a tab and ${HOSTILE_SHOWN}`),
        rows.join('\n'),
      );
      assert.ok(r.stdout.includes(`# ${shownGuest()}: 31 lines`), r.stdout);
    });

    it('JSON keeps them, JSON-escaped', () => {
      const r = runCli(['events', '--format', 'json', qemu]);
      assert.ok(r.stdout.includes('"reason":"Bad address ]0;title[31mred \u009b1m \u202eevil"'), r.stdout);
      const doc = JSON.parse(r.stdout) as { events: Array<{ reason: string }> };
      assert.equal(doc.events[0].reason, 'Bad address ]0;title[31mred \u009b1m \u202eevil');
      const check = JSON.parse(runCli(['check', '--format', 'json', guest]).stdout) as { inputs: Array<{ path: string }> };
      assert.equal(check.inputs[0].path, guest);
    });
  });

  describe('a file given twice is read once, with a note', () => {
    let dir: string;
    before(() => {
      dir = tmp.file('twice');
      mkdirSync(dir);
      copyFileSync(EXAMPLE_GUEST, join(dir, 'guest.log'));
      copyFileSync(EXAMPLE_QEMU, join(dir, 'qemu.log'));
      symlinkSync('guest.log', join(dir, 'link.log'));
      linkSync(join(dir, 'guest.log'), join(dir, 'hard.log'));
    });
    const check = (...files: string[]) => runCli(['check', '--format', 'json', ...files], { cwd: dir });
    const note = (file: string, first: string) => `hotplug-lens: ${file} is the same file as ${first}: ignored\n`;

    for (const [twice, first] of [
      ['guest.log', 'guest.log'],
      ['./guest.log', 'guest.log'],
      ['link.log', 'guest.log'],
      ['hard.log', 'guest.log'],
    ]) {
      it(`${first} and ${twice}`, () => {
        const once = check('guest.log', 'qemu.log');
        const r = check(first, 'qemu.log', twice);
        assert.equal(r.stderr, note(twice, first));
        assert.equal(r.status, 1);
        assert.deepEqual(JSON.parse(r.stdout), JSON.parse(once.stdout));
      });
    }

    it('events: standard input and /dev/stdin', () => {
      const input = readFileSync(EXAMPLE_GUEST);
      const r = runCli(['events', '-', '/dev/stdin'], { input });
      assert.equal(r.stderr, note('/dev/stdin', '-'));
      assert.equal(r.stdout, runCli(['events', '-'], { input }).stdout);
    });
  });

  describe('--show-unparsed says how many lines it did not list', () => {
    const unparsed = (n: number) => Array.from({ length: n }, (_, i) => `[    1.0] virtio_mem virtio5: some future message ${i + 1}\n`).join('');
    let many: string;
    before(() => {
      many = tmp.file('many-unparsed.log');
      writeFileSync(many, unparsed(10_005));
    });
    const listed = (stdout: string) => stdout.split('\n').filter((l) => l.includes('\tunparsed\t'));

    it('10,000 listed by default, and a note of the other 5', () => {
      const r = runCli(['events', '--show-unparsed', many]);
      assert.equal(r.status, 0);
      const rows = listed(r.stdout);
      assert.equal(rows.length, 10_000);
      assert.equal(rows[9_999], `${many}:10000\tunparsed\t[    1.0] virtio_mem virtio5: some future message 10000`);
      assert.ok(r.stdout.endsWith('#   5 of 10005 unparsed lines not shown (--max-unparsed 10005 shows all)\n'), r.stdout.slice(-300));
    });

    it('--max-unparsed 10005 lists them all, without a note', () => {
      const r = runCli(['events', '--show-unparsed', '--max-unparsed', '10005', many]);
      assert.equal(listed(r.stdout).length, 10_005);
      assert.doesNotMatch(r.stdout, /not shown/);
    });

    it('--max-unparsed 0 lists none', () => {
      const r = runCli(['events', '--show-unparsed', '--max-unparsed', '0', many]);
      assert.equal(listed(r.stdout).length, 0);
      assert.ok(r.stdout.endsWith('#   10005 of 10005 unparsed lines not shown (--max-unparsed 10005 shows all)\n'));
    });

    it('JSON lists as many and counts them all', () => {
      const doc = JSON.parse(runCli(['events', '--format', 'json', '--show-unparsed', '--max-unparsed', '7', many]).stdout) as {
        inputs: Array<{ unparsed: number; unparsedLines: unknown[] }>;
      };
      assert.equal(doc.inputs[0].unparsed, 10_005);
      assert.equal(doc.inputs[0].unparsedLines.length, 7);
    });

    it('also for a big log read on the worker thread', () => {
      const huge = tmp.file('huge-unparsed.log');
      const block = unparsed(1000);
      const copies = Math.ceil((17 << 20) / block.length);
      writeFileSync(huge, block.repeat(copies));
      const r = runCli(['events', '--show-unparsed', '--max-unparsed', '3', huge]);
      assert.equal(r.status, 0);
      assert.equal(listed(r.stdout).length, 3);
      const total = copies * 1000;
      assert.ok(r.stdout.endsWith(`#   ${total - 3} of ${total} unparsed lines not shown (--max-unparsed ${total} shows all)\n`), r.stdout.slice(-300));
    });
  });
});
