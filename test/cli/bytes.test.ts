/**
 * The bytes real consoles produce, through the built CLI on the bundled example: lone CR line
 * endings (serial consoles), CRs and LFs across the reader's 64 KiB slices, NUL runs and bytes
 * that are not UTF-8 in the relevant lines, and corrupt geometry lines. Each must give the
 * example's eight HPL001 on the same lines, and exit status 1.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, ROOT, runCli } from '../helpers/cli';
import { makeTempDir } from '../helpers/tmp';

const GUEST = readFileSync(join(ROOT, 'examples/tdx-replug-failure/guest.log'));
const QEMU = readFileSync(join(ROOT, 'examples/tdx-replug-failure/qemu.log'));
const FAILED_LINES = [22, 23, 24, 25, 26, 27, 28, 29];
/** What the reader hands the parser at a time (src/core/ingest.ts). */
const SLICE = 64 * 1024;

interface Finding {
  code: string;
  location: { path: string; line: number };
  range?: { start: string; end: string };
  related: Array<{ path: string; line: number; message: string }>;
}
interface CheckDoc {
  inputs: Array<{ path: string; lines: number; recognized: number; ignored: number; unparsed: number }>;
  devices: unknown[];
  findings: Array<Finding & { message: string }>;
  summary: { errors: number; warnings: number; infos: number };
}

/** `check --format json` of `guest.log` and `qemu.log` written with these bytes, run where they are. */
function check(guest: Buffer, qemu: Buffer = QEMU): { status: number | null; doc: CheckDoc } {
  const tmp = makeTempDir();
  try {
    writeFileSync(tmp.file('guest.log'), guest);
    writeFileSync(tmp.file('qemu.log'), qemu);
    const r = runCli(['check', 'guest.log', 'qemu.log', '--format', 'json'], { cwd: tmp.dir });
    assert.equal(r.stderr, '');
    return { status: r.status, doc: JSON.parse(r.stdout) as CheckDoc };
  } finally {
    tmp.cleanup();
  }
}

/** What the findings say and where, without the quoted text. */
function where(doc: CheckDoc): unknown[] {
  return doc.findings.map((f) => [f.code, f.location, f.range, f.related.map((r) => [r.path, r.line])]);
}

function eightHpl001(doc: CheckDoc): void {
  assert.deepEqual(
    doc.findings.filter((f) => f.code === 'HPL001' && f.location.path === 'guest.log').map((f) => f.location.line),
    FAILED_LINES,
  );
  assert.equal(doc.summary.errors, 8);
}

const withLoneCr = (b: Buffer): Buffer => Buffer.from(b.toString('latin1').replace(/\n/g, '\r'), 'latin1');

/** Each line of `b` that `pick`s, changed by `change` (bytes in, bytes out). */
function eachLine(b: Buffer, pick: (line: string) => boolean, change: (line: Buffer) => Buffer): Buffer {
  const lines = b.toString('latin1').split('\n');
  return Buffer.concat(lines.map((l, i) => Buffer.concat([pick(l) ? change(Buffer.from(l, 'latin1')) : Buffer.from(l, 'latin1'), Buffer.from(i < lines.length - 1 ? '\n' : '')])));
}

describe('hotplug-lens check: the bytes real consoles produce', () => {
  let asLogged: ReturnType<typeof check>;
  before(() => {
    ensureBuilt();
    asLogged = check(GUEST);
  });

  it('the example as logged: eight HPL001, exit status 1', () => {
    assert.equal(asLogged.status, 1);
    eightHpl001(asLogged.doc);
  });

  it('reads lone CR line endings (a serial console) as the same lines: the same document', () => {
    const cr = check(withLoneCr(GUEST), withLoneCr(QEMU));
    assert.equal(cr.status, 1);
    assert.deepEqual(cr.doc, asLogged.doc);
    // CRLF, and a lone-CR guest log beside an LF QEMU log, too.
    assert.deepEqual(check(Buffer.from(GUEST.toString('latin1').replace(/\n/g, '\r\n'), 'latin1')).doc, asLogged.doc);
    assert.deepEqual(check(withLoneCr(GUEST)).doc, asLogged.doc);
  });

  it('numbers lines as VS Code does when a break falls at the end of a 64 KiB slice', () => {
    /** Noise lines of exactly `length` bytes, the last without its break. */
    const head = (length: number): string => {
      let text = '';
      for (let n = 0; text.length < length - 100; n++) text += `[    3.${String(n).padStart(6, '0')}] random: crng init done\n`;
      return `${text}[    3.999999] ${'x'.repeat(length - text.length - 15)}`;
    };
    const cases: Array<[string, string, number]> = [
      ['a CRLF split between two slices', '\r\n', SLICE - 1],
      ['a lone CR last in a slice', '\r', SLICE - 1],
      ['a lone CR first in a slice', '\r', SLICE],
      ['a CRLF last in a slice', '\r\n', SLICE - 2],
    ];
    const guest = withLoneCr(GUEST).toString('latin1');
    for (const [name, lineBreak, at] of cases) {
      const before = head(at);
      assert.equal(before.length, at);
      const lines = before.split('\n').length;
      const r = check(Buffer.from(before + lineBreak + guest, 'latin1'));
      assert.equal(r.status, 1, name);
      assert.deepEqual(
        r.doc.findings.filter((f) => f.code === 'HPL001' && f.location.path === 'guest.log').map((f) => f.location.line),
        FAILED_LINES.map((l) => l + lines),
        name,
      );
      assert.equal(r.doc.inputs[0].lines, lines + asLogged.doc.inputs[0].lines, name);
      assert.equal(r.doc.inputs[0].unparsed, 0, name);
    }
  });

  it('reads relevant lines with NUL runs, NULs in the prefix and after the message, and 0xff bytes', () => {
    const relevant = (l: string) => l.includes('virtio_mem') || l.includes('tdx:');
    const variants: Array<[string, (line: Buffer) => Buffer]> = [
      ['NUL run at the start (after a reset)', (l) => Buffer.concat([Buffer.alloc(8), l])],
      ['NUL in the timestamp', (l) => Buffer.from(l.toString('latin1').replace('[ ', '[ \0'), 'latin1')],
      ['NUL between the timestamp and the message', (l) => Buffer.from(l.toString('latin1').replace('] ', ']\0 '), 'latin1')],
      ['NULs after the message', (l) => Buffer.concat([l, Buffer.from([0, 0, 0])])],
      ['0xff bytes before the message', (l) => Buffer.from(l.toString('latin1').replace('] ', '] \xff\xff'), 'latin1')],
      ['0xff after the subsystem', (l) => Buffer.from(l.toString('latin1').replace(': ', ':\xff '), 'latin1')],
    ];
    for (const [name, change] of variants) {
      const r = check(eachLine(GUEST, relevant, change));
      assert.equal(r.status, 1, name);
      eightHpl001(r.doc);
      assert.deepEqual(where(r.doc), where(asLogged.doc), name);
      assert.deepEqual(r.doc.inputs, asLogged.doc.inputs, `${name}: every line read as before`);
    }
    // Into the QEMU trace too.
    const qemu = check(GUEST, eachLine(QEMU, (l) => l.includes('virtio_mem'), (l) => Buffer.concat([Buffer.from([0, 0xff]), l, Buffer.from([0])])));
    assert.deepEqual(where(qemu.doc), where(asLogged.doc));
  });

  it('keeps the eight HPL001 and exit status 1 when a geometry line is corrupt, and names the line', () => {
    const corrupt = Buffer.from(
      GUEST.toString('latin1').replace('region size: 0x100000000', 'region size: 0xffffffffffffffff').replace('subblock size: 0x200000', 'subblock size: 0x1'),
      'latin1',
    );
    const r = check(corrupt);
    assert.equal(r.status, 1);
    eightHpl001(r.doc);
    const told = r.doc.findings.filter((f) => f.code === 'HPL015');
    assert.equal(told.length, 1);
    assert.deepEqual(told[0].location, { path: 'guest.log', line: 5 });
    assert.equal(
      told[0].message,
      'guest.log is incomplete: its line 5 gives virtio5 an impossible region size 0xffffffffffffffff (the region from 0x100000000 would wrap around 2^64): ignored; ' +
        'its line 9 gives virtio5 an impossible subblock size 0x1 (it is below the page size 0x1000): ignored.',
    );
    assert.deepEqual(told[0].related.map((x) => [x.line, x.message]), [[9, 'its line 9 gives virtio5 an impossible subblock size 0x1 (it is below the page size 0x1000): ignored']]);
  });

  it('says so in text too', () => {
    const tmp = makeTempDir();
    try {
      writeFileSync(tmp.file('guest.log'), Buffer.from(GUEST.toString('latin1').replace('subblock size: 0x200000', 'subblock size: 0x1'), 'latin1'));
      writeFileSync(tmp.file('qemu.log'), QEMU);
      const r = runCli(['check', 'guest.log', 'qemu.log'], { cwd: tmp.dir });
      assert.equal(r.status, 1);
      assert.match(r.stdout, /^guest\.log \+ qemu\.log {2}8 errors, 1 warning, 1 info/);
      assert.match(r.stdout.replace(/\n\s+/g, ' '), /its line 9 gives virtio5 an impossible subblock size 0x1 \(it is below the page size 0x1000\): ignored\./);
    } finally {
      tmp.cleanup();
    }
  });
});
