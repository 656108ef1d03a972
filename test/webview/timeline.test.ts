/**
 * The timeline page in headless Chromium, built bundle and real host logic: it draws the
 * example's rows, states and findings; a click asks the editor for the right line; the
 * keyboard walks findings; the filter narrows; hostile log text stays text.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ensureBuilt, ROOT } from '../helpers/cli';
import { makeTempDir } from '../helpers/tmp';
import { type AppView, colourCounts, drawn, type Hosted, launch, openTimeline, until } from './harness';

const EXAMPLE = join(ROOT, 'examples', 'tdx-replug-failure');
const FILES = [join(EXAMPLE, 'guest.log'), join(EXAMPLE, 'qemu.log')];
/** The dark fallbacks of media/timeline.css: the page has no VS Code theme around it here. */
const COLOURS = { stale: '#d55e00', unplugged: '#3a3d41', offline: '#cc79a7', error: '#f14c4c', warning: '#cca700' };

type App = AppView;

describe('timeline page in Chromium', function () {
  this.timeout(60_000);
  let browser: Browser;
  let hosted: Hosted;

  before(async () => {
    ensureBuilt();
    browser = await launch();
  });
  after(async () => browser?.close());

  describe('on the example', () => {
    before(async () => {
      hosted = await openTimeline(browser, FILES);
      await until(hosted.page, drawn);
    });
    after(async () => hosted?.close());

    it('draws the device and memory block rows, the states and the finding markers', async () => {
      const view = await hosted.page.evaluate(() => (window as unknown as { timelineApp: App }).timelineApp.describe());
      assert.equal(view.rowLabels[0], 'virtio5');
      assert.ok(view.rowLabels.includes('memory33'), view.rowLabels.join(' '));
      assert.equal(view.rows, 33, 'a device row and its 32 memory blocks (collapsed: 2048 subblocks)');
      const counts = await colourCounts(hosted.page, COLOURS);
      // Stale accepted memory (the cause), unplugged blocks, offline ones, and error and warning markers.
      for (const [name, n] of Object.entries(counts)) assert.ok(n > 30, `${name}: ${n} pixels`);
      mkdirSync(join(ROOT, 'out', 'screenshots'), { recursive: true });
      await hosted.page.screenshot({ path: join(ROOT, 'out', 'screenshots', 'timeline-webview.png') });
      assert.deepEqual(hosted.watch.dialogs, []);
      assert.deepEqual(hosted.watch.consoleErrors, []);
      assert.deepEqual(hosted.watch.posted.filter((m) => m.type === 'problem'), [], 'no CSP violation or error reported');
    });

    it('lists the findings beside the chart, with their code and line', async () => {
      const items = await hosted.page.locator('.finding').allTextContents();
      assert.equal(items.length, hosted.timeline.meta().findings.length);
      assert.match(items[0], /^HPL001guest\.log:22Accepting \[0x108000000, 0x110000000\) failed/);
    });

    it('posts a reveal of the line that set the state that was clicked', async () => {
      const meta = hosted.timeline.meta();
      const f = meta.findings[0];
      const block = meta.devices[0];
      const laneFrom = f.laneFrom;
      const row = `b:${block.device}:${Math.floor((block.base + (laneFrom - block.firstLane) * block.subblockSize) / block.memoryBlockSize)}`;
      // A second before the failed accept (clear of its marker): the state the unplug left behind.
      const time = f.time - 1_000_000;
      const expected = hosted.timeline.inspect(laneFrom, f.laneTo, time)?.setBy;
      assert.ok(expected, 'that state was set by a logged line');
      const at = await hosted.page.evaluate(([r, t]) => (window as unknown as { timelineApp: App }).timelineApp.locate(r as string, t as number), [row, time] as const);
      assert.ok(at);
      const before = hosted.watch.posted.length;
      await hosted.page.locator('#timeline').click({ position: { x: Math.round(at.x), y: Math.round(at.y) } });
      const link = `${expected.input === 0 ? 'guest.log' : 'qemu.log'}:${expected.line}`;
      await until(hosted.page, (text) => document.querySelector('#changes .line-link')?.textContent === text, link);
      const reveals = hosted.watch.posted.slice(before).filter((m) => m.type === 'reveal');
      assert.deepEqual(reveals, [{ type: 'reveal', input: expected.input, line: expected.line, focus: false }], 'a click shows the line and keeps the keyboard in the page');
      // The file:line link is the panel's "open line" action: it goes to the line.
      const beforeLink = hosted.watch.posted.length;
      await hosted.page.locator('#changes .line-link').click();
      await hosted.page.waitForTimeout(100);
      assert.deepEqual(hosted.watch.posted.slice(beforeLink).filter((m) => m.type === 'reveal'), [{ type: 'reveal', input: expected.input, line: expected.line, focus: true }]);
      const shown = await hosted.page.locator('#changes .log-line').textContent();
      const file = readFileSync(FILES[expected.input], 'utf8').split('\n')[expected.line - 1];
      assert.equal(shown, file, 'the panel quotes the line');
      // "Replay to here" asks the host to move (or start) the replay at that line.
      await hosted.page.locator('#changes vscode-button.replay').click();
      await hosted.page.waitForTimeout(100);
      assert.deepEqual(hosted.watch.posted.filter((m) => m.type === 'replayTo').slice(-1), [{ type: 'replayTo', input: expected.input, line: expected.line }]);
    });

    it('walks the findings in time order with N and P, and opens one with Enter', async () => {
      const order = [...hosted.timeline.meta().findings].sort((a, b) => a.time - b.time || a.index - b.index);
      await hosted.page.locator('#timeline').focus();
      const selected = () => hosted.page.evaluate(() => (window as unknown as { timelineApp: App }).timelineApp.describe().selectedFinding);
      await hosted.page.keyboard.press('n');
      const first = await selected();
      await hosted.page.keyboard.press('n');
      assert.equal(await selected(), order[(order.findIndex((f) => f.index === first) + 1) % order.length].index);
      await hosted.page.keyboard.press('p');
      assert.equal(await selected(), first);
      const status = await hosted.page.locator('#status').textContent();
      const f = order.find((x) => x.index === first)!;
      assert.ok(status?.startsWith(`${f.code} at `), status ?? '');
      const before = hosted.watch.posted.length;
      await hosted.page.keyboard.press('Enter');
      await hosted.page.waitForTimeout(100);
      assert.deepEqual(hosted.watch.posted.slice(before).filter((m) => m.type === 'reveal'), [{ type: 'reveal', input: f.input, line: f.line, focus: true }], 'Enter goes to the line');
    });

    it('zooms with the keyboard and the wheel, and fits again', async () => {
      const span = () => hosted.page.evaluate(() => { const d = (window as unknown as { timelineApp: App }).timelineApp.describe(); return d.end - d.start; });
      await hosted.page.locator('#timeline').focus();
      const s0 = await span();
      await hosted.page.keyboard.press('+');
      assert.ok(Math.abs((await span()) - s0 / 2) < s0 * 0.01, 'plus halves the span');
      await hosted.page.mouse.move(700, 300);
      await hosted.page.mouse.wheel(0, 400);
      assert.ok((await span()) > s0 / 2, 'wheel down zooms out');
      await hosted.page.keyboard.press('f');
      const meta = hosted.timeline.meta();
      assert.ok((await span()) >= (meta.t1 - meta.t0) * 0.99, 'F fits the run');
    });

    it('expands a memory block with Space and moves the selection with the arrows', async () => {
      await hosted.page.locator('#timeline').focus();
      await hosted.page.keyboard.press('PageUp');
      await hosted.page.keyboard.press('ArrowDown');
      await hosted.page.keyboard.press('ArrowDown');
      await hosted.page.keyboard.press(' ');
      const view = await hosted.page.evaluate(() => (window as unknown as { timelineApp: App }).timelineApp.describe());
      assert.equal(view.rows, 33 + 64, 'memory33 shows its 64 subblocks');
      assert.equal(view.rowLabels[3], '0x108000000');
      await hosted.page.keyboard.press(' ');
    });

    it('filters rows and findings by code, state, address and device', async () => {
      const rowsFor = async (text: string) => {
        await hosted.page.locator('#filter').evaluate((el, t) => {
          (el as HTMLInputElement).value = t;
          el.dispatchEvent(new Event('input'));
        }, text);
        await hosted.page.waitForTimeout(300);
        const d = await hosted.page.evaluate(() => (window as unknown as { timelineApp: App }).timelineApp.describe());
        return { rows: d.rows, findings: Number(await hosted.page.locator('#finding-count').textContent()), note: await hosted.page.locator('#filter-note').textContent() };
      };
      const errors = hosted.timeline.meta().findings.filter((f) => f.code === 'HPL001').length;
      assert.deepEqual(await rowsFor('HPL001'), { rows: 1 + errors, findings: errors, note: '' });
      assert.deepEqual(await rowsFor('0x108000000-0x110000000'), { rows: 2, findings: 2, note: '' });
      assert.equal((await rowsFor('state:stale')).rows, 17);
      assert.equal((await rowsFor('virtio9')).note, 'Not understood: virtio9');
      assert.equal((await rowsFor('')).rows, 33);
    });

    it('shows the state and the line that set it when hovering', async () => {
      const f = hosted.timeline.meta().findings[0];
      // Ten seconds around the failure: its marker stays clear of the point hovered.
      await hosted.page.evaluate((t) => {
        const a = (window as unknown as { timelineApp: { view: { show(a: number, b: number, m: number): void }; requestDraw(): void } }).timelineApp;
        a.view.show(t - 8e6, t + 2e6, 0);
        a.requestDraw();
      }, f.time);
      await hosted.page.waitForTimeout(100);
      const at = await hosted.page.evaluate((t) => (window as unknown as { timelineApp: App }).timelineApp.locate('b:virtio5:33', t), f.time - 1_000_000);
      assert.ok(at);
      await hosted.page.locator('#timeline').hover({ position: { x: Math.round(at.x), y: Math.round(at.y) } });
      await until(hosted.page, () => {
        const tip = document.getElementById('tooltip');
        return !!tip && !tip.hidden && !!tip.textContent?.includes('subblocks');
      });
      const tip = await hosted.page.locator('#tooltip').textContent();
      assert.match(tip ?? '', /^memory3364 subblocks/);
      assert.match(tip ?? '', /64 × stale accepted/);
      assert.match(tip ?? '', /last change: qemu\.log:\d+ \(unplug\)\d+@[\d.]+:virtio_mem_unplug_request addr=0x/, 'the line that set it, quoted');
    });
  });

  describe('with hostile text in the logs and their names', () => {
    const temp = makeTempDir('hpl-xss-');
    const dir = temp.dir;
    before(async () => {
      const guest = join(dir, 'guest<img src=x onerror=alert(1)>.log');
      copyFileSync(FILES[1], join(dir, 'qemu.log'));
      const lines = readFileSync(FILES[0], 'utf8').split('\n');
      // Stray text before the timestamp is kept in the line (a shell prompt, say): here it is markup and script.
      lines[17] = `<img src=x onerror=alert(1)></script><script>alert(2)</script>javascript:alert(3)# ${lines[17]}`;
      lines[21] = `<b onmouseover=alert(4)>bold</b><a href="javascript:alert(5)">link</a># ${lines[21]}`;
      writeFileSync(guest, lines.join('\n'));
      hosted = await openTimeline(browser, [guest, join(dir, 'qemu.log')]);
      await until(hosted.page, drawn);
    });
    after(async () => {
      await hosted?.close();
      temp.cleanup();
    });

    it('shows it as text and runs none of it', async () => {
      // The finding on the tampered line: pick it, so its line is quoted in the side panel.
      await hosted.page.locator('.finding').first().click();
      await until(hosted.page, () => !!document.querySelector('#changes .log-line')?.textContent?.includes('onmouseover'));
      const quoted = await hosted.page.locator('#changes .log-line').textContent();
      assert.ok(quoted?.startsWith('<b onmouseover=alert(4)>bold</b><a href="javascript:alert(5)">link</a>#'), quoted ?? '');
      const where = await hosted.page.locator('.finding .where').first().textContent();
      assert.equal(where, 'guest<img src=x onerror=alert(1)>.log:22');
      // A hover over a state set by the first tampered line.
      const meta = hosted.timeline.meta();
      const set = hosted.timeline.inspect(0, 64, meta.t1);
      assert.ok(set);
      const at = await hosted.page.evaluate((t) => (window as unknown as { timelineApp: App }).timelineApp.locate('b:virtio5:32', t), meta.t1 - 1);
      if (at) await hosted.page.locator('#timeline').hover({ position: { x: Math.round(at.x), y: Math.round(at.y) } });
      await hosted.page.waitForTimeout(300);
      const injected = await hosted.page.evaluate(() => ({
        img: document.querySelectorAll('img').length,
        b: document.querySelectorAll('b').length,
        a: [...document.querySelectorAll('a')].map((a) => a.getAttribute('href')),
        scripts: document.querySelectorAll('script').length,
      }));
      assert.deepEqual(injected, { img: 0, b: 0, a: ['#'], scripts: 2 });
      assert.deepEqual(hosted.watch.dialogs, [], 'no alert ran');
      assert.deepEqual(hosted.watch.posted.filter((m) => m.type === 'problem'), [], 'no CSP violation');
      assert.deepEqual(hosted.watch.consoleErrors, []);
      assert.ok(hosted.watch.requests.every((u) => u.startsWith('http://127.0.0.1:')), hosted.watch.requests.join('\n'));
    });
  });
});
