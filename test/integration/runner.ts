/** Runs the mocha tests of one folder inside VS Code's extension host (VS Code awaits `run()`). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha = require('mocha');

export function runFolder(folder: string): Promise<void> {
  // EXT_TEST_GREP=text runs only the tests whose title holds it (run-integration.cjs forwards EXT_TEST_* variables).
  const grep = process.env.EXT_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, ...(grep ? { grep } : {}) });
  for (const file of fs.readdirSync(folder).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(folder, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
