import { Browser, Cache } from '@puppeteer/browsers';
import { puppeteerCacheDir } from './puppeteer-cache-dir.js';

export { puppeteerCacheDir };

/**
 * The newest Chrome in Puppeteer's cache (else its headless shell), if one was
 * installed there; nothing is downloaded. imprint depends on puppeteer-core,
 * which has no browser of its own and no cache lookup.
 */
export function puppeteerCachedBrowser(env: NodeJS.ProcessEnv = process.env): string | undefined {
  let installed: ReturnType<Cache['getInstalledBrowsers']>;
  try {
    installed = new Cache(puppeteerCacheDir(env)).getInstalledBrowsers();
  } catch {
    return undefined;
  }
  for (const browser of [Browser.CHROME, Browser.CHROMEHEADLESSSHELL]) {
    const newest = installed
      .filter((entry) => entry.browser === browser)
      .sort((a, b) => compareBuilds(b.buildId, a.buildId))[0];
    if (newest) return newest.executablePath;
  }
  return undefined;
}

/** Chrome build ids (`131.0.6778.85`) compared part by part as numbers. */
function compareBuilds(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0 && !Number.isNaN(difference)) return difference;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
