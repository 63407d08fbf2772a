import { accessSync, constants, existsSync } from 'node:fs';

/** Where the Chromium that prints came from. */
export type BrowserOrigin = 'option' | 'environment' | 'puppeteer' | 'system';

export interface LocatedBrowser {
  executablePath: string;
  origin: BrowserOrigin;
}

/** A problem with the environment rather than the manuscript: exit code 2. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

/** Chromium and Chrome where system packages put them, fastest to start first. */
export const systemBrowserPaths: readonly string[] = [
  '/usr/lib/chromium/chromium',
  '/usr/lib/chromium-browser/chromium-browser',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/opt/google/chrome/chrome',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export interface LocateOptions {
  /** `--browser PATH`: used as given, and an error when it does not exist. */
  executablePath?: string;
  env?: NodeJS.ProcessEnv;
  /** A Chrome in Puppeteer's download cache (`npx puppeteer browsers install chrome`), if there is one. */
  puppeteerPath?: () => string | undefined;
  candidates?: readonly string[];
}

/**
 * Find the Chromium to print with: the one configured (`--browser`, then
 * `PUPPETEER_EXECUTABLE_PATH`), else Puppeteer's own, else a system Chromium
 * or Chrome. A configured path that does not exist is an error, never a
 * silent fallback.
 */
export function locateBrowser(options: LocateOptions = {}): LocatedBrowser {
  const env = options.env ?? process.env;
  const configured: Array<[string | undefined, BrowserOrigin, string]> = [
    [options.executablePath, 'option', '--browser'],
    [env.PUPPETEER_EXECUTABLE_PATH, 'environment', 'PUPPETEER_EXECUTABLE_PATH'],
  ];
  for (const [candidate, origin, name] of configured) {
    if (!candidate) continue;
    if (!isExecutable(candidate)) {
      throw new EnvironmentError(`${name} names ${candidate}, which is not an executable file`);
    }
    return { executablePath: candidate, origin };
  }
  const own = options.puppeteerPath?.();
  if (own && isExecutable(own)) return { executablePath: own, origin: 'puppeteer' };
  for (const candidate of options.candidates ?? systemBrowserPaths) {
    if (isExecutable(candidate)) return { executablePath: candidate, origin: 'system' };
  }
  throw new EnvironmentError(noBrowserMessage);
}

/**
 * What to do when no browser is found: only steps that work on the machine
 * that met it. The HTML edition is the one that needs no browser (the PDF is
 * printed by it, and the EPUB's page list comes from the printed layout).
 */
export const noBrowserMessage = [
  'No Chromium or Chrome found: the PDF and EPUB editions are laid out in one. Any one of these fixes it:',
  '  - on Debian or Ubuntu: sudo apt-get install -y chromium  (as root: apt-get update && apt-get install -y chromium)',
  '  - name an installed Chrome or Chromium: --browser /path/to/chrome, or PUPPETEER_EXECUTABLE_PATH=/path/to/chrome',
  '  - on a machine that can download: npx puppeteer browsers install chrome',
  'The HTML edition needs no browser: imprint build --format html',
].join('\n');

function isExecutable(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
