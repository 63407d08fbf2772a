import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvironmentError, locateBrowser, noBrowserMessage } from '../../src/browser/locate.js';
import { puppeteerCachedBrowser } from '../../src/browser/puppeteer-cache.js';
import { temporaryFolder } from '../helpers/tools.js';

async function fakeExecutable(): Promise<string> {
  const file = path.join(await temporaryFolder(), 'chrome');
  await writeFile(file, '#!/bin/sh\nexit 0\n');
  await chmod(file, 0o755);
  return file;
}

describe('which browser prints', () => {
  it('uses --browser first, then PUPPETEER_EXECUTABLE_PATH', async () => {
    const flag = await fakeExecutable();
    const env = await fakeExecutable();
    expect(locateBrowser({ executablePath: flag, env: { PUPPETEER_EXECUTABLE_PATH: env } })).toEqual({
      executablePath: flag,
      origin: 'option',
    });
    expect(locateBrowser({ env: { PUPPETEER_EXECUTABLE_PATH: env } })).toEqual({
      executablePath: env,
      origin: 'environment',
    });
  });

  it('treats a configured path that does not exist as an error, never falling back', async () => {
    const system = await fakeExecutable();
    expect(() => locateBrowser({ executablePath: '/no/such/chrome', env: {}, candidates: [system] })).toThrow(
      EnvironmentError,
    );
    expect(() =>
      locateBrowser({ env: { PUPPETEER_EXECUTABLE_PATH: '/no/such/chrome' }, candidates: [system] }),
    ).toThrow(/PUPPETEER_EXECUTABLE_PATH names \/no\/such\/chrome/);
  });

  it("prefers Puppeteer's own browser to a system one", async () => {
    const own = await fakeExecutable();
    const system = await fakeExecutable();
    expect(locateBrowser({ env: {}, puppeteerPath: () => own, candidates: [system] })).toEqual({
      executablePath: own,
      origin: 'puppeteer',
    });
    expect(locateBrowser({ env: {}, puppeteerPath: () => '/missing/cache/chrome', candidates: [system] })).toEqual({
      executablePath: system,
      origin: 'system',
    });
  });

  it('says exactly what to do when there is none', () => {
    expect(() => locateBrowser({ env: {}, candidates: ['/none'] })).toThrow(
      /apt-get install -y chromium[\s\S]*--browser[\s\S]*--format html$/,
    );
    expect(noBrowserMessage).not.toMatch(/npm run setup|html,epub/);
  });
});

describe("Puppeteer's browser cache", () => {
  it(
    'finds the newest Chrome that `npx puppeteer browsers install chrome` put there, and nothing in ' +
      'an empty cache',
    async () => {
      const cache = await temporaryFolder();
      expect(puppeteerCachedBrowser({ PUPPETEER_CACHE_DIR: cache })).toBeUndefined();
      for (const version of ['120.0.6099.109', '131.0.6778.85']) {
        const dir = path.join(cache, 'chrome', `linux-${version}`, 'chrome-linux64');
        await mkdir(dir, { recursive: true });
        await writeFile(path.join(dir, 'chrome'), '#!/bin/sh\n', { mode: 0o755 });
      }
      const found = puppeteerCachedBrowser({ PUPPETEER_CACHE_DIR: cache });
      expect(found).toBe(path.join(cache, 'chrome', 'linux-131.0.6778.85', 'chrome-linux64', 'chrome'));
      expect(locateBrowser({ env: {}, puppeteerPath: () => found, candidates: [] })).toEqual({
        executablePath: found,
        origin: 'puppeteer',
      });
    },
  );
});
