// npm run bench:stdin: `check` on the same generated noisy log given by path, piped into standard
// input, and piped in gzip'd: time and peak RSS, taking turns in one run, for the JSON report
// (one reading) and the text report (a second one, for quotes).
//   node bench/stdin.js [--mib N] [--runs N]
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pipeline } = require('node:stream/promises');
const { parseArgs } = require('node:util');
const { createGzip } = require('node:zlib');
const { best, generatedInput, measure } = require('./measure');

const { values: options } = parseArgs({ options: { mib: { type: 'string', default: '200' }, runs: { type: 'string', default: '3' } } });
const MIB = Number(options.mib);
const RUNS = Number(options.runs);
const cli = path.join(__dirname, '..', 'dist', 'cli.js');

async function gzipped(file) {
  const gz = `${file}.gz`;
  if (!fs.existsSync(gz)) {
    process.stderr.write(`compressing ${gz} …\n`);
    await pipeline(fs.createReadStream(file), createGzip(), fs.createWriteStream(gz));
  }
  return gz;
}

async function main() {
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js missing: run npm run build first');
  const file = generatedInput('noisy', MIB);
  const gz = await gzipped(file);
  // check exits 1 when it reports an error finding: that is a result, not a failure. The JSON
  // report reads a single input once; the text report reads it again to quote its evidence,
  // which for a pipe means keeping a copy of it (src/node/inputs.ts).
  const check = (format, source, stdin) => () => measure('node', [cli, 'check', source, '--format', format], { okStatus: [0, 1], stdin });
  const ways = [
    ['by path', 'json', check('json', file)],
    ['on standard input', 'json', check('json', '-', file)],
    ['gzip on standard input', 'json', check('json', '-', gz)],
    ['by path', 'text', check('text', file)],
    ['on standard input (copied to quote)', 'text', check('text', '-', file)],
    ['gzip on standard input (copied to quote)', 'text', check('text', '-', gz)],
  ];
  const runs = ways.map(() => []);
  // Taking turns: each way sees the same moments of a machine whose speed drifts.
  for (let r = 0; r < RUNS; r++) for (const [i, [, , run]] of ways.entries()) runs[i].push(run());
  const mib = fs.statSync(file).size / 2 ** 20;
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`\nHotplug Lens standard input benchmark — ${os.cpus().length} × ${cpu}, Node ${process.version}, best of ${RUNS}`);
  console.log(`check on the noisy log (${mib.toFixed(0)} MiB; ${(fs.statSync(gz).size / 2 ** 20).toFixed(1)} MiB gzip'd)\n`);
  console.log('| input | --format | time | throughput | peak RSS (max of runs) |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const [i, [name, format]] of ways.entries()) {
    const m = best(runs[i]);
    const rss = Math.max(...runs[i].map((x) => x.rssMiB));
    console.log(`| ${name} | ${format} | ${m.seconds.toFixed(2)} s | ${Math.round(mib / m.seconds)} MiB/s | ${rss.toFixed(0)} MiB |`);
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
