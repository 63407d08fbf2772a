import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { killProcessGroup } from './process-tree.js';
import { EnvironmentError, locateBrowser, type LocatedBrowser } from './locate.js';
import { browserEnvironment, makeProfileFolder, removeProfileFolder } from './profile.js';
import { puppeteerCacheDir } from './puppeteer-cache-dir.js';

/**
 * Chromium's process, started before Puppeteer is loaded (decision 090): loading Puppeteer takes the main thread
 * about 0.12 s, and Chromium's start is the longest step before a print, so it begins first. This module loads
 * nothing but Node's own; `session.ts` then connects Puppeteer to the process over its DevTools pipe.
 */

/** Flags for a quiet, offline, headless Chromium, after Puppeteer's own (see {@link chromiumArgs}). */
export const launchArgs: readonly string[] = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--disable-sync',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--font-render-hinting=none',
  '--disable-dev-shm-usage',
  // Whatever gets past the page's request interception (a preconnect opens a socket before any
  // request is made) goes to a proxy that is not there, loopback included: nothing leaves the browser.
  '--proxy-server=http://127.0.0.1:1',
  '--proxy-bypass-list=<-loopback>',
];

/**
 * Features imprint turns off: the address bar's pop-ups, for which Chromium starts a renderer at launch that a
 * headless browser never shows: on two cores that renderer's start competes with the launch and the page's load
 * (decision 087).
 */
export const imprintDisabledFeatures: readonly string[] = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'];

/** Features Puppeteer's launch turns off (its `defaultArgs`). */
const puppeteerDisabledFeatures: readonly string[] = [
  'Translate',
  'AcceptCHFrame',
  'MediaRouter',
  'OptimizationHints',
  'WebUIReloadButton',
  'ProcessPerSiteUpToMainFrameThreshold',
  'IsolateSandboxedIframes',
];

/**
 * Every argument Chromium is started with: those Puppeteer's launch gives a headless browser over a pipe
 * (`puppeteer.defaultArgs`, which tagged PDFs and their outline need: `--export-tagged-pdf`,
 * `--generate-pdf-document-outline`), then imprint's. A test holds this list to Puppeteer's.
 */
export function chromiumArgs(profile: string, isRoot: boolean): string[] {
  return [
    '--allow-pre-commit-input',
    '--disable-background-networking',
    '--disable-background-timer-throttling',
    '--disable-backgrounding-occluded-windows',
    '--disable-breakpad',
    '--disable-client-side-phishing-detection',
    '--disable-component-extensions-with-background-pages',
    '--disable-crash-reporter',
    '--disable-default-apps',
    '--disable-dev-shm-usage',
    '--disable-hang-monitor',
    '--disable-infobars',
    '--disable-ipc-flooding-protection',
    '--disable-popup-blocking',
    '--disable-prompt-on-repost',
    '--disable-renderer-backgrounding',
    '--disable-search-engine-choice-screen',
    '--disable-sync',
    '--enable-automation',
    '--export-tagged-pdf',
    '--force-color-profile=srgb',
    '--generate-pdf-document-outline',
    '--metrics-recording-only',
    '--no-first-run',
    '--password-store=basic',
    '--use-mock-keychain',
    `--disable-features=${[...puppeteerDisabledFeatures, ...imprintDisabledFeatures].join(',')}`,
    '--enable-features=PdfOopif',
    `--user-data-dir=${profile}`,
    '--headless=new',
    '--hide-scrollbars',
    '--mute-audio',
    '--disable-extensions',
    'about:blank',
    ...launchArgs,
    ...(isRoot ? ['--no-sandbox'] : []),
    '--remote-debugging-pipe',
  ];
}

/**
 * Whether imprint starts the browser itself, over a pipe: not when it connects to one by its address, nor when the
 * browser must serve an endpoint others connect to (Puppeteer's launcher starts that one).
 */
export function startsOverPipe(options: { wsEndpoint?: string; endpoint?: boolean }): boolean {
  return !options.wsEndpoint && options.endpoint !== true;
}

/** A Chromium imprint started, not yet connected to. */
export interface StartedBrowser {
  located: LocatedBrowser;
  /** Its profile folder, removed when it is closed. */
  profile: string;
  /** The process, leader of its own process group; file descriptors 3 and 4 are its DevTools pipe. */
  child: ChildProcess;
  /** Settles when the process has exited (or could not be started), with why it could not start. */
  exited: Promise<{ spawnError?: Error }>;
  /**
   * The last lines it wrote on its error output, once that output has ended (a process it started may hold the
   * output open after it exits: then, what it wrote in the second after it exited).
   */
  said: () => Promise<string[]>;
  /** Kill it and every process it started, wait for it to end, and remove its profile. */
  stop: () => Promise<void>;
}

/** How many lines of what the browser writes on its error output are kept, to say why it could not start. */
const keptLines = 20;

/**
 * The browser to start (see `locateBrowser`). Puppeteer's cache is looked in only when it exists: reading it loads
 * the library that knows its layout.
 */
export async function findBrowser(executablePath?: string): Promise<LocatedBrowser> {
  const cached = existsSync(puppeteerCacheDir())
    ? (await import('./puppeteer-cache.js')).puppeteerCachedBrowser()
    : undefined;
  return locateBrowser({ executablePath, puppeteerPath: () => cached });
}

/**
 * Find the browser and start it, with its DevTools pipe open. Throws EnvironmentError when none is found (a
 * configured path that is not an executable file included); a browser that then fails to start is met when
 * Puppeteer connects to it.
 */
export async function startBrowser(options: { executablePath?: string } = {}): Promise<StartedBrowser> {
  const located = await findBrowser(options.executablePath);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const profile = await makeProfileFolder();
  let child: ChildProcess;
  try {
    child = spawn(located.executablePath, chromiumArgs(profile, isRoot), {
      // Its own process group, so that it and every process it starts are killed together.
      detached: true,
      env: browserEnvironment(profile),
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    });
  } catch (cause) {
    await removeProfileFolder(profile);
    throw new EnvironmentError(`Cannot start the browser at ${located.executablePath}: ${String(cause)}`);
  }
  const lines: string[] = [];
  let partial = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts.filter((line) => line.trim()));
    lines.splice(0, Math.max(0, lines.length - keptLines));
  });
  // A read or write that fails once the browser is gone (killed, or an interrupted run) is not an error here.
  for (const stream of child.stdio) stream?.on('error', () => undefined);
  const exited = new Promise<{ spawnError?: Error }>((resolve) => {
    child.once('error', (spawnError) => resolve({ spawnError }));
    child.once('exit', () => resolve({}));
  });
  // However imprint's process ends, the browser it started ends with it.
  const onExit = () => kill();
  process.once('exit', onExit);
  const kill = () => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) killProcessGroup(child.pid);
  };
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      process.off('exit', onExit);
      kill();
      await exited;
      // What it started may outlive it for a moment: the whole group is killed again once it is gone.
      if (child.pid !== undefined) killProcessGroup(child.pid);
      await removeProfileFolder(profile);
    })();
    return stopping;
  };
  const ended = new Promise<void>((resolve) => {
    if (!child.stderr) resolve();
    child.stderr?.once('close', resolve);
  });
  const said = async () => {
    await exited;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([ended, new Promise((resolve) => (timer = setTimeout(resolve, 1_000)))]);
    clearTimeout(timer);
    return [...lines, ...(partial.trim() ? [partial] : [])];
  };
  return { located, profile, child, exited, said, stop };
}
