// npm run bench:timeline — the timeline webview on 1 M state intervals over 16 384 lanes, in
// headless Chromium: a standalone report (the same page and bundle as the webview, which
// answers its own requests with the core Timeline) of a synthetic run (bench/timeline/data.js),
// beside a naive renderer measured in the same page on the same frames (every interval in
// view, one fillRect each):
//   - first paint: page load → first frame with data, and data arrived (embedded JSON parsed
//     into typed arrays) → first frame with data; over N loads;
//   - pan and zoom frames (median, p95), fully zoomed out and at a mid zoom, memory blocks
//     collapsed (the default at this size) and everything expanded; a frame = drawNow() plus
//     the rasterisation of what it drew (a 1-pixel read-back);
//   - window queries: how often a frame asked for one, and what one costs;
//   - memory: JS heap after GC (CDP) and the renderer process's RSS (/proc).
//   node bench/timeline.js [--loads N] [--frames N] [--width W --height H]
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { performance } = require('node:perf_hooks');
const { chromium } = require('playwright-core');

const { values: options } = parseArgs({
  options: {
    loads: { type: 'string', default: '5' },
    frames: { type: 'string', default: '200' },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '900' },
  },
});
const LOADS = Number(options.loads);
const FRAMES = Number(options.frames);
const WIDTH = Number(options.width);
const HEIGHT = Number(options.height);
const root = path.join(__dirname, '..');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

const { makeTimelineData } = require('./timeline/data');
const { reportHtml } = require('../out/src/node/report.js');
const { Timeline } = require('../out/src/core/store/timeline.js');

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const quantile = (xs, q) => {
  const s = sorted(xs);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const median = (xs) => quantile(xs, 0.5);
const p95 = (xs) => quantile(xs, 0.95);
const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 2 : 1)} ms` : '—');
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const sleep = (t) => new Promise((resolve) => setTimeout(resolve, t));

/** Processes descending from the browser started with `tag` in its command line: pid → {type, rss}. */
function browserProcesses(tag) {
  const procs = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${name}/status`, 'utf8'));
      procs.push({ pid: Number(name), ppid, cmdline, rss: rss ? Number(rss[1]) * 1024 : 0 });
    } catch {
      // gone meanwhile
    }
  }
  const top = procs.find((p) => p.cmdline.includes(tag));
  if (!top) return [];
  const mine = new Set([top.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) if (!mine.has(p.pid) && mine.has(p.ppid)) mine.add(p.pid), (grew = true);
  }
  return procs
    .filter((p) => mine.has(p.pid))
    // A child may rewrite its command line into one string: look for --type= anywhere in it.
    .map((p) => ({ pid: p.pid, rss: p.rss, type: /--type=([\w-]+)/.exec(p.cmdline.join(' '))?.[1] ?? 'browser' }));
}

async function memory(page, cdp, tag) {
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await sleep(200);
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name) => metrics.find((m) => m.name === name)?.value ?? NaN;
  const procs = browserProcesses(tag);
  const renderers = procs.filter((p) => p.type === 'renderer').sort((a, b) => b.rss - a.rss);
  return {
    heapUsed: metric('JSHeapUsedSize'),
    heapTotal: metric('JSHeapTotalSize'),
    renderer: renderers[0]?.rss ?? NaN,
    gpu: procs.filter((p) => p.type === 'gpu-process').reduce((n, p) => n + p.rss, 0),
    all: procs.reduce((n, p) => n + p.rss, 0),
  };
}

async function main() {
  // 1. The data, and the report page that holds it.
  let began = performance.now();
  const { timeline, lines, classOfTuple } = makeTimelineData();
  const s = timeline.intervals;
  const generated = performance.now() - began;
  began = performance.now();
  const html = await reportHtml({ title: 'timeline bench: 1 M intervals', timeline, lines }, path.join(root, 'media'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hpl-timeline-bench-'));
  const file = path.join(dir, 'report.html');
  fs.writeFileSync(file, html);
  console.log(
    `data: ${s.start.length.toLocaleString('en')} intervals over ${s.lanes.toLocaleString('en')} lanes (${s.devices.length} devices × ${s.devices[0].count} subblocks of ` +
      `${s.devices[0].subblockSize / 1048576} MiB, ${s.devices[0].memoryBlockSize / s.devices[0].subblockSize} per memory block), ${timeline.history.count.toLocaleString('en')} changes, ` +
      `${timeline.events.count.toLocaleString('en')} events, ${timeline.findings.length} findings over ${((s.t1 - s.t0) / 1e6 / 60).toFixed(0)} min; ` +
      `built in ${(generated / 1000).toFixed(1)} s; report ${(html.length / 1048576).toFixed(1)} MiB written in ${(performance.now() - began).toFixed(0)} ms`,
  );

  const tag = `--hpl-timeline-bench=${process.pid}`;
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', tag] });
  const results = { loads: [], scenarios: [] };
  try {
    const context = await browser.newContext({ viewport: { width: WIDTH, height: HEIGHT }, deviceScaleFactor: 1 });
    await context.addInitScript({ path: path.join(__dirname, 'timeline', 'page.js') });
    const errors = [];

    // The same page on a tiny run (64 lanes, 1000 intervals): what the page costs without the
    // data — about what a VS Code webview holds, whose data stays in the extension host.
    const small = makeTimelineData({ devices: 1, lanesPerDevice: 64, intervals: 1000, seconds: 600 });
    const smallFile = path.join(dir, 'small.html');
    fs.writeFileSync(smallFile, await reportHtml({ title: 'timeline bench: tiny run', timeline: small.timeline, lines: small.lines }, path.join(root, 'media')));
    {
      const p = await context.newPage();
      await p.goto(`file://${smallFile}`);
      for (let waited = 0; !(await p.evaluate(() => window.timelineApp?.stats.firstPaintAt > 0)); waited += 50) {
        if (waited > 60_000) throw new Error('the tiny report never painted');
        await sleep(50);
      }
      await p.evaluate(() => window.__hplBench.settle());
      results.memorySmall = await memory(p, await context.newCDPSession(p), tag);
      await p.close();
    }

    // The full run as a VS Code webview holds it: the page served under the webview's CSP, its
    // store in Node (the extension host's side, answered by the same code as the extension's),
    // after pan and zoom frames over the whole run and at mid zoom.
    {
      const { openTimelineOf, drawn } = require(path.join(root, 'out', 'test', 'webview', 'harness.js'));
      const hosted = await openTimelineOf(context, new Timeline(timeline), [], { width: WIDTH, height: HEIGHT });
      await hosted.page.waitForFunction(drawn, undefined, { timeout: 60_000 });
      for (const zoom of ['fit', 'mid']) {
        await hosted.page.evaluate(
          async ({ zoom, mid, span }) => {
            const app = window.timelineApp;
            if (zoom === 'fit') app.view.fit();
            else app.view.show(mid - span / 64, mid + span / 64, 0);
            await window.__hplBench.settle();
          },
          { zoom, mid: (s.t0 + s.t1) / 2, span: s.t1 - s.t0 },
        );
        for (const op of ['pan', 'zoom']) await hosted.page.evaluate((spec) => window.__hplBench.frames(spec), { op, frames: FRAMES, step: op === 'pan' ? 40 : 1.03, baseline: false });
      }
      await hosted.page.evaluate(() => window.__hplBench.settle());
      results.memoryWebview = await memory(hosted.page, await context.newCDPSession(hosted.page), tag);
      await hosted.close();
    }

    // 2. First paint, over LOADS fresh pages.
    let page;
    for (let i = 0; i < LOADS; i++) {
      if (page) await page.close();
      page = await context.newPage();
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(`file://${file}`, { waitUntil: 'commit' });
      let load;
      for (let waited = 0; waited < 120_000; waited += 20) {
        load = await page.evaluate(() => {
          const app = window.timelineApp;
          if (!app || !app.stats.firstPaintAt) return undefined;
          const parse = window.__hplBench.parses[0];
          const nav = performance.getEntriesByType('navigation')[0];
          return { phases: { ...window.__hplBench.phases }, firstPaintAt: app.stats.firstPaintAt, parseStart: parse?.start, parseEnd: parse?.end, domContentLoaded: nav?.domContentLoadedEventEnd, frames: app.stats.frames, windows: app.stats.windows, view: app.describe() };
        });
        if (load) break;
        await sleep(20);
      }
      if (!load) throw new Error(`no first paint within 120 s (errors: ${errors.join('; ')})`);
      if (load.parseEnd === undefined) throw new Error('the embedded data was not parsed through JSON.parse');
      results.loads.push(load);
    }
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    const view = results.loads[0].view;
    const cdp = await context.newCDPSession(page);
    const browserVersion = browser.version();

    // 3. Memory after load: the app alone.
    await page.evaluate(() => window.__hplBench.settle());
    results.memoryLoaded = await memory(page, cdp, tag);

    // 4. Frames: the app and the naive renderer, alternately, on the same frames.
    const intervalsRead = await page.evaluate((classes) => window.__hplBench.loadBaseline(classes), classOfTuple);
    if (intervalsRead !== s.start.length) throw new Error(`baseline read ${intervalsRead} intervals`);
    const core = new Timeline(timeline);
    const span = s.t1 - s.t0;
    const mid = s.t0 + span * 0.5;
    for (const rowsMode of ['collapsed', 'expanded']) {
      await page.evaluate((mode) => document.getElementById(mode === 'expanded' ? 'expand-all' : 'collapse-all').click(), rowsMode);
      for (const zoomMode of ['fit', 'mid']) {
        for (const op of ['pan', 'zoom']) {
          const setup = await page.evaluate(
            async ({ zoomMode, mid, span }) => {
              const app = window.timelineApp;
              if (zoomMode === 'fit') app.view.fit();
              else app.view.show(mid - span / 64, mid + span / 64, 0);
              const settled = await window.__hplBench.settle();
              return { settled, rows: app.state.rows.length, request: window.__hplBench.request(), start: app.view.start, end: app.view.end };
            },
            { zoomMode, mid, span },
          );
          if (!setup.settled) throw new Error(`${rowsMode} ${zoomMode}: the window never fitted`);
          const out = await page.evaluate((spec) => window.__hplBench.frames(spec), { op, frames: FRAMES, step: op === 'pan' ? 40 : 1.03, baseline: true });
          // The window the app asks for here, answered by the same core in Node (the extension host's side).
          const req = { t0: setup.request.t0, t1: setup.request.t1, bins: setup.request.bins, rows: Uint32Array.from(setup.request.rows) };
          const queryMs = [];
          for (let i = 0; i < 6; i++) {
            const a = performance.now();
            core.window(req);
            if (i > 0) queryMs.push(performance.now() - a);
          }
          results.scenarios.push({ rowsMode, zoomMode, op, rows: setup.rows, requestRows: req.rows.length / 2, requestLanes: lanesOf(req.rows), bins: req.bins, viewSeconds: (setup.end - setup.start) / 1e6, out, nodeQuery: median(queryMs) });
          process.stderr.write(`  ${rowsMode} ${zoomMode} ${op}: app ${ms(median(out.wall))} / naive ${ms(median(out.naive))}\n`);
        }
      }
    }
    await page.evaluate(() => {
      window.__hplBench.releaseBaseline();
      document.getElementById('collapse-all').click();
    });
    await page.evaluate(() => window.__hplBench.settle());
    results.memoryAfter = await memory(page, cdp, tag);
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    report(results, { browserVersion, view, html });
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function lanesOf(rows) {
  let n = 0;
  for (let i = 0; i < rows.length; i += 2) n += rows[i + 1] - rows[i];
  return n;
}

function report(results, { browserVersion }) {
  const cpus = os.cpus();
  console.log(`machine: ${cpus.length} × ${cpus[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, Chromium ${browserVersion} (headless), page ${WIDTH}×${HEIGHT} at DPR 1`);
  const loads = results.loads;
  const fromLoad = loads.map((l) => l.firstPaintAt);
  const fromData = loads.map((l) => l.firstPaintAt - l.parseEnd);
  const parse = loads.map((l) => l.parseEnd - l.parseStart);
  const toParse = loads.map((l) => l.parseStart);

  const rows = [];
  const row = (operation, xs, target, base, extra = '') => {
    const ratio = base && base.length ? `${(median(base) / median(xs)).toFixed(1)}×` : '—';
    rows.push([operation, ms(median(xs)), ms(p95(xs)), target, base && base.length ? `${ms(median(base))} / ${ms(p95(base))}` : '—', ratio, extra]);
  };
  const phase = (from, to) => ms(median(loads.map((l) => (l.phases[to] ?? NaN) - (from === 'parseEnd' ? l.parseEnd : l.phases[from] ?? NaN))));
  row(
    `first paint: data arrived (JSON parsed) → first frame with data, ${loads.length} loads`,
    fromData,
    '≤ 200 ms',
    null,
    `parsed → meta delivered ${phase('parseEnd', 'metaAt')}, load() ${phase('metaAt', 'loadedAt')}, → first draw (no data) ${phase('loadedAt', 'firstDrawAt')}, ` +
      `→ window asked ${phase('firstDrawAt', 'windowAskedAt')}, window query in page ${phase('windowAskedAt', 'windowAnsweredAt')}, ` +
      `→ reply delivered ${phase('windowAnsweredAt', 'windowArrivedAt')}, → first frame with data drawn ${ms(median(loads.map((l) => l.firstPaintAt - l.phases.windowArrivedAt)))}`,
  );
  row('first paint: page load (navigation) → first frame with data', fromLoad, '—', null, `of which HTML + script ${ms(median(toParse))}, JSON.parse + base64 ${ms(median(parse))}`);
  const all = { wall: [], frame: [], naive: [] };
  for (const sc of results.scenarios) {
    const o = sc.out;
    const frame = o.draw.map((d, i) => d + o.flush[i]);
    const fetches = o.fetched.reduce((n, f) => n + f, 0);
    const queries = o.query.filter((_, i) => o.fetched[i]);
    all.wall.push(...o.wall);
    all.frame.push(...frame);
    all.naive.push(...o.naive);
    const name = `${sc.op} ${sc.op === 'pan' ? '40 px' : '×1.03'}, ${sc.zoomMode === 'fit' ? 'whole run' : `mid zoom (${sc.viewSeconds.toFixed(0)} s)`}, ${sc.rowsMode} (${sc.rows} rows)`;
    row(`${name}: frame`, frame, 'med ≤ 8, p95 ≤ 16 ms', o.naive, `${fetches} window requests in ${o.draw.length} frames; naive ≤ ${o.naiveRects.toLocaleString('en')} rects/frame`);
    row(`${name}: frame + in-page window query (report)`, o.wall, '', o.naive, queries.length ? `query in page: median ${ms(median(queries))}, max ${ms(Math.max(...queries))}` : '');
    rows.push([`${name}: window query in Node (host side)`, ms(sc.nodeQuery), '', '', '', '', `${sc.requestRows} rows = ${sc.requestLanes.toLocaleString('en')} lanes × ${sc.bins} bins`]);
  }
  row('all pan and zoom frames (webview: draw + raster)', all.frame, 'med ≤ 8, p95 ≤ 16 ms', all.naive);
  row('all pan and zoom frames + in-page window queries (report)', all.wall, 'med ≤ 8, p95 ≤ 16 ms', all.naive);

  console.log('');
  console.log('| operation | median | p95 | target | naive baseline (median / p95) | ratio | notes |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log('');
  const m = (x) => `JS heap used ${mib(x.heapUsed)} (of ${mib(x.heapTotal)}), renderer RSS ${mib(x.renderer)}, GPU process RSS ${mib(x.gpu)}, all browser processes ${mib(x.all)}`;
  console.log(`memory after load (GC'd): ${m(results.memoryLoaded)}`);
  console.log(`memory after the frame loops (naive data released, GC'd): ${m(results.memoryAfter)}  (target ≤ 200 MB)`);
  console.log(`  the same page on a tiny run (64 lanes, 1000 intervals): ${m(results.memorySmall)}`);
  console.log(`memory as a VS Code webview holds this run (the store in Node, windows in the page; after ${4 * FRAMES} pan and zoom frames, GC'd): ${m(results.memoryWebview)}  (target ≤ 200 MB)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
