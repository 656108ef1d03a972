// Runs extension tests inside code-server's real Node extension host; headless chromium only plays
// the window. The workbench URL carries ?payload=[["extensionDevelopmentPath",…],["extensionTestsPath",…]]
// (honoured because code-server.sh starts code-server with enable-smoke-test-driver). When the
// tests module's run() settles, VS Code calls window.codeAutomationExit(code); the extension host's
// console arrives through window.codeAutomationLog.
//
// usage: node run-ext-tests.cjs <extensionDevelopmentPath> <extensionTestsPath> [folder]
// env:   E2E_DIR, CS_PORT, CHROMIUM (default /usr/bin/chromium), TEST_TIMEOUT_MS (default 300000),
//        EXT_ENV (JSON of variables for the extension host), FORWARD_ENV (names to copy into it),
//        E2E_SCREENSHOT (where a PNG of the window goes when a test prints [[e2e-screenshot]]),
//        E2E_SHOT_DIR (where [[e2e-shot NAME.png]] pictures go; default: E2E_SCREENSHOT's folder), E2E_VERBOSE=1
// A test may also print [[e2e-timeline-click {"row": KEY, "time": T}]]: the harness clicks the timeline
// webview's canvas where that row and time are drawn, as a user would (the page's own layout says where).
// [[e2e-input {"steps": [...], "ack": PATH}]]: real input, step by step: {"click": {"row", "time"}} on the
// timeline's canvas, {"click": SELECTOR} on an element of the timeline page, {"press": KEY} and {"type": TEXT} on the
// keyboard wherever the focus is; then PATH is written, so that the test knows the input is done.
// exit:  the tests' exit code; 2 on timeout; 1 when the harness fails
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const util = require('util');

const E2E_DIR = path.resolve(process.env.E2E_DIR || '.e2e');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const BASE = `http://127.0.0.1:${process.env.CS_PORT || 8123}`;
const TIMEOUT_MS = Number(process.env.TEST_TIMEOUT_MS || 300000);
// Routine workbench chatter (and the failed marketplace lookups of an offline machine).
const NOISE = [/ENOTFOUND/, /^Resolv(ing|ed) connection token/, /^Creating a socket/, /^\[reconnection-grace-time\]/,
  /^Updating additional builtin extensions cache/, /^\[Service Worker\]/, /^\[AgentHost/, /^\[AccountPolicyGate\]/];

/** What a test prints to have the window photographed (into E2E_SCREENSHOT) there and then. */
const SCREENSHOT_MARK = '[[e2e-screenshot]]';
/** [[e2e-shot NAME.png]]: a named picture of the window. */
const SHOT_MARK = /^\[\[e2e-shot ([\w.-]+\.png)\]\]$/;
/** [[e2e-timeline-click {...}]]: a real click into the timeline webview. */
const CLICK_MARK = /^\[\[e2e-timeline-click (\{.*\})\]\]$/;
/** [[e2e-input {...}]]: clicks and keys, in order, then an acknowledgement file. */
const INPUT_MARK = /^\[\[e2e-input (\{.*\})\]\]$/;

/** The frame (webviews nest two deep) whose page runs the timeline. */
async function timelineFrame(page) {
  for (const frame of page.frames()) {
    const found = await frame.evaluate(() => typeof window.timelineApp === 'object').catch(() => false);
    if (found) return frame;
  }
  return undefined;
}

async function clickTimeline(page, request) {
  const frame = await timelineFrame(page);
  if (!frame) return console.error('[run-ext-tests] no timeline webview to click');
  // As a user would first scroll to it: the time into view (centred when outside), then the click.
  const at = await frame.evaluate(({ row, time }) => {
    window.timelineApp.view.reveal(time);
    window.timelineApp.drawNow();
    return window.timelineApp.locate(row, time);
  }, request);
  if (!at) return console.error(`[run-ext-tests] the timeline has no row ${request.row}`);
  if (process.env.E2E_VERBOSE) console.log(`[run-ext-tests] clicking the timeline at ${JSON.stringify(at)}, canvas at ${JSON.stringify(await frame.locator('#timeline').boundingBox())}`);
  // force: the workbench lays webviews over the editor as separate overlays, which Playwright's
  // hit test of nested frames can take for something covering the canvas; the mouse still goes there.
  await frame.locator('#timeline').click({ position: { x: Math.round(at.x), y: Math.round(at.y) }, force: true, timeout: 10_000 })
    .catch((e) => console.error(`[run-ext-tests] timeline click failed: ${String(e).split('\n')[0]}`));
}

async function realInput(page, { steps, ack }) {
  for (const step of steps) {
    if (typeof step.click === 'string') {
      const frame = await timelineFrame(page);
      if (frame) await frame.locator(step.click).click({ force: true, timeout: 10_000 }).catch((e) => console.error(`[run-ext-tests] click on ${step.click} failed: ${String(e).split('\n')[0]}`));
      else console.error('[run-ext-tests] no timeline webview to click');
    } else if (step.click) {
      await clickTimeline(page, step.click);
    } else if (step.press) {
      await page.keyboard.press(step.press);
    } else if (step.type) {
      await page.keyboard.type(step.type, { delay: 30 });
    }
    // What a key or click sets off (a reveal, a focus change) crosses two frames and the extension host.
    await page.waitForTimeout(300);
  }
  fs.writeFileSync(ack, 'done');
}

const [devArg, testsArg, folderArg] = process.argv.slice(2);
if (!devArg || !testsArg) {
  console.error('usage: node run-ext-tests.cjs <extensionDevelopmentPath> <extensionTestsPath> [folder]');
  process.exit(1);
}
const remoteUri = (p) => `vscode-remote://${new URL(BASE).host}${path.resolve(p).split('/').map(encodeURIComponent).join('/')}`;

// The extension host is code-server's child, not ours: its variables travel in the payload.
const extEnv = JSON.parse(process.env.EXT_ENV || '{}');
for (const name of (process.env.FORWARD_ENV || '').split(',').map((s) => s.trim())) {
  if (name && process.env[name] !== undefined) extEnv[name] = process.env[name];
}
const payload = [['extensionDevelopmentPath', remoteUri(devArg)], ['extensionTestsPath', remoteUri(testsArg)], ['skipWelcome', 'true']];
if (Object.keys(extEnv).length) payload.push(['extensionEnvironment', JSON.stringify(extEnv)]);
const where = folderArg ? `folder=${encodeURIComponent(path.resolve(folderArg))}` : 'ew=true';
const url = `${BASE}/?${where}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

let finish;
const finished = new Promise((resolve) => (finish = resolve));
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) process.on(signal, () => finish(code));

async function main() {
  const t0 = Date.now();
  try {
    await fetch(`${BASE}/healthz`);
  } catch {
    console.error(`[run-ext-tests] no code-server at ${BASE}: start it with scripts/code-server.sh start`);
    return 1;
  }
  const { chromium } = require(path.join(E2E_DIR, 'pw/node_modules/playwright-core'));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hpl-chromium-'));
  let ctx;
  try {
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 800 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    });
    const page = ctx.pages()[0] || (await ctx.newPage());
    const timer = setTimeout(() => {
      console.error(`[run-ext-tests] timeout after ${TIMEOUT_MS} ms (was code-server started with enable-smoke-test-driver?)`);
      finish(2);
    }, TIMEOUT_MS);
    page.on('pageerror', (e) => console.error('[page error]', String(e).slice(0, 300)));
    await page.exposeFunction('codeAutomationLog', async (type, args) => {
      const text = util.format(...(Array.isArray(args) ? args : [args]));
      // A test that has set the window up asks for its picture while the extension host still runs.
      if (text === SCREENSHOT_MARK) {
        if (process.env.E2E_SCREENSHOT) await page.screenshot({ path: process.env.E2E_SCREENSHOT });
        return;
      }
      const shot = SHOT_MARK.exec(text);
      const shotDir = process.env.E2E_SHOT_DIR || (process.env.E2E_SCREENSHOT && path.dirname(process.env.E2E_SCREENSHOT));
      if (shot) {
        if (shotDir) await page.screenshot({ path: path.join(shotDir, shot[1]) });
        return;
      }
      const click = CLICK_MARK.exec(text);
      if (click) return clickTimeline(page, JSON.parse(click[1]));
      const input = INPUT_MARK.exec(text);
      if (input) return realInput(page, JSON.parse(input[1]));
      if (process.env.E2E_VERBOSE || !NOISE.some((re) => re.test(text))) (type === 'error' ? console.error : console.log)(text);
    });
    await page.exposeFunction('codeAutomationExit', (code) => finish(code));
    await Promise.race([page.goto(url), finished]);
    const code = await finished;
    clearTimeout(timer);
    console.error(`[run-ext-tests] exit code ${code} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return Number.isInteger(code) ? code : 1;
  } finally {
    if (ctx) await ctx.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (err) => { console.error('[run-ext-tests]', err); process.exit(1); });
