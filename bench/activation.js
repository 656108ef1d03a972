// npm run bench:activation — what Hotplug Lens costs VS Code's start, measured in code-server's
// real extension host (the .e2e/ harness of the integration tests):
//   - activation events: none that fire on start-up, only the log languages and the commands;
//   - activate() time in a fresh extension host (an empty window), over N windows, beside a
//     baseline in the same host: a round trip of a built-in command;
//   - the size of the bundle activation loads.
//   node bench/activation.js [--runs N]
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 5;
const pkg = require(path.join(root, 'package.json'));

const eager = pkg.activationEvents.filter((e) => e === '*' || e === 'onStartupFinished');
console.log(`activation events: ${pkg.activationEvents.join(', ')}${eager.length ? `  (EAGER: ${eager.join(', ')})` : ''}`);
console.log(`dist/extension.js: ${(fs.statSync(path.join(root, 'dist', 'extension.js')).size / 1024).toFixed(1)} KiB`);

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'hpl-activation-'));
const sh = (args) => spawnSync('bash', args, { cwd: root, encoding: 'utf8' });
const started = sh([path.join(root, 'scripts', 'code-server.sh'), 'start', folder]);
if (started.status !== 0) {
  console.error(started.stderr);
  process.exit(1);
}
const samples = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'run-ext-tests.cjs'), root, path.join(__dirname, 'vscode', 'activation-probe.js'), folder], { cwd: root, encoding: 'utf8' });
    const line = run.stdout.split('\n').find((l) => l.startsWith('[[activation]]'));
    if (!line) throw new Error(`no measurement from window ${i + 1}: ${run.stderr}`);
    samples.push(JSON.parse(line.slice('[[activation]]'.length)));
  }
} finally {
  sh([path.join(root, 'scripts', 'code-server.sh'), 'stop']);
  fs.rmSync(folder, { recursive: true, force: true });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const activate = samples.map((s) => s.activateMs);
const baseline = samples.map((s) => s.baselineMs);
console.log(`already active before activate(): ${samples.filter((s) => s.wasActive).length} of ${samples.length} windows`);
console.log(`activate(): median ${median(activate).toFixed(1)} ms, max ${Math.max(...activate).toFixed(1)} ms over ${samples.length} windows (target ≤ 50 ms)`);
const own = samples.map((s) => s.ownMs);
console.log(`  of which inside activate(): median ${median(own).toFixed(1)} ms, max ${Math.max(...own).toFixed(1)} ms (the rest: VS Code loading the module and making the context)`);
console.log(`baseline, a built-in command round trip: median ${median(baseline).toFixed(1)} ms`);
