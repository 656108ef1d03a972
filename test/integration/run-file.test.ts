/**
 * A workspace's run file cannot point the extension at anything but regular files inside the
 * workspace: every other entry is a problem on the run file, and the log is analysed alone.
 */
import { strict as assert } from 'node:assert';
import { api, codeOf, eventually, HOSTILE_RUN_FILE_ENTRIES, withRunFileNaming } from './helpers';

describe('a run file naming what may not be read', () => {
  for (const { what, entry, prepare, message } of HOSTILE_RUN_FILE_ENTRIES) {
    it(`reports ${what} on the run file and analyses the log on its own`, async () => {
      const { log, runFile } = await withRunFileNaming(entry, prepare);
      assert.deepEqual(log.map(codeOf), Array(8).fill('HPL001'), 'the guest log alone still has its findings');
      assert.equal(runFile.length, 1);
      assert.match(runFile[0].message, message);
      assert.equal(runFile[0].range.start.line, 2, 'the entry is underlined: "host" is the third line of the file');
      const { runningWorkers } = await api();
      await eventually(() => runningWorkers() === 0, 'no analysis worker left running');
    });
  }
});
