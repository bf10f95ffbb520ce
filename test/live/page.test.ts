import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { readLog } from '../../src/logging/reader.ts';
import { type LiveRun, startLiveRun } from './live-run.ts';
import { changedShare, decodePng, shareOf } from './png.ts';

const config = join(import.meta.dirname, '../../configs/cartpole.yaml');
/** Debian's Chromium (.ci/run installs it); never a browser downloaded by a test tool. */
const chromiumPath = '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
if (!haveChromium && process.env['CI']) throw new Error(`${chromiumPath} is missing: .ci/run installs it`);

describe.skipIf(!haveChromium)('live view: the built-in page in headless Chromium during tether run', () => {
  let run: LiveRun | undefined;
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
    run?.child.kill('SIGKILL');
  });

  it('plots the signals, shows the latch and e-stops only with the token; the log says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tether-live-page-'));
    const log = join(dir, 'run.mcap');
    const shots = join(dir, 'screenshots');
    mkdirSync(shots);
    run = await startLiveRun(['run', config, '--duration', '60', '--log', log]);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      // The refused e-stop with the wrong token is expected to answer 401.
      if (message.type() === 'error' && !/status of 401/.test(message.text())) problems.push(message.text());
    });

    // A wrong token first: the page streams (read-only needs none on loopback) but cannot e-stop.
    await page.goto(`${run.url}#token=not-the-token`);
    expect(page.url()).not.toContain('token'); // taken out of the address bar
    const samples = async () => Number(await page.locator('#plot').getAttribute('data-samples'));
    await page.waitForFunction(
      () => Number(document.querySelector('#plot')?.getAttribute('data-samples')) >= 60,
      {
        timeout: 30_000,
      },
    );
    await expectText(page, '#safety', 'SAFETY OK');
    expect(await page.locator('#safety').getAttribute('data-latched')).toBe('false');
    await expectText(page, '#controller', 'lqr');
    await expectText(page, '#connection', 'live');
    // Events from before the page connected are replayed to it.
    await expectText(page, '#events', 'running under lqr');
    const timingSamples = Number(await page.locator('#timing').getAttribute('data-samples'));
    expect(timingSamples).toBeGreaterThan(0);
    expect(await page.locator('#timing-text').textContent()).toMatch(/compute p50 \d+ µs/);

    const first = decodePng(await page.locator('#plot').screenshot());
    writeFileSync(join(shots, 'plot-1.png'), await page.locator('#plot').screenshot());
    const before = await samples();
    await page.waitForTimeout(700);
    expect(await samples()).toBeGreaterThan(before);
    const secondPng = await page.locator('#plot').screenshot();
    writeFileSync(join(shots, 'plot-2.png'), secondPng);
    const second = decodePng(secondPng);
    // Not blank: the two default signals are drawn in their colours over the white plot...
    expect(shareOf(second, '#ffffff', 8)).toBeLessThan(0.995);
    expect(shareOf(second, '#2563eb')).toBeGreaterThan(0.0002);
    expect(shareOf(second, '#dc2626')).toBeGreaterThan(0.0002);
    // ... and the plot moves.
    expect(changedShare(first, second)).toBeGreaterThan(0.001);

    await page.click('#estop');
    await expectText(page, '#operator-reply', 'refused: operator commands need the run token');
    await expectText(page, '#safety', 'SAFETY OK');

    await page.fill('#token', run.token);
    await page.locator('#token').dispatchEvent('change');
    await page.click('#estop');
    await expectText(page, '#operator-reply', 'safe state latched');
    await page.waitForFunction(
      () => document.querySelector('#safety')?.getAttribute('data-latched') === 'true',
      {
        timeout: 5000,
      },
    );
    expect(await page.locator('#safety').textContent()).toMatch(/^LATCHED: .*from web/);
    await expectText(page, '#events', 'estop → ok');
    const latchedPng = await page.locator('#safety').screenshot();
    writeFileSync(join(shots, 'latched.png'), latchedPng);
    expect(shareOf(decodePng(latchedPng), '#b91c1c')).toBeGreaterThan(0.3);
    writeFileSync(join(shots, 'page.png'), await page.screenshot({ fullPage: true }));
    expect(problems).toEqual([]);

    run.child.kill('SIGINT');
    const { code, stdout } = await run.exit;
    expect(stdout).toMatch(/safety: LATCHED/);
    expect(code).toBe(2);
    const read = await readLog(log);
    expect(read.events.some((e) => e.source === 'operator:web' && /estop → ok/.test(e.message))).toBe(true);
    process.stderr.write(`live page screenshots: ${shots}\n`);
  });
});

async function expectText(
  page: import('playwright-core').Page,
  selector: string,
  text: string,
  timeout = 5000,
): Promise<void> {
  await page.waitForFunction(
    ([s, t]) => (document.querySelector(s!)?.textContent ?? '').includes(t!),
    [selector, text],
    { timeout },
  );
}
