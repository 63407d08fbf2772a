import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/api.js';
import { locateBrowser } from '../../src/browser/locate.js';
import { BrowserSession } from '../../src/browser/session.js';
import { imprint } from '../helpers/cli.js';
import { copySeries, pdfinfoPages, seriesNames } from '../helpers/series.js';
import { temporaryFolder } from '../helpers/tools.js';

/** A Chromium this test starts itself, listening for DevTools on a free port. */
let chromium: ChildProcess;
let endpoint: string;

beforeAll(async () => {
  const profile = await temporaryFolder('imprint-remote-');
  const isRoot = process.getuid?.() === 0;
  chromium = spawn(
    locateBrowser().executablePath,
    [
      '--headless',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      '--disable-gpu',
      ...(isRoot ? ['--no-sandbox'] : []),
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  endpoint = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no DevTools endpoint from Chromium:\n${text}`)), 5 * 60_000);
    chromium.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    chromium.once('exit', (code) => reject(new Error(`Chromium exited with ${code}:\n${text}`)));
  });
});

afterAll(() => {
  if (chromium.exitCode === null) chromium.kill('SIGTERM');
});

/** The browser still answers on its DevTools port: imprint did not close it. */
async function stillRunning(): Promise<boolean> {
  if (chromium.exitCode !== null) return false;
  const port = new URL(endpoint).port;
  const response = await fetch(`http://127.0.0.1:${port}/json/version`);
  const version = (await response.json()) as { webSocketDebuggerUrl: string };
  return version.webSocketDebuggerUrl === endpoint;
}

// A configured browser that does not exist: any attempt to launch one fails the build.
const noLaunch = { PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chrome' };

describe('printing through an already running Chromium', () => {
  it('builds a series through --browser-ws-endpoint without launching a browser or closing this one', async () => {
    const dir = await copySeries();
    const result = await imprint(['build', '--format', 'pdf', '--browser-ws-endpoint', endpoint], {
      cwd: dir,
      env: noLaunch,
    });
    expect(result.code).toBe(0);
    for (const name of seriesNames)
      expect(await pdfinfoPages(path.join(dir, 'dist', `${name}.pdf`))).toBeGreaterThan(0);
    expect(await stillRunning()).toBe(true);
  });

  it('takes the endpoint from the configuration file too', async () => {
    const dir = await copySeries();
    const config = path.join(dir, 'imprint.config.yaml');
    await writeFile(config, `${await readFile(config, 'utf8')}browser:\n  ws-endpoint: ${endpoint}\n`);
    const result = await imprint(['build', '--format', 'pdf'], { cwd: dir, env: noLaunch });
    expect(result.code).toBe(0);
    expect(await stillRunning()).toBe(true);

    // and through the API
    const api = await build({ cwd: dir, formats: ['pdf'], force: true, concurrency: 3, sourceDateEpoch: 0 });
    expect(api.ok).toBe(true);
    expect(api.reports.flatMap((report) => report.editions.map((edition) => edition.status))).toEqual([
      'built',
      'built',
      'built',
    ]);
    expect(await stillRunning()).toBe(true);
  });

  it('keeps a page laid out for print while other builds through the same browser come and go', async () => {
    // A DevTools client that leaves a page clears the page's emulated media, whoever set it: a build that attached
    // to the pages of the builds beside it would, as it ended, lay them out for the screen, and their notes and
    // page numbers would be measured on the wrong layout.
    const document = { html: '<!doctype html><html><head><title>A</title></head><body><p>A</p></body></html>' };
    const first = await BrowserSession.open({ wsEndpoint: endpoint });
    try {
      const page = await first.openPage({ ...document, assets: new Map() });
      const forPrint = () => page.evaluate<boolean>('checking the media', "matchMedia('print').matches");
      expect(await forPrint()).toBe(true);
      for (let other = 0; other < 2; other++) {
        const second = await BrowserSession.open({ wsEndpoint: endpoint });
        await (await second.openPage({ ...document, assets: new Map() })).close();
        await second.close();
        expect(await forPrint()).toBe(true);
      }
      await page.close();
    } finally {
      await first.close();
    }
  });

  it('exits 2 with a clear message when nothing listens at the endpoint', async () => {
    const dir = await copySeries();
    const result = await imprint(
      ['build', '--format', 'pdf', '--browser-ws-endpoint', 'ws://127.0.0.1:9/devtools/browser/none'],
      { cwd: dir },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Cannot connect to the browser at ws://127.0.0.1:9/devtools/browser/none');
    expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });
});
