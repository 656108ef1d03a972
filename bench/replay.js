// npm run bench:replay: the replay cursor on a generated trace of about 1 M events. Measures
// step forward, step back and seeks to random positions (median, p95), the memory the
// snapshots take, with the snapshot interval used, beside a baseline measured in the same run:
// one plain replay of the whole trace (what `check` does after parsing).
//   node --expose-gc bench/replay.js [--events N] [--interval K]... [--samples N] [--scenario FILE]
const { spawnSync } = require('node:child_process');
const { parseArgs } = require('node:util');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

// The compiled core (npm run compile-tests puts it in out/).
const { loadTrace } = require('../out/src/core/replay/trace.js');
const { ReplayCursor, DEFAULT_INTERVAL } = require('../out/src/core/replay/cursor.js');
const { Analyzer } = require('../out/src/core/diagnose/analyzer.js');
const { fileSource } = require('../out/src/node/inputs.js');

const { values: options } = parseArgs({
  options: {
    interval: { type: 'string', multiple: true, default: [] },
    events: { type: 'string', default: '1000000' },
    samples: { type: 'string', default: '2000' },
    scenario: { type: 'string', default: path.join(__dirname, 'scenarios', 'big-tdx-cycles.scn') },
    // Set by the parent for the process that measures one interval.
    child: { type: 'string' },
  },
});
const intervals = options.interval.map(Number);
const EVENTS = Number(options.events);
const SAMPLES = Number(options.samples);
const SCENARIO = options.scenario;
const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const dataDir = path.join(__dirname, 'data');

/** A scenario's shape repeated until it writes about `events` events: guest + QEMU (+ host) logs. */
function generate(events) {
  const shape = fs.readFileSync(SCENARIO, 'utf8');
  const name = path.basename(SCENARIO, '.scn');
  const dir = path.join(dataDir, `replay-${name}-${events}`);
  const logs = ['guest.log', 'qemu.log', 'host.log'].map((f) => path.join(dir, f));
  if (logs.every((f) => fs.existsSync(f))) return logs;
  const simulateWith = (cycles, out) => {
    // Beyond simulate's default budgets on purpose: 1 KiB an event wanted, ten times a line.
    const budgets = ['--max-bytes', `${Math.max(events, 64)}K`, '--max-steps', '1000000000'];
    const r = spawnSync('node', [cli, 'simulate', '-', '--out', out, ...budgets], { input: shape.replace(/repeat \d+/, `repeat ${cycles}`) });
    if (r.status !== 0) throw new Error(`simulate failed: ${r.stderr}`);
  };
  // One cycle's worth of lines, from a 10-cycle probe (every generated line is one event).
  const probe = path.join(dataDir, `replay-probe-${name}`);
  simulateWith(10, probe);
  const lines = ['guest.log', 'qemu.log', 'host.log'].reduce((n, f) => n + fs.readFileSync(path.join(probe, f), 'utf8').split('\n').length - 1, 0);
  process.stderr.write(`generating ${dir} …\n`);
  simulateWith(Math.ceil(events / (lines / 10)), dir);
  return logs;
}

const ms = (t0) => performance.now() - t0;
function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: at(0.5), p95: at(0.95), max: s[s.length - 1] };
}
const fmt = (x) => `${x.toFixed(2)} ms`;
/** Heap plus the typed arrays' backing stores (which live outside the heap), after a collection. */
const heapMiB = () => {
  global.gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
};

/** Deterministic positions (mulberry32), so every interval sees the same seeks. */
function positions(n, count, seed = 42) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => Math.floor(next() * (n + 1)));
}

/** One interval, in a process of its own so that the memory figures see nothing of the others. */
async function measureInterval(logs, interval) {
  const trace = await loadTrace(await Promise.all(logs.map((f) => fileSource(f))));
  const n = trace.events.length;
  const heap0 = heapMiB();
  const cursor = new ReplayCursor(trace, { interval });
  let t0 = performance.now();
  cursor.seek(n);
  const firstPassMs = ms(t0);
  const heapSnapshots = heapMiB() - heap0;
  const { snapshots, bytes } = cursor.memory;
  const seeks = [];
  for (const p of positions(n, SAMPLES)) {
    t0 = performance.now();
    cursor.seek(p);
    seeks.push(ms(t0));
  }
  const forwards = [];
  const backs = [];
  for (const p of positions(n - 1, SAMPLES, 7)) {
    cursor.seek(p + 1);
    t0 = performance.now();
    cursor.back();
    backs.push(ms(t0));
    t0 = performance.now();
    cursor.forward();
    forwards.push(ms(t0));
  }
  const [f, b, s] = [stats(forwards), stats(backs), stats(seeks)];
  const used = cursor.memory.interval !== interval ? ` (thinned to ${cursor.memory.interval})` : '';
  console.log(
    `| ${interval}${used} | ${(firstPassMs / 1000).toFixed(2)} s | ${snapshots} | ${(bytes / 2 ** 20).toFixed(1)} MiB / ${heapSnapshots.toFixed(1)} MiB | ${fmt(f.median)} · ${fmt(f.p95)} | ${fmt(b.median)} · ${fmt(b.p95)} | ${fmt(s.median)} · ${fmt(s.p95)} · ${fmt(s.max)} |`,
  );
}

async function main() {
  const child = options.child;
  if (child !== undefined) return measureInterval(generate(EVENTS), Number(child));
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js missing: run npm run build first');
  const logs = generate(EVENTS);
  let t0 = performance.now();
  const heapBefore = heapMiB();
  const trace = await loadTrace(await Promise.all(logs.map((f) => fileSource(f))));
  const loadMs = ms(t0);
  const traceMiB = heapMiB() - heapBefore;
  const n = trace.events.length;

  // Baseline: the whole trace through a bare analyzer once, no cursor, no snapshots.
  t0 = performance.now();
  const bare = new Analyzer();
  for (const e of trace.events) bare.event(e);
  bare.finish();
  const baselineMs = ms(t0);

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`\nHotplug Lens replay benchmark — ${os.cpus().length} × ${cpu}, Node ${process.version}`);
  console.log(`trace: ${path.basename(SCENARIO)} repeated, ${n} events; parsed and merged in ${(loadMs / 1000).toFixed(1)} s, ${traceMiB.toFixed(0)} MiB of events in memory`);
  console.log(`baseline: one plain replay of the whole trace ${(baselineMs / 1000).toFixed(2)} s (${((baselineMs * 1000) / n).toFixed(2)} µs an event)\n`);
  console.log('| snapshot interval | first pass (snapshots taken) | snapshots | snapshot memory (estimate / heap + buffers) | step forward median · p95 | step back median · p95 | seek median · p95 · max |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const interval of intervals.length > 0 ? intervals : [DEFAULT_INTERVAL]) {
    const passOn = ['--events', String(EVENTS), '--samples', String(SAMPLES), '--scenario', SCENARIO, '--child', String(interval)];
    const r = spawnSync(process.execPath, ['--expose-gc', __filename, ...passOn], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error(`interval ${interval} failed`);
  }
  console.log(`\nTargets: step forward/back and seek median ≤ 10 ms; snapshot memory ≤ 100 MB. ${SAMPLES} samples each, random positions.`);
}

main().catch((error) => {
  console.error(error.stack || error.message);
  process.exit(1);
});
