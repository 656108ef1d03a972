// npm run bench: ingestion throughput and memory on two generated 200 MiB inputs, each beside
// a baseline measured in the same run (LC_ALL=C grep -cE of the subject keywords).
//   node bench/run.js [--mib N] [--runs N]
const { spawn, spawnSync } = require('node:child_process');
const { parseArgs } = require('node:util');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { dataDir, generatedInput, measure, best, KEYWORDS } = require('./measure');

const { values: options } = parseArgs({
  options: { mib: { type: 'string', default: '200' }, runs: { type: 'string', default: '5' }, 'scenario-mib': { type: 'string', default: '1024' } },
});
const MIB = Number(options.mib);
const RUNS = Number(options.runs);
const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');


/** Recognized records of `file`, from the summary that ends the text output (kept streaming). */
function countEvents(file) {
  return new Promise((resolve, reject) => {
    const child = spawn('node', [cli, 'events', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let tail = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text) => {
      tail = (tail + text).slice(-4096);
    });
    child.on('error', reject);
    child.on('close', (status) => {
      const m = /(\d+) recognized/.exec(tail);
      if (status !== 0 || !m) reject(new Error(`counting events of ${file} failed`));
      else resolve(Number(m[1]));
    });
  });
}

/**
 * A scenario-generated input of about `mib` MiB (guest + QEMU logs of a TD resized up and down
 * with traces on), for the memory bound of check at any size.
 */
function scenarioInput(mib) {
  const dir = path.join(dataDir, `scenario-${mib}`);
  const logs = ['guest.log', 'qemu.log', 'host.log'].map((f) => path.join(dir, f));
  if (logs.every((f) => fs.existsSync(f))) return logs;
  const shape = fs.readFileSync(path.join(__dirname, 'scenarios', 'big-tdx-cycles.scn'), 'utf8');
  const simulateWith = (cycles, out) => {
    // Beyond simulate's default budgets on purpose: twice the size wanted.
    const budgets = ['--max-bytes', `${2 * mib}M`, '--max-steps', '1000000000'];
    const r = spawnSync('node', [cli, 'simulate', '-', '--out', out, ...budgets], { input: shape.replace(/repeat \d+/, `repeat ${cycles}`) });
    if (r.status !== 0) throw new Error(`simulate failed: ${r.stderr}`);
  };
  const probe = path.join(dataDir, 'scenario-probe');
  simulateWith(100, probe);
  const perCycle = ['guest.log', 'qemu.log', 'host.log'].reduce((n, f) => n + fs.statSync(path.join(probe, f)).size, 0) / 100;
  process.stderr.write(`generating ${dir} (${mib} MiB) …\n`);
  simulateWith(Math.ceil((mib * 2 ** 20) / perCycle), dir);
  return logs;
}

async function main() {
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js missing: run npm run build first');
  const results = [];
  for (const kind of ['noisy', 'dense']) {
    const file = generatedInput(kind, MIB);
    const bytes = fs.statSync(file).size;
    // The three commands take turns, so that the baseline and each command see the same
    // moments of a machine whose speed drifts (a VM's can, by a third within minutes).
    const runs = { grep: [], events: [], check: [] };
    for (let r = 0; r < RUNS; r++) {
      runs.grep.push(measure('grep', ['-cE', KEYWORDS, file], { env: { LC_ALL: 'C' }, captureStdout: true }));
      runs.events.push(measure('node', [cli, 'events', file, '--format', 'json']));
      // check exits 1 when it reports an error finding: that is a result, not a failure.
      runs.check.push(measure('node', [cli, 'check', file, '--format', 'json'], { okStatus: [0, 1] }));
    }
    const [grep, events, check] = [best(runs.grep), best(runs.events), best(runs.check)];
    const recognized = kind === 'dense' ? await countEvents(file) : undefined;
    results.push({ kind, file: path.basename(file), mib: bytes / 2 ** 20, grep, events, check, recognized });
  }
  const bigMib = Number(options['scenario-mib']);
  const big = scenarioInput(bigMib);
  const bigBytes = big.reduce((n, f) => n + fs.statSync(f).size, 0);
  const bigCheck = measure('node', [cli, 'check', ...big, '--format', 'json'], { okStatus: [0, 1] });
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`\nHotplug Lens ingestion benchmark — ${os.cpus().length} × ${cpu}, Node ${process.version}, best of ${RUNS}\n`);
  console.log('| input | size | grep -cE (baseline) | command | time | ratio to grep | throughput | peak RSS |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    for (const [name, m] of [['events --format json', r.events], ['check --format json', r.check]]) {
      const ratio = m.seconds / r.grep.seconds;
      const throughput = r.recognized !== undefined ? `${Math.round(r.recognized / m.seconds / 1000)} k events/s` : `${Math.round(r.mib / m.seconds)} MiB/s`;
      console.log(
        `| ${r.kind} | ${r.mib.toFixed(0)} MiB | ${r.grep.seconds.toFixed(2)} s | ${name} | ${m.seconds.toFixed(2)} s | ${ratio.toFixed(1)}× | ${throughput} | ${m.rssMiB.toFixed(0)} MiB |`,
      );
    }
  }
  console.log(
    `| scenario (guest + QEMU) | ${(bigBytes / 2 ** 20).toFixed(0)} MiB | — | check --format json | ${bigCheck.seconds.toFixed(2)} s | — | ${Math.round(bigBytes / 2 ** 20 / bigCheck.seconds)} MiB/s | ${bigCheck.rssMiB.toFixed(0)} MiB |`,
  );
  console.log('\nTargets: noisy ≤ 5× grep (events and check); dense ≥ 250 k events/s (events), ≥ 300 k events/s (check);');
  console.log('peak RSS ≤ 300 MiB (events), ≤ 400 MiB (check).');
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
