/** `hotplug-lens events`, run as the built CLI process on real files. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { CLI, ensureBuilt, runCli } from '../helpers/cli';
import { makeTempDir } from '../helpers/tmp';

const GUEST = [
  '[    5.000000] virtio_mem virtio5: requested size: 0x8000000',
  '[   10.000000] virtio_mem virtio5: plugging memory: 0x100000000 - 0x107ffffff',
  '[   10.500000] virtio_mem virtio5: plugged size: 0x8000000',
  '[    1.0] virtio_mem virtio5: some future message',
  '[   11.000000] ACPI: nothing to do with us',
  '[   12.000000] tdx: Failed to accept memory [0x108000000, 0x110000000)',
  '',
].join('\n');

const QEMU = [
  '2026-03-24T15:21:47.392231Z virtio_mem_plug_request addr=0x100000000 nb_blocks=64',
  '2026-03-24T15:21:47.392300Z virtio_mem_send_response type=0',
  '',
].join('\n');

interface JsonInput {
  path: string;
  lines: number;
  recognized: number;
  ignored: number;
  unparsed: number;
  truncatedLines?: number;
  unparsedLines?: Array<{ line: number; text: string }>;
}

interface JsonOutput {
  events: Array<{ path: string; line: number; kind: string; [key: string]: unknown }>;
  inputs: JsonInput[];
  alignment: Array<{ path: string; method: string; pairs: number; offsetUs?: number }>;
}

function parseJson(stdout: string): JsonOutput {
  const doc = JSON.parse(stdout) as JsonOutput;
  assert.ok(Array.isArray(doc.events), 'events is an array');
  assert.ok(Array.isArray(doc.inputs), 'inputs is an array');
  for (const input of doc.inputs) {
    assert.equal(input.recognized + input.ignored + input.unparsed, input.lines, `accounting of ${input.path} adds up`);
  }
  for (const event of doc.events) {
    assert.equal(typeof event.path, 'string');
    assert.ok(Number.isInteger(event.line) && event.line >= 1);
    assert.equal(typeof event.kind, 'string');
  }
  return doc;
}

/** Exit status 2, one line on stderr without a stack trace, nothing on stdout. */
function assertUsageFailure(args: string[], pattern: RegExp, input?: string | Buffer): void {
  const r = runCli(args, { input });
  assert.equal(r.status, 2, `exit status of ${args.join(' ')}; stderr: ${r.stderr}`);
  assert.equal(r.stdout, '', 'no output on failure');
  assert.ok(r.stderr.endsWith('\n'), 'stderr ends with a line break');
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, `one line on stderr: ${JSON.stringify(r.stderr)}`);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  assert.match(r.stderr, /^hotplug-lens: /);
  assert.match(r.stderr, pattern);
}

describe('cli: hotplug-lens events', function () {
  this.timeout(60_000);
  const tmp = makeTempDir();
  let guest: string;
  let qemu: string;

  before(() => {
    ensureBuilt();
    guest = tmp.file('guest.log');
    qemu = tmp.file('qemu.log');
    writeFileSync(guest, GUEST);
    writeFileSync(qemu, QEMU);
  });
  after(() => tmp.cleanup());

  it('prints events as text, one per line, with a summary', () => {
    const r = runCli(['events', guest]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const lines = r.stdout.trimEnd().split('\n');
    const rows = lines.filter((l) => !l.startsWith('#'));
    assert.deepEqual(
      rows.map((l) => l.split('\t').slice(0, 3)),
      [
        [`${guest}:1`, '5.000000', 'vmem.size'],
        [`${guest}:2`, '10.000000', 'vmem.range'],
        [`${guest}:3`, '10.500000', 'vmem.size'],
        [`${guest}:6`, '12.000000', 'tdx.acceptFailed'],
      ],
    );
    assert.match(rows[1], /\bstart=0x100000000 end=0x108000000\b/);
    assert.ok(lines.includes(`# ${guest}: 6 lines, 4 recognized, 1 ignored, 1 unparsed; timeline: reference`), r.stdout);
  });

  it('prints events as JSON with hex addresses and per-input accounting', () => {
    const r = runCli(['events', '--format', 'json', guest]);
    assert.equal(r.status, 0, r.stderr);
    const doc = parseJson(r.stdout);
    assert.deepEqual(
      doc.events.map((e) => [e.path, e.line, e.kind]),
      [
        [guest, 1, 'vmem.size'],
        [guest, 2, 'vmem.range'],
        [guest, 3, 'vmem.size'],
        [guest, 6, 'tdx.acceptFailed'],
      ],
    );
    const range = doc.events[1];
    assert.equal(range.start, '0x100000000');
    assert.equal(range.end, '0x108000000');
    assert.equal(doc.events[0].size, '0x8000000');
    assert.equal(doc.events[3].start, '0x108000000');
    assert.equal(doc.events[3].end, '0x110000000');
    assert.deepEqual(doc.inputs, [{ path: guest, lines: 6, recognized: 4, ignored: 1, unparsed: 1 }]);
    assert.deepEqual(doc.alignment, [{ path: guest, method: 'reference', pairs: 0 }]);
  });

  it('lists subject lines that no row matches with --show-unparsed', () => {
    const json = parseJson(runCli(['events', '--format', 'json', '--show-unparsed', guest]).stdout);
    assert.deepEqual(json.inputs[0].unparsedLines, [{ line: 4, text: '[    1.0] virtio_mem virtio5: some future message' }]);
    const text = runCli(['events', '--show-unparsed', guest]);
    assert.equal(text.status, 0);
    assert.ok(text.stdout.split('\n').includes(`${guest}:4\tunparsed\t[    1.0] virtio_mem virtio5: some future message`), text.stdout);
    assert.ok(!runCli(['events', guest]).stdout.includes('unparsed\t'), 'not listed without the option');
  });

  it('reads standard input for -', () => {
    const r = runCli(['events', '--format', 'json', '-'], { input: GUEST });
    assert.equal(r.status, 0, r.stderr);
    const doc = parseJson(r.stdout);
    assert.equal(doc.events.length, 4);
    assert.ok(doc.events.every((e) => e.path === '-'));
    assert.deepEqual(doc.inputs, [{ path: '-', lines: 6, recognized: 4, ignored: 1, unparsed: 1 }]);
  });

  it('reads a pipe given as a file name (process substitution)', function () {
    const gz = tmp.file('piped.log.gz');
    writeFileSync(gz, gzipSync(GUEST));
    // bash gives the command a /dev/fd/N path to a pipe, which can be read only once.
    const r = spawnSync('bash', ['-c', '"$0" "$1" events --format json <(cat "$2") "$3"', process.execPath, CLI, gz, qemu], { encoding: 'utf8' });
    if (r.error) this.skip(); // no bash
    assert.equal(r.status, 0, r.stderr);
    const doc = parseJson(r.stdout);
    assert.match(doc.inputs[0].path, /^\/dev\/fd\/\d+$|^\/proc\//);
    assert.deepEqual({ ...doc.inputs[0], path: '' }, { path: '', lines: 6, recognized: 4, ignored: 1, unparsed: 1 });
    assert.equal(doc.events.length, 6);
    assert.equal(doc.alignment[1].method, 'offset');
  });

  it('reads gzip files and gzip on standard input like the plain log', () => {
    const gz = tmp.file('guest.log.gz');
    writeFileSync(gz, gzipSync(GUEST));
    const plain = parseJson(runCli(['events', '--format', 'json', guest]).stdout);
    const fromFile = parseJson(runCli(['events', '--format', 'json', gz]).stdout);
    const fromStdin = parseJson(runCli(['events', '--format', 'json', '-'], { input: gzipSync(GUEST) }).stdout);
    const strip = (doc: JsonOutput) => ({
      events: doc.events.map(({ path: _p, ...rest }) => rest),
      inputs: doc.inputs.map(({ path: _p, ...rest }) => rest),
    });
    assert.deepEqual(strip(fromFile), strip(plain));
    assert.deepEqual(strip(fromStdin), strip(plain));
  });

  it('reads CRLF files like LF files', () => {
    const crlf = tmp.file('guest-crlf.log');
    writeFileSync(crlf, GUEST.replace(/\n/g, '\r\n'));
    const a = parseJson(runCli(['events', '--format', 'json', '--show-unparsed', guest]).stdout);
    const b = parseJson(runCli(['events', '--format', 'json', '--show-unparsed', crlf]).stdout);
    assert.deepEqual(
      b.events.map(({ path: _p, ...rest }) => rest),
      a.events.map(({ path: _p, ...rest }) => rest),
    );
    assert.deepEqual({ ...b.inputs[0], path: '' }, { ...a.inputs[0], path: '' });
    assert.ok(!JSON.stringify(b).includes('\\r'), 'no CR in the output');
  });

  it('reads a binary file without crashing', () => {
    const bin = tmp.file('random.bin');
    // Seeded, so that a failure can be reproduced.
    const bytes = Buffer.alloc(512 * 1024);
    let x = 0x9e3779b9;
    for (let i = 0; i < bytes.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      bytes[i] = x & 0xff;
    }
    bytes[0] = 0; // not gzip by accident
    writeFileSync(bin, bytes);
    const json = runCli(['events', '--format', 'json', '--show-unparsed', bin]);
    assert.equal(json.status, 0, json.stderr);
    assert.equal(json.stderr, '');
    const doc = parseJson(json.stdout);
    assert.ok(doc.inputs[0].lines > 0);
    const text = runCli(['events', bin]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /lines, \d+ recognized/);
  });

  it('reads a big log on its worker thread as it reads the same bytes on standard input', function () {
    this.timeout(120_000);
    // Over the size from which files are read on a worker; a noisy console with some records.
    const noise = '[   11.000000] ACPI: nothing to do with us, a line of the noise around the records\n';
    const block = noise.repeat(200) + GUEST;
    const big = tmp.file('big.log');
    writeFileSync(big, block.repeat(Math.ceil((17 << 20) / block.length)));
    const fromFile = runCli(['events', '--format', 'json', big]);
    assert.equal(fromFile.status, 0, fromFile.stderr);
    const fromStdin = runCli(['events', '--format', 'json', '-'], { input: readFileSync(big) });
    assert.equal(fromStdin.status, 0, fromStdin.stderr);
    const withPath = (doc: JsonOutput) => JSON.stringify(doc).replaceAll(JSON.stringify(big), '"-"');
    assert.equal(withPath(parseJson(fromFile.stdout)), withPath(parseJson(fromStdin.stdout)));
    const counts = parseJson(fromFile.stdout).inputs[0];
    assert.equal(counts.lines, (block.split('\n').length - 1) * Math.ceil((17 << 20) / block.length));
    assert.ok(counts.recognized > 0);
  });

  it('prints valid JSON and a summary for an empty file', () => {
    const empty = tmp.file('empty.log');
    writeFileSync(empty, '');
    const doc = parseJson(runCli(['events', '--format', 'json', empty]).stdout);
    assert.deepEqual(doc.events, []);
    assert.deepEqual(doc.inputs, [{ path: empty, lines: 0, recognized: 0, ignored: 0, unparsed: 0 }]);
    assert.equal(runCli(['events', empty]).stdout, `# ${empty}: 0 lines, 0 recognized, 0 ignored, 0 unparsed; timeline: reference\n`);
  });

  // A number field that overflows to Infinity (nb_blocks with 400 digits) must not be written
  // as the bare word `Infinity`, which is not JSON.
  it('keeps JSON valid when a log has an absurdly large number', () => {
    const huge = tmp.file('huge-number.log');
    writeFileSync(huge, `4321@1774365707.392231:virtio_mem_plug_request addr=0x100000000 nb_blocks=${'9'.repeat(400)}\n`);
    const r = runCli(['events', '--format', 'json', huge]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(parseJson(r.stdout).events[0].kind, 'qemu.vmem.request');
  });

  it('prints the usage for --help after a command, with exit status 0', () => {
    const r = runCli(['events', '--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage: hotplug-lens/);
    assert.equal(r.stderr, '');
  });

  it('flags truncated lines with --max-line-bytes', () => {
    const long = tmp.file('long.log');
    writeFileSync(long, `[ 1.0] virtio_mem virtio5: ${'x'.repeat(200)}\n${GUEST}`);
    const doc = parseJson(runCli(['events', '--format', 'json', '--max-line-bytes', '100', long]).stdout);
    assert.equal(doc.inputs[0].truncatedLines, 1);
    assert.equal(doc.inputs[0].lines, 7);
    assert.deepEqual(
      doc.events.map((e) => e.line),
      [2, 3, 4, 7],
    );
  });

  describe('fails with exit status 2 and one line on stderr', () => {
    it('for a missing file', () => assertUsageFailure(['events', tmp.file('missing.log')], /missing\.log: no such file/));
    it('for a directory', () => {
      const dir = tmp.file('dir');
      mkdirSync(dir, { recursive: true });
      assertUsageFailure(['events', dir], /is a directory/);
    });
    it('for a missing file after a good one', () => assertUsageFailure(['events', guest, tmp.file('missing.log')], /no such file/));
    it('for no FILE', () => assertUsageFailure(['events'], /at least one FILE/));
    it('for an unknown command', () => assertUsageFailure(['frobnicate', guest], /unknown command 'frobnicate'/));
    it('for an unknown option', () => assertUsageFailure(['events', '--bogus', guest], /--bogus/));
    it('for a bad --format', () => assertUsageFailure(['events', '--format', 'xml', guest], /--format 'xml'/));
    it('for --format without a value', () => assertUsageFailure(['events', guest, '--format'], /--format/));
    it('for a bad --max-line-bytes', () => assertUsageFailure(['events', '--max-line-bytes', 'many', guest], /--max-line-bytes/));
    it('for - given twice', () => assertUsageFailure(['events', '-', '-'], /standard input/, GUEST));
    it('for corrupt gzip data on standard input', () =>
      assertUsageFailure(['events', '-'], /-: corrupt gzip/, Buffer.from([0x1f, 0x8b, 1, 2, 3])));
  });

  it('fails with exit status 2 and one line on stderr for a corrupt .gz file', () => {
    const bad = tmp.file('bad.gz');
    writeFileSync(bad, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x42, 0x42]));
    const r = runCli(['events', bad]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^hotplug-lens: .*bad\.gz: corrupt gzip data/);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
  });

  it('merges a guest log and a QEMU trace, QEMU events right after the guest plugging line', () => {
    const doc = parseJson(runCli(['events', '--format', 'json', guest, qemu]).stdout);
    assert.deepEqual(
      doc.events.map((e) => [e.path, e.line, e.kind]),
      [
        [guest, 1, 'vmem.size'],
        [guest, 2, 'vmem.range'],
        [qemu, 1, 'qemu.vmem.request'],
        [qemu, 2, 'qemu.vmem.response'],
        [guest, 3, 'vmem.size'],
        [guest, 6, 'tdx.acceptFailed'],
      ],
    );
    assert.equal(doc.events[2].addr, '0x100000000');
    assert.equal(doc.events[2].nbBlocks, 64);
    // QEMU handles the request just after the guest logs it: a microsecond later on the timeline.
    assert.equal(doc.events[2].aligned, 10_000_001);
    assert.deepEqual(
      doc.alignment.map((a) => [a.path, a.method]),
      [
        [guest, 'reference'],
        [qemu, 'offset'],
      ],
    );
    assert.equal(doc.alignment[1].pairs, 1);
    assert.deepEqual(
      doc.inputs.map((i) => [i.path, i.lines, i.recognized]),
      [
        [guest, 6, 4],
        [qemu, 2, 2],
      ],
    );

    const text = runCli(['events', guest, qemu]);
    assert.equal(text.status, 0, text.stderr);
    const rows = text.stdout.split('\n').filter((l) => l && !l.startsWith('#'));
    assert.deepEqual(
      rows.map((l) => l.split('\t')[0]),
      [`${guest}:1`, `${guest}:2`, `${qemu}:1`, `${qemu}:2`, `${guest}:3`, `${guest}:6`],
    );
    assert.match(text.stdout, /# .*qemu\.log: 2 lines, 2 recognized, 0 ignored, 0 unparsed; timeline: offset /);
  });

  describe('year-less syslog (rsyslog kern.log, journalctl short)', () => {
    // A guest in UTC+2, logging through rsyslog's traditional format: no year anywhere.
    const KERN_LOG = [
      'Nov 29 06:55:27 td-guest kernel: virtio_mem virtio5: plugged size: 0x0',
      'Nov 29 06:55:28 td-guest kernel: virtio_mem virtio5: requested size: 0x8000000',
      'Nov 29 06:55:29 td-guest kernel: virtio_mem virtio5: plugging memory: 0x100000000 - 0x107ffffff',
      'Nov 29 06:55:29 td-guest systemd[1]: Started session-3.scope.',
      '',
    ].join('\n');
    const TRACE = [
      '2025-11-29T04:55:27.900000Z virtio_mem_resized_usable_region old_size=0x0new_size=0x18000000',
      '2025-11-29T04:55:28.900450Z virtio_mem_plug_request addr=0x100000000 nb_blocks=64',
      '',
    ].join('\n');
    /** Nov 29 06:55:27 counted from Jan 1: 333 days (of a leap year) and the time of day. */
    const NOV_29_065527_US = ((333 * 24 + 6) * 3600 + 55 * 60 + 27) * 1_000_000;
    let kernLog: string;
    let trace: string;

    before(() => {
      kernLog = tmp.file('kern.log');
      trace = tmp.file('trace.log');
      writeFileSync(kernLog, KERN_LOG);
      writeFileSync(trace, TRACE);
    });

    it('alone: shows no invented year, the absolute time stays unknown', () => {
      const r = runCli(['events', '--format', 'json', kernLog]);
      assert.equal(r.status, 0, r.stderr);
      const doc = parseJson(r.stdout);
      assert.deepEqual(
        doc.events.map((e) => [e.line, e.kind, e.time]),
        [
          [1, 'vmem.size', { clock: 'wall-yearless', us: NOV_29_065527_US }],
          [2, 'vmem.size', { clock: 'wall-yearless', us: NOV_29_065527_US + 1_000_000 }],
          [3, 'vmem.range', { clock: 'wall-yearless', us: NOV_29_065527_US + 2_000_000 }],
        ],
      );
      assert.deepEqual(doc.inputs, [{ path: kernLog, lines: 4, recognized: 3, ignored: 1, unparsed: 0 }]);
      assert.deepEqual(doc.alignment, [{ path: kernLog, method: 'reference', pairs: 0 }]);

      const text = runCli(['events', kernLog]);
      const times = text.stdout.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t')[1]);
      assert.deepEqual(times, ['--11-29T06:55:27.000000', '--11-29T06:55:28.000000', '--11-29T06:55:29.000000']);
    });

    it('with an ISO-8601 QEMU trace: takes the year from it and aligns by the matched plug', () => {
      const doc = parseJson(runCli(['events', '--format', 'json', kernLog, trace]).stdout);
      const guestTimes = doc.events.filter((e) => e.path === kernLog).map((e) => e.time);
      assert.deepEqual(guestTimes, [27, 28, 29].map((s) => ({ clock: 'wall-local', us: Date.UTC(2025, 10, 29, 6, 55, s) * 1000 })));
      assert.deepEqual(
        doc.alignment.map((a) => [a.path, a.method, (a as { year?: number }).year, (a as { yearFrom?: string }).yearFrom]),
        [
          [kernLog, 'reference', 2025, trace],
          [trace, 'offset', undefined, undefined],
        ],
      );
      // Two hours of zone between them, not the decades a year 2000 would put.
      assert.ok(Math.abs((doc.alignment[1].offsetUs as number) - 7_200_000_000) < 1_000_000, `offset ${doc.alignment[1].offsetUs}`);
      assert.deepEqual(
        doc.events.map((e) => [e.path, e.line]),
        [
          [kernLog, 1],
          [trace, 1],
          [kernLog, 2],
          [kernLog, 3],
          [trace, 2],
        ],
      );
      const text = runCli(['events', kernLog, trace]);
      assert.ok(text.stdout.includes(`# ${kernLog}: 4 lines, 3 recognized, 1 ignored, 0 unparsed; timeline: reference; year 2025 from ${trace}\n`), text.stdout);
    });
  });
});

