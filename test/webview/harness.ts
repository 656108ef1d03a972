/**
 * Runs the built timeline page (media/build/timeline.js) in headless Chromium as VS Code
 * would: served with the webview's CSP, talking through `acquireVsCodeApi`, answered by the
 * same host code the extension runs (core Timeline + protocol answer + validation) over a
 * real message boundary. Records what the page posts, and any dialog, console error or CSP
 * violation, so that tests can assert nothing ran that should not have.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { analyzeForViews } from '../../src/core/analyze-for-views';
import { Timeline } from '../../src/core/store/timeline';
import { fileSource } from '../../src/node/inputs';
import { lineAt } from '../../src/node/line-at';
import { inlineJson } from '../../src/node/report';
import { answer } from '../../src/protocol/timeline-answer';
import { type HostMessage, parseViewMessage, type ViewMessage } from '../../src/protocol/timeline';
import { timelinePage, webviewCsp } from '../../src/protocol/timeline-page';
import { ROOT } from '../helpers/cli';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (scripts/e2e-setup.sh does) or set CHROMIUM`);
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
}

/** What a page did that a test may assert on. */
export interface Watch {
  posted: ViewMessage[];
  dialogs: string[];
  consoleErrors: string[];
  requests: string[];
}

export function watch(page: Page): Watch {
  const w: Watch = { posted: [], dialogs: [], consoleErrors: [], requests: [] };
  page.on('dialog', (d) => {
    w.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') w.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => w.consoleErrors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => w.requests.push(r.url()));
  return w;
}

export interface Hosted {
  page: Page;
  watch: Watch;
  timeline: Timeline;
  inputs: string[];
  close(): Promise<void>;
}

/**
 * Serves the timeline for `files` (analysed here, as the extension's worker would) and opens it.
 * The page's messages cross into Node through a binding; replies go back as JSON with typed
 * arrays in base64 (VS Code's channel keeps them binary; either way the page gets typed arrays).
 */
export async function openTimeline(browser: Browser, files: string[], size = { width: 1400, height: 800 }): Promise<Hosted> {
  const sources = await Promise.all(files.map((f) => fileSource(f)));
  const { timeline: data } = await analyzeForViews(sources);
  return openTimelineOf(browser, new Timeline(data), files, size);
}

/** Something that opens pages: a browser, or a browser context (the benchmark's). */
export interface PageOpener {
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<Page>;
}

/** The same for a timeline already built (`files` are read for line texts when given). */
export async function openTimelineOf(browser: PageOpener, timeline: Timeline, files: string[], size = { width: 1400, height: 800 }): Promise<Hosted> {
  const nonce = randomBytes(16).toString('hex');
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/') {
      const origin = `http://${req.headers.host}`;
      const page = timelinePage({
        csp: webviewCsp(origin, nonce),
        title: `Timeline: ${files.map((f) => f.split('/').pop()).join(' + ') || 'generated run'}`,
        styles: `<link rel="stylesheet" href="/media/timeline.css">`,
        scripts: `<script nonce="${nonce}">${FAKE_VSCODE_API}</script>\n<script nonce="${nonce}" src="/media/build/timeline.js"></script>`,
      });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      return;
    }
    // Chromium asks for one on its own; a webview has none.
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const file = join(ROOT, 'media', url.pathname.replace(/^\/media\//, ''));
    if (!url.pathname.startsWith('/media/') || file.includes('..') || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream';
    res.writeHead(200, { 'content-type': type }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const page = await browser.newPage({ viewport: size });
  const w = watch(page);
  const send = (m: HostMessage) => page.evaluate((json) => (window as unknown as { __fromHost(j: string): void }).__fromHost(json), inlineJson(m as never)).catch(() => undefined);
  await page.exposeFunction('__toHost', async (json: string) => {
    const raw: unknown = JSON.parse(json, (_k, v: unknown) => (v && typeof v === 'object' && '$rows' in v ? Uint32Array.from((v as { $rows: number[] }).$rows) : v));
    const message = parseViewMessage(raw);
    if (!message) return;
    w.posted.push(message);
    if (message.type === 'ready') await send({ type: 'meta', meta: timeline.meta(), title: 'test run', canReplay: true, run: files });
    else if ('id' in message) {
      const body = await answer(timeline, message, (ref) => (files[ref.input] ? lineAt(files[ref.input], ref.offset) : undefined));
      await send({ type: 'reply', id: message.id, request: message.type, body });
    }
  });
  await page.goto(`http://127.0.0.1:${port}/`);
  return {
    page,
    watch: w,
    timeline,
    inputs: files,
    close: async () => {
      await page.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * `acquireVsCodeApi` as the page sees it in VS Code: postMessage out, `message` events in,
 * state kept. Messages out are JSON with typed rows spelled out; in, typed arrays are revived.
 */
const FAKE_VSCODE_API = `
(() => {
  let state;
  const TYPED = { Int16Array, Int32Array, Uint8Array, Uint16Array, Uint32Array, Float64Array };
  const revive = (k, v) => {
    if (!v || typeof v !== 'object' || !('$typed' in v)) return v;
    const bin = atob(v.base64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new TYPED[v.$typed](bytes.buffer);
  };
  window.__fromHost = (json) => window.dispatchEvent(new MessageEvent('message', { data: JSON.parse(json, revive) }));
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__toHost(JSON.stringify(m, (k, v) => (v instanceof Uint32Array ? { $rows: Array.from(v) } : v))),
    getState: () => state,
    setState: (s) => { state = s; },
  });
})();
`;

/** Waits until `predicate` (run in the page, as a function: the page's CSP forbids eval) is true. */
export async function until(page: Page, predicate: (arg: string) => boolean, arg = '', timeout = 10_000): Promise<void> {
  await page.waitForFunction(predicate, arg, { timeout });
}

/** The page's timeline, as tests may use it. */
export interface AppView {
  describe(): { rows: number; start: number; end: number; cursor?: number; selectedFinding?: number; windowRows: number; rowLabels: string[] };
  locate(row: string, time: number): { x: number; y: number } | undefined;
  stats: { frames: number; windows: number };
}

/** True once the page has drawn with a window of data and listed its findings (which waits for that picture). */
export function drawn(): boolean {
  const a = (window as unknown as { timelineApp?: AppView }).timelineApp;
  return !!a && a.stats.windows > 0 && a.stats.frames > 1 && (document.getElementById('findings')?.childElementCount ?? 0) > 0;
}

/** Counts canvas pixels (in CSS-pixel rows/cols sampled) per RGB colour of `colours` (hex). */
export async function colourCounts(page: Page, colours: Record<string, string>): Promise<Record<string, number>> {
  return page.evaluate((wanted) => {
    const canvas = document.getElementById('timeline') as HTMLCanvasElement;
    const ctx = canvas.getContext('2d');
    if (!ctx) return {};
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const rgb = Object.fromEntries(Object.entries(wanted).map(([k, hex]) => [k, [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))]));
    const counts: Record<string, number> = Object.fromEntries(Object.keys(wanted).map((k) => [k, 0]));
    for (let i = 0; i < data.length; i += 4) {
      for (const [k, [r, g, b]] of Object.entries(rgb)) {
        if (Math.abs(data[i] - r) <= 2 && Math.abs(data[i + 1] - g) <= 2 && Math.abs(data[i + 2] - b) <= 2) counts[k] += 1;
      }
    }
    return counts;
  }, colours);
}
