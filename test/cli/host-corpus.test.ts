/**
 * The host-side rows as a user meets them: a generated log of every TDX and SEV-SNP host case
 * under every kernel prefix variant (dmesg, `dmesg -T`, caller ids, syslog, journald, mail
 * quotes, `dmesg -x`, CRLF), read by the built CLI's `events --format json`. Every line is
 * accounted for, none unparsed, and each event carries its decoded fields.
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { plain, type JsonValue } from '../../src/core/serialize';
import { ensureBuilt, runCli } from '../helpers/cli';
import { HOST_LOOKALIKES, SNP_HOST_CASES, TDX_HOST_CASES } from '../helpers/host-cases';
import { type Fields, KERNEL } from '../helpers/source-cases';
import { makeTempDir } from '../helpers/tmp';

interface Corpus {
  text: string;
  lines: number;
  ignored: number;
  events: Fields[];
}

/** Cases are kept apart by an unrelated line, as in a real log: a record ends there. */
function corpus(): Corpus {
  const out: string[] = [];
  const events: Fields[] = [];
  let lines = 0;
  let ignored = 0;
  const separator = HOST_LOOKALIKES[0];
  for (const v of KERNEL) {
    const eol = v.eol ?? '\n';
    for (const c of [...TDX_HOST_CASES, ...SNP_HOST_CASES]) {
      c.lines.forEach((line, i) => out.push((i === 0 ? v.first(line) : v.rest(line)) + eol));
      out.push(v.first(separator) + eol);
      lines += c.lines.length + 1;
      ignored += 1;
      events.push(...c.events);
    }
    for (const line of HOST_LOOKALIKES) out.push(v.first(line) + eol);
    lines += HOST_LOOKALIKES.length;
    ignored += HOST_LOOKALIKES.length;
  }
  return { text: out.join(''), lines, ignored, events };
}

describe('cli: host source rows × prefix variants', function () {
  this.timeout(60_000);
  const tmp = makeTempDir();
  after(() => tmp.cleanup());

  it('reads the whole corpus with 0 unparsed lines and decoded fields in every event', () => {
    ensureBuilt();
    const c = corpus();
    const path = tmp.file('host-corpus.log');
    writeFileSync(path, c.text);
    const r = runCli(['events', '--format', 'json', path]);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { events: Array<Record<string, JsonValue>>; inputs: Array<Record<string, number>> };
    const input = doc.inputs[0];
    assert.deepEqual(
      { lines: input.lines, unparsed: input.unparsed, ignored: input.ignored, recognized: input.recognized },
      { lines: c.lines, unparsed: 0, ignored: c.ignored, recognized: c.lines - c.ignored },
    );
    assert.equal(doc.events.length, c.events.length);
    c.events.forEach((expected, i) => {
      const event = doc.events[i];
      for (const [key, value] of Object.entries(expected)) {
        if (value === undefined) assert.ok(!(key in event), `event ${i} (line ${String(event.line)}): no ${key}`);
        else assert.deepEqual(event[key], plain(value), `event ${i} (line ${String(event.line)}): ${key}`);
      }
    });
  });
});
