// What the command-line benchmarks share: the generated inputs (cached in bench/data) and the
// wall time and peak RSS of one command.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { generate } = require('./generate');

const dataDir = path.join(__dirname, 'data');

// The baseline's pattern: the words that make a line about our subjects, from the parser itself (compiled by tsc).
const { SUBJECT_WORDS, escape } = require('../out/src/core/sources/index.js');
const KEYWORDS = SUBJECT_WORDS.map(escape).join('|');

/** The generated `kind` input (noisy or dense) of `mib` MiB, made on first use. */
function generatedInput(kind, mib) {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, `${kind}-${mib}.log`);
  if (!fs.existsSync(file)) {
    process.stderr.write(`generating ${file} …\n`);
    generate(kind, file, mib);
  }
  return file;
}

/**
 * Wall time and peak RSS (GNU time) of one command. `captureStdout`: GNU grep stops at the
 * first match when its output is /dev/null, so the baseline's count is read through a pipe.
 * `stdin`: a file given to the command as its standard input, through a pipe (a shell's `<`
 * would hand over the file itself, which is not what `cat log | …` does).
 */
function measure(command, argv, { env = {}, captureStdout = false, okStatus = [0], stdin } = {}) {
  const timed = ['/usr/bin/time', '-f', '%M', command, ...argv];
  const [program, ...args] = stdin === undefined ? timed : ['sh', '-c', 'cat "$0" | "$@"', stdin, ...timed];
  const start = process.hrtime.bigint();
  const result = spawnSync(program, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', captureStdout ? 'pipe' : 'ignore', 'pipe'],
    maxBuffer: 1 << 20,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  // GNU time reports the command's own exit status as its own (and sh the last command's).
  if (!okStatus.includes(result.status)) throw new Error(`${command} ${argv.join(' ')} failed: ${result.stderr}`);
  const rssKiB = Number(result.stderr.toString().trim().split('\n').pop());
  return { seconds, rssMiB: rssKiB / 1024 };
}

function best(runs) {
  return runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

module.exports = { dataDir, generatedInput, measure, best, KEYWORDS };
