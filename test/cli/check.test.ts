/**
 * `hotplug-lens check`, run as the built CLI process on the real example, fixture and captured
 * logs: text (colours only on a terminal, never with NO_COLOR), the JSON and SARIF documents of
 * DIAGNOSTICS.md, what-if replays, usage errors, --out and standard input.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CATALOG } from '../../src/core/diagnose/catalog';
import { CLI, type CliResult, ensureBuilt, ROOT, runCli } from '../helpers/cli';
import { makeTempDir } from '../helpers/tmp';

const EXAMPLE_GUEST = 'examples/tdx-replug-failure/guest.log';
const EXAMPLE_QEMU = 'examples/tdx-replug-failure/qemu.log';
const MAIL = 'test/fixtures/captured/tdx-replug-mail.log';
const HEALTHY_DIR = 'test/fixtures/scenarios/F05-fixed-vmm-clean-replug';

/** The eight failed accepts of the example, as logged (guest.log lines 22–29). */
const EXAMPLE_RANGES: Array<[number, string, string]> = [
  [22, '0x108000000', '0x110000000'],
  [23, '0x110000000', '0x118000000'],
  [24, '0x140000000', '0x148000000'],
  [25, '0x148000000', '0x150000000'],
  [26, '0x150000000', '0x158000000'],
  [27, '0x160000000', '0x168000000'],
  [28, '0x170000000', '0x178000000'],
  [29, '0x178000000', '0x180000000'],
];

const ANSI = /\x1b\[/;
const HEX = /^0x[0-9a-f]+$/;
const CODES = [...CATALOG.keys()];
const SEVERITIES = ['error', 'warning', 'info'];
const CAUSES = ['vmm', 'host-kernel', 'tdx-module', 'snp-firmware', 'guest-kernel', 'config', 'log', 'unknown'];
const CONFIDENCES = ['certain', 'likely', 'possible'];
const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', info: 'note' };

interface JsonLocation {
  path: string;
  line: number;
}
interface JsonFinding {
  code: string;
  name: string;
  severity: string;
  cause: string;
  confidence: string;
  message: string;
  location: JsonLocation;
  device?: string;
  range?: { start: string; end: string };
  related: Array<JsonLocation & { message: string }>;
  rootCause?: string;
}
interface JsonDoc {
  tool: { name: string; version: string };
  inputs: Array<{ path: string; lines: number; recognized: number; ignored: number; unparsed: number }>;
  devices: Array<Record<string, unknown>>;
  findings: JsonFinding[];
  rootCauses?: Array<{ id: string; code: string; findings: number }>;
  summary: { errors: number; warnings: number; infos: number };
  whatIf?: { policies: Record<string, string>; removed: JsonFinding[]; added: JsonFinding[] };
}

/** Lines of a file as the CLI counts them (a final line break ends the last line). */
function lineCount(path: string): number {
  const text = readFileSync(join(ROOT, path), 'utf8');
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function check(args: string[], options: { input?: string | Buffer; cwd?: string } = {}): CliResult {
  return runCli(['check', ...args], options);
}

/** Runs the CLI with a pseudo-terminal as stdout (util-linux `script`), or undefined without one. */
function runInTerminal(args: string[], env: Record<string, string | undefined>): string | undefined {
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', quoted, '/dev/null'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  if (r.error || r.status === null || /usage|invalid option/i.test(r.stderr ?? '')) return undefined;
  return r.stdout;
}

function assertFindingShape(f: JsonFinding, lines: Map<string, number>, what: string): void {
  assert.ok(CODES.includes(f.code), `${what}: known code ${f.code}`);
  const info = CATALOG.get(f.code);
  assert.equal(f.name, info?.name, `${what}: name of ${f.code}`);
  assert.equal(f.severity, info?.severity, `${what}: severity of ${f.code}`);
  assert.ok(SEVERITIES.includes(f.severity), `${what}: severity ${f.severity}`);
  assert.ok(CAUSES.includes(f.cause), `${what}: cause ${f.cause}`);
  assert.ok(CONFIDENCES.includes(f.confidence), `${what}: confidence ${f.confidence}`);
  assert.equal(typeof f.message, 'string');
  assert.ok(f.message.length > 0, `${what}: message`);
  const at = (l: JsonLocation, where: string) => {
    assert.ok(lines.has(l.path), `${where}: path ${l.path} is an input as given`);
    assert.ok(Number.isInteger(l.line) && l.line >= 1 && l.line <= (lines.get(l.path) ?? 0), `${where}: line ${l.line} inside ${l.path}`);
  };
  at(f.location, `${what} location`);
  assert.deepEqual(Object.keys(f.location).sort(), ['line', 'path'], `${what}: location is {path, line}`);
  if (f.range) {
    assert.match(f.range.start, HEX, `${what}: range.start`);
    assert.match(f.range.end, HEX, `${what}: range.end`);
    assert.ok(BigInt(f.range.start) < BigInt(f.range.end), `${what}: range not empty`);
  }
  assert.ok(Array.isArray(f.related), `${what}: related is a list`);
  for (const r of f.related) {
    at(r, `${what} related`);
    assert.equal(typeof r.message, 'string');
    assert.ok(r.message.length > 0, `${what}: related message`);
  }
}

/** The JSON document of DIAGNOSTICS.md, checked against the files it was made from. */
function parseJsonDoc(stdout: string, files: string[]): JsonDoc {
  const doc = JSON.parse(stdout) as JsonDoc;
  assert.equal(doc.tool.name, 'hotplug-lens');
  assert.match(doc.tool.version, /^\d+\.\d+\.\d+/);
  assert.deepEqual(
    doc.inputs.map((i) => i.path),
    files,
    'inputs in command-line order, paths as given',
  );
  const lines = new Map<string, number>();
  for (const input of doc.inputs) {
    assert.equal(input.recognized + input.ignored + input.unparsed, input.lines, `accounting of ${input.path} adds up`);
    if (input.path !== '-') assert.equal(input.lines, lineCount(input.path), `lines of ${input.path}`);
    lines.set(input.path, input.lines);
  }
  for (const d of doc.devices) {
    assert.equal(typeof d.id, 'string');
    for (const field of ['startAddress', 'regionSize', 'deviceBlockSize', 'memoryBlockSize', 'subblockSize']) {
      if (d[field] !== undefined) assert.match(d[field] as string, HEX, `device ${d.id} ${field}`);
    }
    assert.ok(d.mode === 'sbm' || d.mode === 'bbm');
    assert.ok(d.geometry === 'logged' || d.geometry === 'inferred');
  }
  doc.findings.forEach((f, i) => assertFindingShape(f, lines, `findings[${i}]`));
  const count = (s: string) => doc.findings.filter((f) => f.severity === s).length;
  assert.deepEqual(doc.summary, { errors: count('error'), warnings: count('warning'), infos: count('info') }, 'summary counts the findings by severity');
  if (doc.whatIf) {
    doc.whatIf.removed.forEach((f, i) => assertFindingShape(f, lines, `whatIf.removed[${i}]`));
    doc.whatIf.added.forEach((f, i) => assertFindingShape(f, lines, `whatIf.added[${i}]`));
  }
  return doc;
}

interface SarifLocation {
  physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
}
interface SarifDoc {
  $schema: string;
  version: string;
  runs: Array<{
    tool: {
      driver: {
        name: string;
        rules: Array<{
          id: string;
          name: string;
          shortDescription: { text: string };
          fullDescription: { text: string };
          help?: { text: string };
          defaultConfiguration: { level: string };
        }>;
      };
    };
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: SarifLocation[];
      relatedLocations?: Array<SarifLocation & { id: number; message: { text: string } }>;
    }>;
  }>;
}

/** SARIF 2.1.0 with one rule per code, checked; returns the document. */
function parseSarif(stdout: string, files: string[]): SarifDoc {
  const doc = JSON.parse(stdout) as SarifDoc;
  assert.equal(doc.version, '2.1.0');
  assert.match(doc.$schema, /sarif.*2\.1\.0.*\.json$/);
  assert.equal(doc.runs.length, 1);
  const run = doc.runs[0];
  assert.equal(run.tool.driver.name, 'hotplug-lens');
  const rules = run.tool.driver.rules;
  assert.deepEqual(
    rules.map((r) => r.id),
    CODES,
    'one rule per code, in catalog order',
  );
  assert.ok(CODES.includes('HPL001') && CODES.includes('HPL016'), 'the catalog of DIAGNOSTICS.md is covered');
  for (const r of rules) {
    const info = CATALOG.get(r.id);
    assert.equal(r.name, info?.name, `rule ${r.id} name`);
    assert.ok(r.shortDescription.text.length > 0, `rule ${r.id} shortDescription`);
    assert.ok(r.fullDescription.text.length > 0, `rule ${r.id} fullDescription`);
    assert.equal(r.defaultConfiguration.level, SARIF_LEVEL[info?.severity ?? ''], `rule ${r.id} level`);
  }
  const uris = new Set(files.map((f) => (f === '-' ? 'stdin' : f)));
  const lines = new Map(files.map((f) => [f === '-' ? 'stdin' : f, f === '-' ? Number.MAX_SAFE_INTEGER : lineCount(f)]));
  const at = (l: SarifLocation, what: string) => {
    const { uri } = l.physicalLocation.artifactLocation;
    assert.ok(uris.has(uri), `${what}: uri ${uri} is an input`);
    const line = l.physicalLocation.region.startLine;
    assert.ok(Number.isInteger(line) && line >= 1 && line <= (lines.get(uri) ?? 0), `${what}: startLine ${line}`);
  };
  run.results.forEach((res, i) => {
    assert.ok(Number.isInteger(res.ruleIndex), `results[${i}].ruleIndex`);
    assert.equal(rules[res.ruleIndex]?.id, res.ruleId, `results[${i}]: ruleIndex points at rule ${res.ruleId}`);
    assert.equal(res.level, rules[res.ruleIndex].defaultConfiguration.level, `results[${i}]: level of ${res.ruleId}`);
    assert.ok(res.message.text.length > 0);
    assert.equal(res.locations.length, 1);
    at(res.locations[0], `results[${i}]`);
    const ids = (res.relatedLocations ?? []).map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, `results[${i}]: relatedLocations ids are unique`);
    for (const rel of res.relatedLocations ?? []) {
      assert.ok(Number.isInteger(rel.id) && rel.id >= 0, 'relatedLocation id');
      assert.ok(rel.message.text.length > 0, 'relatedLocation message');
      at(rel, `results[${i}] related ${rel.id}`);
    }
  });
  return doc;
}

/** Exit status 2, one line on stderr without a stack trace, nothing on stdout. */
function assertCouldNotRun(r: CliResult, pattern: RegExp): void {
  assert.equal(r.status, 2, `exit status; stderr: ${r.stderr}`);
  assert.equal(r.stdout, '', 'nothing on stdout');
  assert.ok(r.stderr.endsWith('\n'), 'stderr ends with a line break');
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, `one line on stderr: ${JSON.stringify(r.stderr)}`);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  assert.doesNotMatch(r.stderr, /internal error/, 'not reported as an internal error');
  assert.match(r.stderr, /^hotplug-lens: /);
  assert.match(r.stderr, pattern);
}

describe('cli: hotplug-lens check', function () {
  this.timeout(60_000);
  const tmp = makeTempDir();

  before(() => ensureBuilt());
  after(() => tmp.cleanup());

  it('names both causes, ranked, where the logs cannot tell device from driver (F10), in text and JSON', () => {
    const dir = join(ROOT, 'test', 'fixtures', 'scenarios', 'F10-double-plug-error');
    const logs = ['guest.log', 'qemu.log'].map((f) => join(dir, f));
    const text = check(logs);
    assert.match(text.stdout, /^HPL007 virtio-mem protocol error {2}\(cause: VMM, else guest kernel, likely\)$/m);
    const json = JSON.parse(check([...logs, '--format', 'json']).stdout);
    const refusal = json.findings.find((f: { code: string }) => f.code === 'HPL007');
    assert.deepEqual([refusal.cause, refusal.otherCauses], ['vmm', ['guest-kernel']]);
    assert.deepEqual([json.rootCauses[0].cause, json.rootCauses[0].otherCauses], ['vmm', ['guest-kernel']]);
    // A finding with one cause has no list.
    assert.ok(json.findings.filter((f: { code: string }) => f.code === 'HPL015').every((f: object) => !('otherCauses' in f)));
  });

  describe('the example re-plug failure (guest log only)', () => {
    it('exits 1 and prints HPL001 with its eight failed accepts under one root cause', () => {
      const r = check([EXAMPLE_GUEST]);
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stderr, '');
      const lines = r.stdout.split('\n');
      assert.equal(lines[0], `${EXAMPLE_GUEST}  8 errors, 0 warnings — 1 root cause`);
      assert.equal(lines.filter((l) => /^HPL\d{3} /.test(l)).length, 1, 'one root cause heading');
      assert.match(r.stdout, /^HPL001 re-accept after unplug without private discard {2}\(cause: VMM, possible\)$/m);
      const rows = lines.filter((l) => /^ {4}line \d+ +\[0x/.test(l));
      assert.deepEqual(
        rows.map((l) => /^ {4}line (\d+) +\[(0x[0-9a-f]+), (0x[0-9a-f]+)\)/.exec(l)?.slice(1)),
        EXAMPLE_RANGES.map(([line, s, e]) => [String(line), s, e]),
      );
      assert.match(r.stdout, /TDX_PAGE_ALREADY_ACCEPTED/);
      assert.match(r.stdout, /Would not happen if: /);
      // Each remedy a policy models says which what-if replays its world.
      const remedies = r.stdout.slice(r.stdout.indexOf('Would not happen if: ')).replace(/\s+/g, ' ');
      assert.match(remedies, /QEMU 9\.2 punches only the shared side\) \[--what-if vmm\.discardPrivate=yes\]; or/);
      assert.match(remedies, /before unplugging it \[--what-if guest\.convertSharedOnUnplug=yes --what-if device\.unpluggedInaccessible=no\]; or/);
      assert.match(remedies, /\(TDG\.MEM\.PAGE\.RELEASE\) before unplugging it \[--what-if guest\.releaseOnUnplug=yes\]\./);
      assert.doesNotMatch(r.stdout, ANSI, 'no colours when piped');
    });

    it('has no ANSI escapes on a terminal with NO_COLOR, and colours on a terminal without it', function () {
      const plain = runInTerminal(['check', EXAMPLE_GUEST], { NO_COLOR: '1' });
      if (plain === undefined) this.skip();
      assert.match(plain, /HPL001/);
      assert.doesNotMatch(plain, ANSI, 'NO_COLOR turns colours off');
      const coloured = runInTerminal(['check', EXAMPLE_GUEST], { NO_COLOR: undefined });
      assert.ok(coloured !== undefined);
      assert.match(coloured, ANSI, 'colours on a terminal (the harness really is a terminal)');
      // --out writes a file: no colours in it even from a terminal.
      const out = tmp.file('tty-out.txt');
      runInTerminal(['check', EXAMPLE_GUEST, '--out', out], { NO_COLOR: undefined });
      assert.doesNotMatch(readFileSync(out, 'utf8'), ANSI);
    });

    it('writes the JSON document of DIAGNOSTICS.md', () => {
      const r = check([EXAMPLE_GUEST, '--format', 'json']);
      assert.equal(r.status, 1, r.stderr);
      const doc = parseJsonDoc(r.stdout, [EXAMPLE_GUEST]);
      assert.equal(doc.inputs[0].lines, 29);
      assert.equal(doc.inputs[0].unparsed, 0);
      assert.deepEqual(doc.devices, [
        {
          id: 'virtio5',
          startAddress: '0x100000000',
          regionSize: '0x100000000',
          deviceBlockSize: '0x200000',
          memoryBlockSize: '0x8000000',
          subblockSize: '0x200000',
          mode: 'sbm',
          geometry: 'logged',
        },
      ]);
      assert.equal(doc.findings.length, 8);
      assert.deepEqual(
        doc.findings.map((f) => [f.code, f.name, f.severity, f.cause, f.location.line, f.range?.start, f.range?.end]),
        EXAMPLE_RANGES.map(([line, s, e]) => ['HPL001', 'reaccept-after-unplug', 'error', 'vmm', line, s, e]),
      );
      for (const f of doc.findings) {
        assert.equal(f.location.path, EXAMPLE_GUEST);
        assert.equal(f.device, 'virtio5');
        assert.ok(f.related.length > 0, 'HPL001 lists the UNPLUG evidence');
        assert.match(f.message, new RegExp(`\\[${f.range?.start}, ${f.range?.end}\\)`), 'the message names the range');
      }
      assert.deepEqual(doc.summary, { errors: 8, warnings: 0, infos: 0 });
      assert.equal(doc.rootCauses?.length, 1);
      assert.ok(doc.findings.every((f) => f.rootCause === doc.rootCauses?.[0].id));
    });

    it('cites the QEMU UNPLUG of each range as evidence when the QEMU trace is given', () => {
      const files = [EXAMPLE_GUEST, EXAMPLE_QEMU];
      const doc = parseJsonDoc(check([...files, '--format', 'json']).stdout, files);
      const hpl001 = doc.findings.filter((f) => f.code === 'HPL001');
      assert.equal(hpl001.length, 8);
      const qemu = readFileSync(join(ROOT, EXAMPLE_QEMU), 'utf8').split('\n');
      for (const f of hpl001) {
        const unplugs = f.related.filter((r) => r.path === EXAMPLE_QEMU);
        assert.ok(unplugs.length > 0, `${f.range?.start}: evidence in the QEMU trace`);
        for (const u of unplugs) assert.match(qemu[u.line - 1], new RegExp(`virtio_mem_unplug_request addr=${f.range?.start} `), 'the UNPLUG of that very range');
      }
    });
  });

  describe('SARIF', () => {
    it('is SARIF 2.1.0 with one rule per code and results pointing at their rules (errors and warnings)', () => {
      const files = [EXAMPLE_GUEST, EXAMPLE_QEMU];
      const r = check([...files, '--format', 'sarif']);
      assert.equal(r.status, 1, r.stderr);
      const doc = parseSarif(r.stdout, files);
      const json = parseJsonDoc(check([...files, '--format', 'json']).stdout, files);
      const results = doc.runs[0].results;
      assert.deepEqual(
        results.map((res) => [res.ruleId, res.locations[0].physicalLocation.artifactLocation.uri, res.locations[0].physicalLocation.region.startLine]),
        json.findings.map((f) => [f.code, f.location.path, f.location.line]),
        'one result per finding, in the same order',
      );
      assert.deepEqual(
        results.map((res) => (res.relatedLocations ?? []).map((rel) => [rel.physicalLocation.region.startLine, rel.message.text])),
        json.findings.map((f) => f.related.map((rel) => [rel.line, rel.message])),
        'relatedLocations are the evidence',
      );
      assert.ok(results.some((res) => res.level === 'error' && res.ruleId === 'HPL001' && res.ruleIndex === 0));
      assert.ok(results.some((res) => (res.relatedLocations ?? []).some((rel) => rel.physicalLocation.artifactLocation.uri === EXAMPLE_QEMU)), 'evidence in the other input');
    });

    it('maps info findings to level note (the mail-pasted capture)', () => {
      const r = check([MAIL, '--format', 'sarif']);
      assert.equal(r.status, 1, r.stderr);
      const doc = parseSarif(r.stdout, [MAIL]);
      const levels = doc.runs[0].results.map((res) => `${res.ruleId}:${res.level}`);
      assert.ok(levels.includes('HPL015:note'), levels.join(' '));
      assert.ok(levels.includes('HPL001:error'), levels.join(' '));
    });

    it('names standard input in a way SARIF viewers accept', () => {
      const input = readFileSync(join(ROOT, EXAMPLE_GUEST));
      const r = check(['--format', 'sarif', '-'], { input });
      assert.equal(r.status, 1, r.stderr);
      parseSarif(r.stdout, ['-']);
    });
  });

  describe('what-if', () => {
    for (const policy of ['vmm.discardPrivate=yes', 'guest.convertSharedOnUnplug=yes']) {
      // The exit status stays about the logs as they are (1): a what-if is a question, not a fix.
      it(`--what-if ${policy}: the eight HPL001 would not happen, exit still 1`, () => {
        const text = check([EXAMPLE_GUEST, '--what-if', policy]);
        assert.equal(text.status, 1, text.stderr);
        assert.equal(text.stdout.split('\n')[0], `${EXAMPLE_GUEST}  0 errors, 0 warnings — 0 root causes`);
        assert.ok(text.stdout.includes(`What if ${policy}:\n  8 findings would not happen, 0 findings would appear.\n`), text.stdout);
        const removed = text.stdout.split('\n').filter((l) => l.startsWith('    - '));
        assert.deepEqual(
          removed.map((l) => /^ {4}- (HPL\d+) (\S+):(\d+) /.exec(l)?.slice(1)),
          EXAMPLE_RANGES.map(([line]) => ['HPL001', EXAMPLE_GUEST, String(line)]),
        );

        const json = check([EXAMPLE_GUEST, '--what-if', policy, '--format', 'json']);
        assert.equal(json.status, 1, json.stderr);
        const doc = parseJsonDoc(json.stdout, [EXAMPLE_GUEST]);
        const [name, value] = policy.split('=');
        assert.deepEqual(doc.whatIf?.policies, { [name]: value });
        assert.deepEqual(
          doc.whatIf?.removed.map((f) => [f.code, f.location.line, f.range?.start]),
          EXAMPLE_RANGES.map(([line, s]) => ['HPL001', line, s]),
        );
        assert.deepEqual(doc.whatIf?.added, []);
        assert.equal(doc.summary.errors, 0);
        assert.ok(!doc.findings.some((f) => f.code === 'HPL001'));
      });
    }

    it('--what-if vmm.discardPrivate=yes leaves no unplug-without-private-discard warning', () => {
      const files = [EXAMPLE_GUEST, EXAMPLE_QEMU];
      const doc = parseJsonDoc(check([...files, '--what-if', 'vmm.discardPrivate=yes', '--format', 'json']).stdout, files);
      assert.deepEqual(
        doc.findings.map((f) => f.code),
        [],
      );
      assert.deepEqual(
        [...new Set(doc.whatIf?.removed.map((f) => f.code))],
        ['HPL001', 'HPL005'],
      );
    });
  });

  describe('could not run: exit 2, one line on stderr', () => {
    it('rejects an unknown policy name', () => {
      assertCouldNotRun(check([EXAMPLE_GUEST, '--policy', 'bogus=1']), /--policy: unknown policy 'bogus'/);
    });
    it('rejects a value a policy does not take', () => {
      assertCouldNotRun(check([EXAMPLE_GUEST, '--policy', 'vmm.discardPrivate=maybe']), /vmm\.discardPrivate takes yes, no, unknown, not 'maybe'/);
    });
    it('rejects a what-if that is not NAME=VALUE', () => {
      assertCouldNotRun(check([EXAMPLE_GUEST, '--what-if', 'x']), /--what-if: 'x' is not NAME=VALUE/);
    });
    it('reports a missing file', () => {
      assertCouldNotRun(check(['no-such-file.log']), /no-such-file\.log: no such file/);
    });
    it('reports a missing file among good ones, and writes nothing', () => {
      assertCouldNotRun(check([EXAMPLE_GUEST, 'no-such-file.log']), /no-such-file\.log/);
    });
    it('needs at least one FILE', () => {
      assertCouldNotRun(check([]), /at least one FILE/);
    });
    it('rejects an unknown format and an unknown option', () => {
      assertCouldNotRun(check([EXAMPLE_GUEST, '--format', 'xml']), /--format 'xml'/);
      assertCouldNotRun(check([EXAMPLE_GUEST, '--bogus']), /--bogus/);
    });
    it('takes standard input only once', () => {
      assertCouldNotRun(check(['-', '-']), /standard input/);
    });

    it('names the policies command, which lists every policy --policy and --what-if take', () => {
      const r = check([EXAMPLE_GUEST, '--policy', 'bogus=1']);
      assert.match(r.stderr, /see 'hotplug-lens policies'/);
      const list = runCli(['policies']);
      assert.equal(list.status, 0, list.stderr);
      for (const name of ['vmm.discardPrivate', 'guest.convertSharedOnUnplug', 'guest.releaseOnUnplug', 'guest.acceptGranularity']) {
        assert.match(list.stdout, new RegExp(`^${name.replace('.', '\\.')}=`, 'm'), name);
      }
    });

    it('gives one hint for an unknown policy', () => {
      const r = check([EXAMPLE_GUEST, '--policy', 'bogus=1']);
      assert.equal((r.stderr.match(/\(see /g) ?? []).length, 1, r.stderr);
    });

    it('reports an unwritable --out path as a usage problem, not an internal error', () => {
      assertCouldNotRun(check([EXAMPLE_GUEST, '--out', join(tmp.dir, 'missing-dir', 'x.txt')]), /x\.txt/);
    });
  });

  describe('output and input', () => {
    it('--out writes the report to the file and nothing to stdout', () => {
      for (const format of ['text', 'json', 'sarif']) {
        const out = tmp.file(`report.${format}`);
        const r = check([EXAMPLE_GUEST, '--format', format, '--out', out]);
        assert.equal(r.status, 1, r.stderr);
        assert.equal(r.stdout, '', `${format}: nothing on stdout`);
        assert.equal(r.stderr, '');
        assert.ok(existsSync(out));
        const written = readFileSync(out, 'utf8');
        const direct = check([EXAMPLE_GUEST, '--format', format]).stdout;
        assert.equal(written, direct, `${format}: the same report as on stdout`);
        assert.doesNotMatch(written, ANSI);
      }
    });

    it('reads standard input for -', () => {
      const input = readFileSync(join(ROOT, EXAMPLE_GUEST));
      const r = check(['--format', 'json', '-'], { input });
      assert.equal(r.status, 1, r.stderr);
      const doc = parseJsonDoc(r.stdout, ['-']);
      assert.equal(doc.inputs[0].lines, 29);
      assert.equal(doc.findings.length, 8);
      assert.ok(doc.findings.every((f) => f.code === 'HPL001' && f.location.path === '-'));
      const text = check(['-'], { input });
      assert.equal(text.status, 1);
      assert.equal(text.stdout.split('\n')[0], '-  8 errors, 0 warnings — 1 root cause');
    });

    it('reads standard input together with a file', () => {
      const input = readFileSync(join(ROOT, EXAMPLE_QEMU));
      const files = [EXAMPLE_GUEST, '-'];
      const r = check([...files, '--format', 'json'], { input });
      assert.equal(r.status, 1, r.stderr);
      const doc = parseJsonDoc(r.stdout, files);
      assert.equal(doc.findings.filter((f) => f.code === 'HPL001').length, 8);
      assert.ok(doc.findings.some((f) => f.related.some((rel) => rel.path === '-')), 'evidence in standard input');
    });
  });

  describe('other runs', () => {
    it('a healthy run (fixed VMM, clean re-plug) exits 0 with no error or warning', () => {
      const files = readdirSync(join(ROOT, HEALTHY_DIR))
        .filter((f) => f.endsWith('.log'))
        .sort()
        .map((f) => `${HEALTHY_DIR}/${f}`);
      assert.ok(files.length > 0);
      const r = check([...files, '--format', 'json']);
      assert.equal(r.status, 0, r.stderr);
      const doc = parseJsonDoc(r.stdout, files);
      assert.deepEqual(
        doc.findings.filter((f) => f.severity !== 'info').map((f) => `${f.code} ${f.location.path}:${f.location.line}`),
        [],
      );
      assert.equal(doc.summary.errors, 0);
      assert.equal(doc.summary.warnings, 0);
      const text = check(files);
      assert.equal(text.status, 0);
      assert.match(text.stdout.split('\n')[0], / {2}0 errors, 0 warnings/);
    });

    it('the mail-pasted capture: HPL001 errors under one root cause, and an HPL015 info', () => {
      const r = check([MAIL, '--format', 'json']);
      assert.equal(r.status, 1, r.stderr);
      const doc = parseJsonDoc(r.stdout, [MAIL]);
      const hpl001 = doc.findings.filter((f) => f.code === 'HPL001');
      assert.deepEqual(
        hpl001.map((f) => [f.range?.start, f.range?.end]),
        [
          ['0x108000000', '0x110000000'],
          ['0x110000000', '0x118000000'],
          ['0x140000000', '0x148000000'],
        ],
      );
      assert.equal(new Set(hpl001.map((f) => f.rootCause)).size, 1, 'one root cause for the HPL001s');
      const hpl015 = doc.findings.filter((f) => f.code === 'HPL015');
      assert.equal(hpl015.length, 1);
      assert.equal(hpl015[0].severity, 'info');
      assert.equal(hpl015[0].cause, 'log');
      assert.match(hpl015[0].message, /wrapped/);
      assert.deepEqual(
        doc.findings.map((f) => f.code).sort(),
        ['HPL001', 'HPL001', 'HPL001', 'HPL015'],
      );
      assert.deepEqual(doc.summary, { errors: 3, warnings: 0, infos: 1 });
      assert.deepEqual(doc.rootCauses?.map((rc) => [rc.code, rc.findings]), [
        ['HPL001', 3],
        ['HPL015', 1],
      ]);
      const text = check([MAIL]);
      assert.equal(text.stdout.split('\n')[0], `${MAIL}  3 errors, 0 warnings, 1 info — 2 root causes`);
    });

    it('reads .gz inputs transparently', () => {
      const gz = tmp.file('guest.log.gz');
      writeFileSync(gz, gzipSync(readFileSync(join(ROOT, EXAMPLE_GUEST))));
      const r = check([gz, '--format', 'json']);
      assert.equal(r.status, 1, r.stderr);
      const doc = JSON.parse(r.stdout) as JsonDoc;
      assert.equal(doc.findings.filter((f) => f.code === 'HPL001').length, 8);
    });
  });
});
