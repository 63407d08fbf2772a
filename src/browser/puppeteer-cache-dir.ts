import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Puppeteer's browser cache: `PUPPETEER_CACHE_DIR`, else `~/.cache/puppeteer`,
 * where `npx puppeteer browsers install chrome` puts a Chrome. Apart from the
 * module that reads it, which loads Puppeteer's browser library: a browser is
 * started without loading that library where there is no cache.
 */
export function puppeteerCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PUPPETEER_CACHE_DIR || path.join(homedir(), '.cache', 'puppeteer');
}
