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
  /** Puppeteer's own browser (its download cache), if it has one. */
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
  throw new EnvironmentError(
    [
      'No Chromium or Chrome found to print the PDF with. Any one of these fixes it:',
      '  - on Debian or Ubuntu, as root: apt-get update && apt-get install -y chromium',
      '    (or run `npm run setup`, which does this when it can)',
      '  - point imprint at a browser: --browser /path/to/chrome or PUPPETEER_EXECUTABLE_PATH=/path/to/chrome',
      "  - download Puppeteer's own: npx puppeteer browsers install chrome",
      '  - build without the PDF: --format html,epub',
    ].join('\n'),
  );
}

function isExecutable(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
