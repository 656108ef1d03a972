// Two builds of the CLI compared on the same generated inputs, taking turns with the grep
// baseline in the same minutes (a VM's speed drifts by a third within minutes, so figures from
// two separate `npm run bench` runs cannot tell a small change from the drift).
//   node bench/ab.js --base OTHER/dist/cli.js [--mib N] [--runs N] [--command check|events]
// The other build: e.g. `git worktree add /tmp/base REV && cd /tmp/base && ln -s "$OLDPWD/node_modules" && node esbuild.js`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { best, generatedInput, KEYWORDS, measure } = require('./measure');

const { values: options } = parseArgs({
  options: { base: { type: 'string' }, mib: { type: 'string', default: '200' }, runs: { type: 'string', default: '5' }, command: { type: 'string', default: 'check' } },
});
if (!options.base || !fs.existsSync(options.base)) throw new Error('--base must name the other build\'s dist/cli.js');
const builds = { base: path.resolve(options.base), new: path.join(__dirname, '..', 'dist', 'cli.js') };
const RUNS = Number(options.runs);

console.log(`| input | grep -cE | ${options.command} base | ${options.command} new | new / base |`);
console.log('| --- | --- | --- | --- | --- |');
for (const kind of ['noisy', 'dense']) {
  const file = generatedInput(kind, Number(options.mib));
  const runs = { grep: [], base: [], new: [] };
  for (let r = 0; r < RUNS; r++) {
    runs.grep.push(measure('grep', ['-cE', KEYWORDS, file], { env: { LC_ALL: 'C' }, captureStdout: true }));
    // Which build goes first alternates too.
    const order = r % 2 === 0 ? ['base', 'new'] : ['new', 'base'];
    for (const name of order) runs[name].push(measure('node', [builds[name], options.command, file, '--format', 'json'], { okStatus: [0, 1] }));
  }
  const [grep, base, next] = [best(runs.grep), best(runs.base), best(runs.new)];
  const cell = (m) => `${m.seconds.toFixed(2)} s (${(m.seconds / grep.seconds).toFixed(1)}× grep, ${m.rssMiB.toFixed(0)} MiB)`;
  console.log(`| ${kind} ${options.mib} MiB | ${grep.seconds.toFixed(2)} s | ${cell(base)} | ${cell(next)} | ${(next.seconds / base.seconds).toFixed(2)} |`);
}
