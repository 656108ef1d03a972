/**
 * `.hotplug-lens.json` parsing (parseRunFile): one run of guest/QEMU/host logs, given as paths
 * or lists of paths and always returned guest first, then QEMU, then host, then `files`; a list
 * of named runs; and an error naming the bad field for each way the file can be wrong.
 */
import { strict as assert } from 'node:assert';
import { parseRunFile, RUN_FILE_NAME } from '../../../src/extension/run-file';

/** Asserts that parsing `text` throws a message matching `message`. */
function rejects(text: string, message: RegExp): void {
  assert.throws(() => parseRunFile(text), (error: unknown) => {
    assert.ok(error instanceof Error);
    assert.match(error.message, message);
    return true;
  });
}

describe('run files', () => {
  it('is named .hotplug-lens.json', () => {
    assert.equal(RUN_FILE_NAME, '.hotplug-lens.json');
  });

  describe('one run', () => {
    it('reads guest, qemu and host given as single paths', () => {
      assert.deepEqual(parseRunFile('{ "guest": "guest.log", "qemu": "qemu.log", "host": "host.log" }'), [{ files: ['guest.log', 'qemu.log', 'host.log'] }]);
    });

    it('orders the logs guest, qemu, host, files whatever the order of the keys', () => {
      const text = JSON.stringify({ files: ['extra.log'], host: 'host.log', qemu: 'qemu.log', guest: 'guest.log' });
      assert.deepEqual(parseRunFile(text), [{ files: ['guest.log', 'qemu.log', 'host.log', 'extra.log'] }]);
    });

    it('reads lists of paths, keeping their order within each role', () => {
      const text = JSON.stringify({ qemu: ['q1.log', 'q2.log'], guest: ['g2.log', 'g1.log'], host: [] });
      assert.deepEqual(parseRunFile(text), [{ files: ['g2.log', 'g1.log', 'q1.log', 'q2.log'] }]);
    });

    it('reads a run given only as files', () => {
      assert.deepEqual(parseRunFile('{ "files": ["a.log", "logs/b.log.gz"] }'), [{ files: ['a.log', 'logs/b.log.gz'] }]);
    });

    it('reads a run with only a guest log', () => {
      assert.deepEqual(parseRunFile('{ "guest": "dmesg.txt" }'), [{ files: ['dmesg.txt'] }]);
    });

    it('keeps the name of a run', () => {
      assert.deepEqual(parseRunFile('{ "name": "replug", "guest": "g.log", "qemu": "q.log" }'), [{ name: 'replug', files: ['g.log', 'q.log'] }]);
    });

    it('ignores keys it does not know', () => {
      assert.deepEqual(parseRunFile('{ "guest": "g.log", "comment": "from the CI run", "$schema": "x" }'), [{ files: ['g.log'] }]);
    });
  });

  describe('several runs', () => {
    it('reads { "runs": [...] } with names, in order', () => {
      const text = JSON.stringify({
        runs: [
          { name: 'before the fix', guest: 'a/guest.log', qemu: 'a/qemu.log' },
          { name: 'after the fix', guest: 'b/guest.log', qemu: ['b/qemu.1.log', 'b/qemu.2.log'], host: 'b/host.log' },
          { files: ['c.log'] },
        ],
      });
      assert.deepEqual(parseRunFile(text), [
        { name: 'before the fix', files: ['a/guest.log', 'a/qemu.log'] },
        { name: 'after the fix', files: ['b/guest.log', 'b/qemu.1.log', 'b/qemu.2.log', 'b/host.log'] },
        { files: ['c.log'] },
      ]);
    });

    it('reads a single run in a runs list', () => {
      assert.deepEqual(parseRunFile('{ "runs": [{ "qemu": "qemu.log" }] }'), [{ files: ['qemu.log'] }]);
    });
  });

  describe('errors name the bad field', () => {
    it('for text that is not JSON', () => {
      rejects('{ "guest": "g.log", }', /^not valid JSON: /);
      rejects('', /^not valid JSON: /);
    });

    it('for an empty or missing runs list', () => {
      rejects('{ "runs": [] }', /"runs" must be a non-empty list/);
      rejects('{ "runs": "guest.log" }', /"runs" must be a non-empty list/);
      rejects('{ "runs": null }', /"runs" must be a non-empty list/);
    });

    it('for a run that lists no logs', () => {
      rejects('{}', /^the run lists no logs/);
      rejects('{ "name": "x" }', /^the run lists no logs/);
      rejects('{ "guest": [], "files": [] }', /^the run lists no logs/);
      rejects('{ "runs": [{ "guest": "g.log" }, { "name": "empty" }] }', /^runs\[1\] lists no logs/);
    });

    it('for a run that is not an object', () => {
      rejects('["guest.log"]', /^the run must be an object/);
      rejects('"guest.log"', /^the run must be an object/);
      rejects('null', /^the run must be an object/);
      rejects('{ "runs": ["guest.log"] }', /^runs\[0\] must be an object/);
    });

    it('for a path that is not a string, or an empty one', () => {
      rejects('{ "guest": 5 }', /^the run\.guest must be a path or a list of paths/);
      rejects('{ "qemu": null }', /^the run\.qemu must be a path or a list of paths/);
      rejects('{ "host": ["h.log", 7] }', /^the run\.host must be a path or a list of paths/);
      rejects('{ "files": { "a": "a.log" } }', /^the run\.files must be a path or a list of paths/);
      rejects('{ "guest": "  " }', /^the run\.guest must be a path or a list of paths/);
      rejects('{ "runs": [{ "guest": "g.log" }, { "guest": "g.log", "qemu": [true] }] }', /^runs\[1\]\.qemu must be a path or a list of paths/);
    });

    it('for a name that is not a string', () => {
      rejects('{ "name": 3, "guest": "g.log" }', /^the run\.name must be a string/);
      rejects('{ "runs": [{ "name": ["a"], "guest": "g.log" }] }', /^runs\[0\]\.name must be a string/);
    });

    it('for an absolute path: logs are named relative to the run file', () => {
      rejects('{ "guest": "/dev/zero" }', /^the run\.guest: "\/dev\/zero" must be relative to the run file's folder$/);
      rejects('{ "qemu": ["q.log", "C:\\\\logs\\\\q.log"] }', /^the run\.qemu: "C:\\logs\\q\.log" must be relative/);
      rejects('{ "host": "\\\\server\\\\share\\\\h.log" }', /^the run\.host: .* must be relative/);
    });

    it('for a path with a NUL character', () => {
      rejects('{ "guest": "g.log\\u0000.txt" }', /^the run\.guest: "g\.log\\0\.txt" holds a NUL character$/);
    });
  });

  it('takes a file saved with a UTF-8 byte order mark', () => {
    assert.deepEqual(parseRunFile('\uFEFF{ "guest": "guest.log" }'), [{ files: ['guest.log'] }]);
  });
});
