/**
 * `hotplug-lens report` as a process on the example, and the file it writes opened in
 * Chromium: the same timeline and findings, drawn with no console error and no request
 * beyond the file itself.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { ensureBuilt, ROOT, runCli } from '../helpers/cli';
import { makeTempDir } from '../helpers/tmp';
import { type AppView, colourCounts, drawn, launch, until, watch } from './harness';

const EXAMPLE = join(ROOT, 'examples', 'tdx-replug-failure');

describe('hotplug-lens report', function () {
  this.timeout(60_000);
  const temp = makeTempDir('hpl-report-');
  let browser: Browser;

  before(async () => {
    ensureBuilt();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    temp.cleanup();
  });

  it('writes one self-contained HTML file that renders the timeline with no network and no console error', async () => {
    const out = temp.file('report.html');
    const run = runCli(['report', join(EXAMPLE, 'guest.log'), join(EXAMPLE, 'qemu.log'), '--out', out]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /wrote .*report\.html \(\d+ KB\): 8 errors, 1 warnings, 0 infos on 2048 subblocks/);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-/);

    const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
    const seen = watch(page);
    const url = pathToFileURL(out).toString();
    await page.goto(url);
    await until(page, drawn);
    const view = await page.evaluate(() => (window as unknown as { timelineApp: AppView }).timelineApp.describe());
    assert.equal(view.rowLabels[0], 'virtio5');
    assert.equal(await page.locator('.finding').count(), 9);
    const counts = await colourCounts(page, { stale: '#d55e00', error: '#f14c4c' });
    assert.ok(counts.stale > 100 && counts.error > 10, JSON.stringify(counts));
    // A click on a finding quotes its line from the data embedded in the page.
    await page.locator('.finding').first().click();
    await until(page, () => !!document.querySelector('#changes .log-line')?.textContent?.includes('tdx: Failed to accept memory [0x108000000, 0x110000000)'));
    assert.deepEqual(seen.requests, [url], 'no request beyond the file itself');
    const external = await page.evaluate(() => [...document.querySelectorAll('[src], link[href]')].map((e) => e.outerHTML));
    assert.deepEqual(external, [], 'nothing in the page points elsewhere');
    assert.deepEqual(seen.consoleErrors, []);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { timelineProblems: string[] }).timelineProblems), [], 'no CSP violation');
    await page.close();
  });

  it('writes the page to standard output without --out', () => {
    const run = runCli(['report', join(EXAMPLE, 'guest.log')]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^<!DOCTYPE html>/);
    assert.match(run.stdout, /<title>Hotplug Lens: guest\.log<\/title>/);
  });

  it('fails with status 2 and one line for a missing file', () => {
    const run = runCli(['report', join(EXAMPLE, 'nope.log'), '--out', temp.file('x.html')]);
    assert.equal(run.status, 2);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  });

  it('makes a valid page for an empty log: it says there is nothing to show', async () => {
    const empty = temp.file('empty.log');
    writeFileSync(empty, '');
    const out = temp.file('empty.html');
    assert.equal(runCli(['report', empty, '--out', out]).status, 0);
    const page = await browser.newPage();
    const seen = watch(page);
    await page.goto(pathToFileURL(out).toString());
    await until(page, () => !!(window as unknown as { timelineApp?: AppView }).timelineApp);
    await page.waitForTimeout(300);
    assert.deepEqual(seen.consoleErrors, []);
    assert.match((await page.locator('#findings').textContent()) ?? '', /No findings/);
    await page.close();
  });
});
