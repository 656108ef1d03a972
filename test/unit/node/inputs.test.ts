/** Node inputs: plain and gzip files, errors as one-line InputErrors. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, createWriteStream, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { HotplugEvent } from '../../../src/core/events';
import { type InputSource, type InputSummary, ingestAll } from '../../../src/core/ingest';
import { fileSource, InputError, onceReadableSource } from '../../../src/node/inputs';
import { collect, REAL_LINES } from '../../helpers/bytes';
import { makeTempDir } from '../../helpers/tmp';

const LOG = `${REAL_LINES.join('\n')}\n`;

async function parseSource(source: InputSource): Promise<{ events: unknown[]; summary: Omit<InputSummary, 'path'> }> {
  const events: HotplugEvent[] = [];
  const { path: _path, ...summary } = await ingestAll(source, 0, (e) => events.push(e));
  // The path differs between the plain and the gzip file; everything else must not.
  return { events: events.map((e) => ({ ...e, source: { ...e.source, path: '' } })), summary };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  assert.fail('expected a rejection');
}

function assertOneLineInputError(error: Error, path: string, pattern: RegExp): void {
  assert.ok(error instanceof InputError, `an InputError, not ${error?.constructor?.name}: ${error?.message}`);
  assert.ok(!error.message.includes('\n'), `one line: ${JSON.stringify(error.message)}`);
  assert.ok(error.message.startsWith(`${path}: `), error.message);
  assert.match(error.message, pattern);
}

describe('node inputs', () => {
  const tmp = makeTempDir();
  after(() => tmp.cleanup());

  it('reads a .gz file as the plain file it holds', async () => {
    const plain = tmp.file('guest.log');
    const gz = tmp.file('guest.log.gz');
    writeFileSync(plain, LOG);
    writeFileSync(gz, gzipSync(LOG));
    const a = await parseSource(await fileSource(plain));
    const b = await parseSource(await fileSource(gz));
    assert.ok(a.events.length >= 5);
    assert.deepEqual(b, a);
  });

  it('detects gzip by content, not by name, and reads it again on a second open', async () => {
    const disguised = tmp.file('qemu.log');
    writeFileSync(disguised, gzipSync(LOG));
    const source = await fileSource(disguised);
    const first = Buffer.concat(await collect(source.open()));
    const second = Buffer.concat(await collect(source.open()));
    assert.equal(first.toString('utf8'), LOG);
    assert.deepEqual(second, first);
  });

  it('reads big and multi-member gzip files whole', async () => {
    const line = '[ 5707.392231] virtio_mem virtio5: plugged size: 0x80000000\n';
    const part = line.repeat(40000); // 2.4 MB: more than one read chunk
    const gz = tmp.file('big.gz');
    // `cat a.gz b.gz > c.gz` is a valid gzip file (rotated logs are often joined this way).
    writeFileSync(gz, Buffer.concat([gzipSync(part), gzipSync(part)]));
    const { summary } = await parseSource(await fileSource(gz));
    assert.equal(summary.lines, 80000);
    assert.equal(summary.recognized, 80000);
    assert.equal(summary.bytes, part.length * 2);
  });

  it('reads an empty file and a one-byte file that starts like gzip', async () => {
    const empty = tmp.file('empty.log');
    const one = tmp.file('one.log');
    writeFileSync(empty, '');
    writeFileSync(one, Buffer.from([0x1f]));
    assert.equal((await parseSource(await fileSource(empty))).summary.lines, 0);
    assert.equal((await parseSource(await fileSource(one))).summary.lines, 1);
  });

  it('reads a named pipe once and serves it to every open, gzip or not', async function () {
    if (spawnSync('mkfifo', [tmp.file('probe.fifo')]).status !== 0) this.skip();
    for (const [name, data] of [
      ['plain.fifo', Buffer.from(LOG)],
      ['gzip.fifo', gzipSync(LOG)],
    ] as const) {
      const fifo = tmp.file(name);
      assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
      const writer = createWriteStream(fifo);
      writer.end(data);
      const source = await fileSource(fifo);
      const first = Buffer.concat(await collect(source.open()));
      const second = Buffer.concat(await collect(source.open()));
      assert.equal(first.toString('utf8'), LOG, name);
      assert.deepEqual(second, first, name);
    }
  });

  describe('a stream that can be read only once', () => {
    /** A fresh stream of `parts` each time (only the first is ever taken), and how often one was. */
    function streams(parts: Buffer[]): { open: () => Readable; opened: () => number } {
      let count = 0;
      return {
        open: () => {
          count += 1;
          return Readable.from(parts, { objectMode: false });
        },
        opened: () => count,
      };
    }
    const ourTempFiles = () => readdirSync(tmpdir()).filter((name) => name.startsWith(`hotplug-lens-${process.pid}-`));

    it('is read once and served again from a copy that no directory lists', async () => {
      const gz = gzipSync(LOG);
      // The gzip magic split over two chunks, the data in bits of 7 bytes.
      const parts = [gz.subarray(0, 1), ...Array.from({ length: Math.ceil((gz.length - 1) / 7) }, (_, i) => gz.subarray(1 + i * 7, 8 + i * 7))];
      const raw = streams(parts);
      const source = onceReadableSource('-', raw.open);
      const first = Buffer.concat(await collect(source.open()));
      assert.deepEqual(ourTempFiles(), [], 'the copy is unlinked from the start');
      const second = Buffer.concat(await collect(source.open()));
      const third = await parseSource(source);
      assert.equal(first.toString('utf8'), LOG);
      assert.deepEqual(second, first);
      assert.equal(third.summary.lines, REAL_LINES.length);
      assert.equal(raw.opened(), 1);
    });

    it('is not copied when read once, and says so when opened again', async () => {
      const raw = streams([Buffer.from(LOG)]);
      const source = onceReadableSource('-', raw.open, { readOnce: true });
      assert.equal(Buffer.concat(await collect(source.open())).toString('utf8'), LOG);
      assertOneLineInputError(await rejection(collect(source.open())), '-', /^-: a pipe or device can be read only once here$/);
      assert.equal(raw.opened(), 1);
    });

    it('is read whole past the copy limit, and then cannot be read again', async () => {
      const line = 'virtio_mem virtio5: plugged size: 0x0\n';
      const parts = Array.from({ length: 40 }, () => Buffer.from(line.repeat(2000))); // 40 × 76 KB
      const source = onceReadableSource('pipe', streams(parts).open, { spillLimitBytes: 2 ** 20 });
      const { summary } = await parseSource(source);
      assert.equal(summary.lines, 80000);
      assertOneLineInputError(
        await rejection(collect(source.open())),
        'pipe',
        /^pipe: more than 1 MiB from a pipe or device, too big to keep for a second reading \(pass it as a file\)$/,
      );
    });

    it('cannot be read again after a first reading that stopped early', async () => {
      const source = onceReadableSource('-', streams([Buffer.from(LOG), Buffer.from(LOG)]).open);
      for await (const _chunk of source.open()) break;
      assertOneLineInputError(await rejection(collect(source.open())), '-', /its first reading stopped before the end/);
    });

    it('reports a corrupt gzip stream as a one-line InputError', async () => {
      const source = onceReadableSource('-', streams([Buffer.from([0x1f, 0x8b, 1, 2, 3])]).open);
      assertOneLineInputError(await rejection(collect(source.open())), '-', /^-: corrupt gzip data/);
    });
  });

  it('reports corrupt gzip data as a one-line InputError', async () => {
    const corrupt = tmp.file('corrupt.gz');
    writeFileSync(corrupt, Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('this is not deflate data at all\n')]));
    const source = await fileSource(corrupt);
    const error = await rejection(collect(source.open()));
    assertOneLineInputError(error, corrupt, /corrupt gzip/);
  });

  it('reports a truncated gzip file as a one-line InputError', async () => {
    const truncated = tmp.file('truncated.gz');
    const whole = gzipSync(LOG.repeat(50));
    writeFileSync(truncated, whole.subarray(0, whole.length >> 1));
    const error = await rejection(ingestAll(await fileSource(truncated), 0, () => undefined));
    assertOneLineInputError(error, truncated, /gzip/);
  });

  it('reports a missing file as a one-line InputError before reading', async () => {
    const missing = tmp.file('no-such.log');
    assertOneLineInputError(await rejection(fileSource(missing)), missing, /no such file/);
  });

  it('reports a directory as a one-line InputError before reading', async () => {
    const dir = tmp.file('a-dir');
    mkdirSync(dir);
    assertOneLineInputError(await rejection(fileSource(dir)), dir, /is a directory/);
  });

  it('reports an unreadable file as a one-line InputError', async function () {
    if (process.getuid?.() === 0) this.skip(); // root reads anything
    const locked = tmp.file('locked.log');
    writeFileSync(locked, LOG);
    chmodSync(locked, 0o000);
    assertOneLineInputError(await rejection(fileSource(locked)), locked, /permission denied/);
  });
});
