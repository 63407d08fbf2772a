import type { Readable, Writable } from 'node:stream';
import type { Browser, BrowserContext, Page, Protocol, Target } from 'puppeteer-core';
// Puppeteer without its launcher: what connects to a browser and drives it. The launcher, with the library that
// downloads and finds browsers, is loaded only to launch a browser with an endpoint or to connect to one by its
// address (about 2 MB of code, 0.08 s of the main thread while Chromium starts; decision 090).
import puppeteer from 'puppeteer-core/internal/puppeteer-core-browser.js';
import { PipeTransport } from 'puppeteer-core/internal/node/PipeTransport.js';
import { EnvironmentError, type LocatedBrowser } from './locate.js';
import { ended, killProcessGroup } from './process-tree.js';
import { browserEnvironment, makeProfileFolder, profileHolder, removeProfileFolder } from './profile.js';
import { inPage } from './in-page.js';
import {
  findBrowser,
  imprintDisabledFeatures,
  launchArgs,
  startBrowser,
  startsOverPipe,
  type StartedBrowser,
} from './start.js';

/** The only module that talks to Chromium: launch or connect, print, close (`start.ts` starts its process). */

export interface BrowserOptions {
  /** `--browser PATH` */
  executablePath?: string;
  /** Print through an already running Chromium (`--browser-ws-endpoint`). */
  wsEndpoint?: string;
  /**
   * Longest wait, in milliseconds, for the browser to start and for each step
   * of a print (loading the page, measuring it, printing it). Default
   * {@link defaultBrowserTimeoutMs}.
   */
  timeoutMs?: number;
  /**
   * Keep the page of each build for the next one (watch mode, a server): a
   * new page costs a renderer process and loading the fonts again, about
   * 0.3 s of a warm rebuild's 0.4 s load here; the kept page loads the next
   * document with its renderer up and the shipped fonts in its cache. Without
   * it each page is closed after its build, and only the first is made ahead,
   * while the manuscript compiles.
   */
  keepWarm?: boolean;
  /**
   * Serve a DevTools endpoint others can connect to ({@link BrowserSession.wsEndpoint}). Without it the
   * browser is driven over a pipe, and exits when the pipe closes: when imprint ends, however it ends
   * (SIGKILL included), so no Chromium outlives it. A browser with an endpoint outlives a killed imprint.
   */
  endpoint?: boolean;
}

/** A page made ahead of need, the request its server answers (set when it is used), and how to close it. */
interface PreparedPage {
  page: Page;
  serving: { request?: PrintRequest };
  close: () => Promise<void>;
  crash: Crash;
}

/** A file the page may load, served from memory at `origin + path`. */
export interface Asset {
  body: Uint8Array | string;
  contentType: string;
  /**
   * The same bytes at this path in every build (the shipped fonts): a page kept
   * between builds may keep it in its cache instead of loading it again.
   */
  unchanging?: boolean;
}

export interface PrintRequest {
  /** The whole HTML document. */
  html: string;
  /** Everything else the page may load, keyed by path (`/fonts/x.woff2`). */
  assets: ReadonlyMap<string, Asset>;
  /** Size of the window the page is laid out in before printing (the page area, for measuring). */
  viewport?: { width: number; height: number };
  /**
   * Faces to load before printing although the page's layout does not ask for
   * them: the running heads and folios are laid out only when the page is
   * printed, too late for their fonts to load. Each is a CSS `font` and the
   * text to load it for (`document.fonts.load`).
   */
  fonts?: ReadonlyArray<{ font: string; text: string }>;
  signal?: AbortSignal;
}

/**
 * How long the browser may take to start or to do one step of a print before the build gives up on it, for a
 * document of up to {@link documentBytesPerTimeout}; a step on a larger document may take as many times longer as
 * it is larger (see {@link stepTimeoutMs}).
 */
export const defaultBrowserTimeoutMs = 60_000;

/**
 * The size of document the browser timeout is for. Loading, laying out and printing grow with the document (a
 * megabyte-long paragraph took Chromium 67 s to load on a loaded two-core machine), so a fixed wait would make a
 * slow machine a failure; the wait is only there to end a browser that hangs.
 */
export const documentBytesPerTimeout = 256 * 1024;

/** The wait for one step of a print of an HTML document of `bytes`: the timeout for every 256 KB, once at least. */
export function stepTimeoutMs(timeoutMs: number, bytes: number): number {
  return Math.round(timeoutMs * Math.max(1, bytes / documentBytesPerTimeout));
}

/**
 * Puppeteer's bound on any one call to the browser. Each step is bounded by its own wait, which grows with the
 * document (`stepTimeoutMs`): measuring a megabyte-long paragraph is one call of minutes. So this is only a
 * backstop, far above any step's wait (and below the largest delay a timer takes). The start is bounded by its own
 * wait (`overPipe`, `untilStarted`), not by this: a wait that short would cut a long document's one call short too.
 */
function protocolTimeoutMs(timeoutMs: number): number {
  return Math.min(timeoutMs * 100, 2 ** 31 - 1);
}

/** How long a browser is given to close before it is killed. */
const closeGraceMs = 5_000;

/** The page's address: a name that never resolves, answered from memory. */
export const documentOrigin = 'https://imprint.invalid';

/**
 * A connection's `targetFilter` that attaches to the browser and to the pages of these contexts alone (the
 * contexts the connection makes, added as it makes them). A DevTools client that leaves a page it attached to
 * clears the page's emulated media, whoever set it: attached to every page of a shared browser, each build that
 * ends would lay the pages of the builds beside it out for the screen again (decision 088).
 */
export function inContexts(contexts: ReadonlySet<BrowserContext>): (target: Target) => boolean {
  return (target) => target.type() === 'browser' || contexts.has(target.browserContext());
}

export class BrowserSession {
  /** The next page, being made while the caller does other work. */
  private spare: Promise<PreparedPage | undefined> | undefined;
  /** A document waits for the page made ahead (`spare`): it goes to the document at once, not to an empty page. */
  private spareWanted = false;

  private constructor(
    private readonly browser: Browser,
    readonly located: LocatedBrowser | undefined,
    private readonly owned: boolean,
    private readonly timeoutMs: number,
    private readonly keepWarm: boolean,
    /** The profile folder of a browser imprint launched, removed when it is closed. */
    private readonly profile?: string,
    /** The browser contexts this session made, whose pages alone it attaches to (connected sessions). */
    private readonly contexts = new Set<BrowserContext>(),
    /** The process of a browser imprint started and connected to over its pipe (see `start.ts`). */
    private readonly started?: StartedBrowser,
  ) {
    // A browser imprint launched opens with one empty tab: the first page is made from it, which
    // saves making a context and a page (about 0.15 s of a cold build). Later pages, and every page
    // of a browser imprint only connected to, get a context of their own.
    this.spare = this.prepareSpare(owned);
  }

  /**
   * Launch a Chromium (or connect to a running one). Throws EnvironmentError when none can be had. `started`: the
   * browser `startBrowser` began to start with the same options before this module was loaded, when it starts one
   * (`startsOverPipe`; decision 090).
   */
  static async open(
    options: BrowserOptions = {},
    started?: Promise<StartedBrowser | undefined>,
  ): Promise<BrowserSession> {
    const timeoutMs = options.timeoutMs ?? defaultBrowserTimeoutMs;
    if (startsOverPipe(options)) {
      const own = (await started) ?? (await startBrowser(options));
      return BrowserSession.overPipe(own, timeoutMs, options.keepWarm ?? false);
    }
    if (options.wsEndpoint) {
      try {
        const contexts = new Set<BrowserContext>();
        const { default: puppeteerNode } = await import('puppeteer-core');
        const browser = await puppeteerNode.connect({
          browserWSEndpoint: options.wsEndpoint,
          protocolTimeout: protocolTimeoutMs(timeoutMs),
          targetFilter: inContexts(contexts),
        });
        return new BrowserSession(browser, undefined, false, timeoutMs, options.keepWarm ?? false, undefined, contexts);
      } catch (cause) {
        throw new EnvironmentError(`Cannot connect to the browser at ${options.wsEndpoint}: ${messageOf(cause)}`);
      }
    }
    const located = await findBrowser(options.executablePath);
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    const profile = await makeProfileFolder();
    // Aborted, Puppeteer kills the browser's process group.
    const abort = new AbortController();
    try {
      const { default: puppeteerNode } = await import('puppeteer-core');
      const launching = puppeteerNode.launch({
        executablePath: located.executablePath,
        headless: true,
        // Launched by Puppeteer only to serve an endpoint; over a pipe, imprint starts the browser itself.
        pipe: false,
        userDataDir: profile,
        env: browserEnvironment(profile),
        args: [
          ...launchArgs,
          ...(isRoot ? ['--no-sandbox'] : []),
          // Puppeteer merges these with the features it turns off itself.
          `--disable-features=${imprintDisabledFeatures.join(',')}`,
        ],
        timeout: timeoutMs,
        // The launch as a whole is bounded by `untilStarted`.
        protocolTimeout: protocolTimeoutMs(timeoutMs),
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
        signal: abort.signal,
      });
      const browser = await untilStarted(launching, profile, timeoutMs);
      // Puppeteer stops listening to the pipe once it closes the browser: a read that fails after that (the browser
      // killed, an interrupted run) must not be an uncaught error.
      for (const stream of browser.process()?.stdio ?? []) stream?.on('error', () => undefined);
      return new BrowserSession(browser, located, true, timeoutMs, options.keepWarm ?? false, profile);
    } catch (cause) {
      abort.abort();
      await removeProfileFolder(profile);
      throw new EnvironmentError(`Cannot start the browser at ${located.executablePath}: ${launchFailure(cause)}`);
    }
  }

  /**
   * Connect Puppeteer to a browser imprint started, over its DevTools pipe, and wait for its first tab, as
   * Puppeteer's own launch does. Bounded: a browser that exits, or does not answer within the wait, is killed and
   * its profile removed, and the error says why (with the last lines it wrote, when it exited on its own).
   */
  private static async overPipe(
    started: StartedBrowser,
    timeoutMs: number,
    keepWarm: boolean,
  ): Promise<BrowserSession> {
    const transport = new PipeTransport(started.child.stdio[3] as Writable, started.child.stdio[4] as Readable);
    let answered = false;
    const connecting = (async () => {
      // The same classes as the package's own entry gives (its types are declared apart, hence the cast).
      const browser = (await puppeteer.connect({
        transport,
        protocolTimeout: protocolTimeoutMs(timeoutMs),
      })) as unknown as Browser;
      answered = true;
      await browser.waitForTarget((target) => target.type() === 'page', { timeout: 0 });
      return browser;
    })();
    connecting.catch(() => undefined);
    // Why the start failed, once it has: the wait ran out, or the browser ended (by a signal: killed or crashed; or
    // on its own: then what it last wrote says why).
    let timer: NodeJS.Timeout | undefined;
    const failure = new Promise<string>((resolve) => {
      timer = setTimeout(() => {
        const step = answered ? 'did not finish starting' : 'did not answer on its DevTools pipe';
        resolve(`Timed out after ${timeoutMs} ms: the browser ${step}`);
      }, timeoutMs);
      void started.exited.then(async ({ spawnError }) => {
        if (spawnError) resolve(spawnError.message);
        else if (answered || started.child.signalCode !== null) {
          resolve('the browser stopped (it crashed or was closed) while starting');
        } else {
          const said = (await started.said()).slice(-3);
          resolve(withWords('the browser exited before it answered on its DevTools pipe', said));
        }
      });
    });
    try {
      const browser = await Promise.race([
        connecting,
        failure.then((why) => {
          throw new Error(why);
        }),
      ]);
      return new BrowserSession(browser, started.located, true, timeoutMs, keepWarm, undefined, undefined, started);
    } catch (cause) {
      // The connection fails as the browser ends (its pipe closes): the browser's end says more. A connection that
      // failed with the browser still running says why itself.
      let bound: NodeJS.Timeout | undefined;
      const why = await Promise.race([
        failure,
        new Promise<string>((resolve) => (bound = setTimeout(() => resolve(messageOf(cause)), 2_000))),
      ]);
      clearTimeout(bound);
      // The connection is told first, as when the pipe closes: it fails what waits on it and sends nothing more. A
      // message read before the close and handled after it (the browser killed as it started) would otherwise be
      // answered over a closed transport, which throws where nothing can catch it.
      transport.onclose?.();
      transport.close();
      await started.stop();
      throw new EnvironmentError(`Cannot start the browser at ${started.located.executablePath}: ${why}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The DevTools endpoint of a browser opened with `endpoint` (or connected to). */
  get wsEndpoint(): string {
    const endpoint = this.browser.wsEndpoint();
    if (!endpoint) throw new Error('This browser was launched without an endpoint: open it with `endpoint: true`');
    return endpoint;
  }

  /**
   * Load the document with JavaScript off and every request answered from
   * memory (nothing else loads, nothing leaves the machine), laid out for
   * print, with its fonts loaded. The caller closes the page.
   */
  async openPage(request: PrintRequest): Promise<PrintPage> {
    return guarded('loading the page', stepTimeoutMs(this.timeoutMs, request.html.length), () =>
      this.loadPage(request),
    );
  }

  /**
   * A page in a context of its own, JavaScript off, laid out for print, every
   * request answered from memory. Made `ahead` of need, it shows an empty page
   * of the document's origin (so its renderer process is up when the document
   * comes), unless a document is already waiting for it by then.
   */
  private async preparePage(fromFirstTab = false, ahead = false): Promise<PreparedPage> {
    const tab = fromFirstTab ? (await this.browser.pages())[0] : undefined;
    const context = tab ? undefined : await this.browser.createBrowserContext();
    if (context) this.contexts.add(context);
    // A browser that stopped answering never confirms the close: wait no longer than for a step (the session's
    // close kills the browser, and the page with it).
    const close = () =>
      guarded('closing', this.timeoutMs, async () => {
        await (context ? context.close() : tab?.close());
      })
        .catch(() => undefined)
        .finally(() => context && this.contexts.delete(context));
    try {
      const page = tab ?? (await context!.newPage());
      // A page whose renderer crashes answers nothing more: fail at once rather than at the timeout.
      const crash = crashOf(page);
      page.setDefaultTimeout(this.timeoutMs);
      await crash.race(page.setJavaScriptEnabled(false));
      await crash.race(page.emulateMediaType('print'));
      const serving: PreparedPage['serving'] = {};
      await crash.race(serveFromMemory(page, serving));
      // Needed already, the empty page would only hold the document back: a cold build's first page is made while
      // Chromium finishes starting, and the document is often ready first (decision 090).
      if (ahead && !this.spareWanted) {
        await crash.race(page.goto(`${documentOrigin}/${blankPage}`, { waitUntil: 'load' }));
      }
      return { page, serving, close, crash };
    } catch (cause) {
      await close();
      throw cause;
    }
  }

  /** Make the next page ahead; a failure here is met again, and reported, when a page is needed. */
  private prepareSpare(fromFirstTab = false): Promise<PreparedPage | undefined> {
    const pending = this.preparePage(fromFirstTab, true).catch(() => undefined);
    return pending;
  }

  private async loadPage(request: PrintRequest): Promise<PrintPage> {
    if (!this.browser.connected)
      throw new EnvironmentError('The browser stopped (it crashed or was closed) before the page could be loaded');
    // Take the prepared page before waiting for it: reports built side by side load their
    // pages at the same time, and two loads in one page abort each other.
    // Kept warm, the page comes back when the build closes it (see `release`) and serves the next.
    const taken = this.spare;
    this.spare = undefined;
    this.spareWanted = true;
    const spare = taken ? await taken : undefined;
    const { page, serving, close, crash } = spare ?? (await this.preparePage());
    const timeoutMs = stepTimeoutMs(this.timeoutMs, request.html.length);
    try {
      page.setDefaultTimeout(timeoutMs);
      const load = async () => {
        serving.request = request;
        if (request.viewport) await page.setViewport(request.viewport);
        await page.goto(`${documentOrigin}/index.html`, { waitUntil: 'load' });
        // The print media emulation set before loading does not always survive the navigation
        // (a new renderer takes the page).
        await layOutForPrint(page);
        if (request.fonts?.length) {
          await page.evaluate(
            inPage(
              (fonts: ReadonlyArray<{ font: string; text: string }>) =>
                Promise.all(fonts.map(({ font, text }) => document.fonts.load(font, text))).then(() => undefined),
              request.fonts,
            ),
          );
        }
      };
      await crash.race(load());
      const release = async (intact: boolean) => {
        // Kept warm: the same page, in the same renderer with the fonts in its cache, loads the next
        // document (a fifth of the time a fresh page takes), unless a step on it failed or another
        // page came back first.
        if (this.keepWarm && intact && !this.spare && !crash.crashed && this.browser.connected) {
          this.spare = Promise.resolve({ page, serving, close, crash });
          return;
        }
        await close();
      };
      return new PrintPage(release, page, timeoutMs, crash);
    } catch (cause) {
      await close();
      throw cause;
    }
  }

  /** Load the document and print it as it is. */
  async printPdf(request: PrintRequest): Promise<Uint8Array> {
    const page = await this.openPage(request);
    try {
      return await page.print();
    } finally {
      await page.close();
    }
  }

  /**
   * Close the browser (or disconnect from one imprint did not start). A browser
   * that does not close within a few seconds is killed, and so is every
   * process it started that is still there (a helper that hangs, or outlived
   * a browser that crashed): none is ever left behind. With `now` (a run that was interrupted), a browser imprint
   * started is killed at once instead of being asked to close, which can take a second or more with a long document
   * loaded.
   */
  async close(options: { now?: boolean } = {}): Promise<void> {
    const spare = this.spare;
    this.spare = undefined;
    if (!this.owned) {
      // The browser is not ours: close the page made ahead, waiting no longer than for a step.
      await guarded('closing', this.timeoutMs, async () => {
        await spare?.then((prepared) => prepared?.close());
      }).catch(() => undefined);
      await this.browser.disconnect().catch(() => undefined);
      return;
    }
    // Ours: closing the browser closes every page, the one made ahead too.
    spare?.catch(() => undefined);
    if (this.started) {
      // Started over a pipe: nothing in it is worth a graceful close (the editions are made, its profile goes), so
      // it is killed at once, which spares the build the browser's own shutdown (about 0.15 s).
      await this.browser.disconnect().catch(() => undefined);
      await this.started.stop();
      return;
    }
    const group = this.browser.process()?.pid;
    const kill = () => {
      if (group !== undefined) killProcessGroup(group);
    };
    if (options.now) kill();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        kill();
        resolve();
      }, closeGraceMs);
      timer.unref();
      void this.browser
        .close()
        .catch(kill)
        .finally(() => {
          clearTimeout(timer);
          resolve();
        });
    });
    kill();
    if (this.profile) await removeProfileFolder(this.profile);
  }

  /** Process id of the browser imprint started (none when connected to a running one). */
  get pid(): number | undefined {
    return this.owned ? (this.started?.child.pid ?? this.browser.process()?.pid) : undefined;
  }
}

/** One loaded document: run scripts on it, print it. */
export class PrintPage {
  constructor(
    /**
     * Closes the page (and its context, when it has one of its own), or keeps it for the next
     * document when the session is kept warm and every step on it went well (`intact`).
     */
    private readonly release: (intact: boolean) => Promise<void>,
    private readonly page: Page,
    private readonly timeoutMs: number,
    private readonly crash: Crash,
  ) {}

  /** Browser work on this page, bounded in time and cut short if the page crashes. */
  private step<T>(doing: string, work: () => Promise<T>): Promise<T> {
    const running = guarded(doing, this.timeoutMs, () => this.crash.race(work()));
    running.catch(() => (this.intact = false));
    return running;
  }

  /** No step on the page has failed: it can be used again. */
  private intact = true;

  /**
   * Run a script (see `inPage`) on the page laid out for print, with every face that layout asks for loaded
   * (see `layOutForPrint`), and return what it returns. What the script does to the layout is the caller's.
   */
  evaluateForPrint<T>(doing: string, script: string): Promise<T> {
    // The script runs in the same task as the check that the page is laid out for print: the emulation can be
    // lost between two evaluations (a step that measured the screen layout set notes on the wrong pages), never
    // within one. The scripts are synchronous.
    const checked = `(() => matchMedia('print').matches ? { value: (${script}) } : { lost: true })()`;
    return this.step(doing, async () => {
      for (let attempt = 0; ; attempt++) {
        await layOutForPrint(this.page);
        const result = (await this.page.evaluate(checked)) as { value?: T; lost?: true };
        if (!result.lost) return result.value as T;
        if (attempt === 3) throw new Error('The browser does not lay the page out for print');
      }
    });
  }

  /** Run a script (see `inPage`) on the page as it is, and return what it returns. */
  evaluate<T>(doing: string, script: string): Promise<T> {
    return this.step(doing, async () => (await this.page.evaluate(script)) as T);
  }

  print(): Promise<Uint8Array> {
    return this.step('printing', () =>
      this.page.pdf({
        preferCSSPageSize: true,
        printBackground: true,
        outline: true,
        tagged: true,
        timeout: this.timeoutMs,
      }),
    );
  }

  async close(): Promise<void> {
    await this.release(this.intact).catch(() => undefined);
  }
}

/**
 * Make sure the page is laid out for print, and laid out as it now is with every face that layout asks for
 * loaded, before anything reads its layout. The print media emulation does not always survive (the page's
 * renderer being swapped on navigation, or under load), and a measurement or correction made on the screen
 * layout is wrong. A face is only requested once layout needs it, and until then `document.fonts.ready` can
 * resolve with nothing loaded; a change made since the last measurement, or the measuring columns, can ask for a
 * face nothing asked for before; a fallback font measures wrong too.
 */
async function layOutForPrint(page: Page): Promise<void> {
  for (let attempt = 0; !(await page.evaluate(() => matchMedia('print').matches)); attempt++) {
    if (attempt === 3) throw new Error('The browser does not lay the page out for print');
    await page.emulateMediaType(undefined);
    await page.emulateMediaType('print');
  }
  await page.evaluate(() => {
    document.body.getBoundingClientRect();
    return document.fonts.ready.then(() => undefined);
  });
}

/** Whether a page's renderer crashed (killed, out of memory), and work raced against that. */
interface Crash {
  /** The work's outcome, unless the page crashes first (or crashed just before the work failed). */
  race<T>(work: Promise<T>): Promise<T>;
  /** Whether the page crashed. */
  readonly crashed: boolean;
}

function crashOf(page: Page): Crash {
  let crashed: Error | undefined;
  const signalled = new Promise<never>((_, reject) => {
    page.once('error', (error: Error) => {
      crashed = new Error(`Page crashed (${error.message})`);
      reject(crashed);
    });
  });
  signalled.catch(() => undefined);
  return {
    get crashed() {
      return crashed !== undefined;
    },
    async race<T>(work: Promise<T>): Promise<T> {
      try {
        return await Promise.race([work, signalled]);
      } catch (cause) {
        // A print fails ("Printing failed") a moment before the crash is reported: give the report that moment,
        // so a crash is not mistaken for a document too long to print. Not when the whole browser is gone (killed
        // because the run was interrupted, or crashed): no page crash is reported then.
        if (!crashed && page.browser().connected)
          await Promise.race([signalled.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 500))]);
        throw crashed ?? cause;
      }
    },
  };
}

/** The empty page a prepared page shows until its document comes. */
const blankPage = 'blank.html';

/** Base64 of each asset's bytes: the shipped fonts are the same bytes in every build of a process. */
const base64Bodies = new WeakMap<Uint8Array, string>();

function base64Of(body: Uint8Array | string): string {
  if (typeof body === 'string') return Buffer.from(body, 'utf8').toString('base64');
  let encoded = base64Bodies.get(body);
  if (encoded === undefined) {
    encoded = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64');
    base64Bodies.set(body, encoded);
  }
  return encoded;
}

/**
 * Answer every request of the page from memory, through the DevTools Fetch
 * domain on a session of the page's own. Not Puppeteer's request interception:
 * its `respond()` base64-encodes each body in JavaScript (about 1 s of Node's
 * thread for the two CJK faces on this machine, against under 1 ms natively),
 * while the page waits for its fonts. Here the bytes are encoded by `Buffer`,
 * once per process for the fonts, and nothing but these answers is sent.
 */
async function serveFromMemory(page: Page, serving: { request?: PrintRequest }): Promise<void> {
  const client = await page.createCDPSession();
  const mainFrame = (await client.send('Page.getFrameTree')).frameTree.frame.id;
  const fulfil = (requestId: string, status: number, headers: Record<string, string>, body: string) =>
    client.send('Fetch.fulfillRequest', {
      requestId,
      responseCode: status,
      responseHeaders: Object.entries(headers).map(([name, value]) => ({ name, value })),
      body,
    });
  const refuse = (requestId: string) => client.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' });
  const answer = (paused: Protocol.Fetch.RequestPausedEvent): Promise<unknown> => {
    const url = paused.request.url;
    const request = serving.request;
    if (url === `${documentOrigin}/${blankPage}` && !request) {
      const blank = base64Of('<!doctype html><title></title>');
      return fulfil(paused.requestId, 200, { 'content-type': 'text/html; charset=utf-8' }, blank);
    }
    if (request && url.startsWith(`${documentOrigin}/`)) {
      // A malformed escape names no asset (and must not throw in the event handler).
      let pathname: string | undefined;
      try {
        pathname = decodeURIComponent(new URL(url).pathname);
      } catch {
        pathname = undefined;
      }
      if (pathname === '/index.html') {
        return fulfil(paused.requestId, 200, { 'content-type': 'text/html; charset=utf-8' }, base64Of(request.html));
      }
      const asset = pathname === undefined ? undefined : request.assets.get(pathname);
      if (asset) {
        const headers: Record<string, string> = { 'content-type': asset.contentType };
        if (asset.unchanging) headers['cache-control'] = 'max-age=31536000, immutable';
        return fulfil(paused.requestId, 200, headers, base64Of(asset.body));
      }
    }
    // Anything else is refused. A navigation of the page itself (a meta refresh) is answered
    // "204 No Content", which leaves the page where it is instead of on an error page.
    if (paused.resourceType === 'Document' && paused.frameId === mainFrame) {
      return fulfil(paused.requestId, 204, {}, '');
    }
    return refuse(paused.requestId);
  };
  client.on('Fetch.requestPaused', (paused: Protocol.Fetch.RequestPausedEvent) => {
    // Every request is answered, whatever happens in answering it: one left waiting holds the page's load.
    let answered: Promise<unknown>;
    try {
      answered = answer(paused);
    } catch {
      answered = refuse(paused.requestId);
    }
    answered.catch(() => refuse(paused.requestId).catch(() => undefined));
  });
  // Every URL but data: ones (which never reach the network) is paused before it is sent.
  await client.send('Fetch.enable', { patterns: [{ urlPattern: '*', requestStage: 'Request' }] });
}

/**
 * Run browser work, turning the browser's failures (it crashed, was killed,
 * stopped answering) into an EnvironmentError that says what was being done:
 * exit code 2, with a message instead of a protocol error. Puppeteer's own
 * timeouts bound each call to the browser; the step as a whole is bounded
 * here too, so a browser that answers nothing cannot hold the build.
 */
async function guarded<T>(doing: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const tooSlow = () =>
    new EnvironmentError(
      `The browser did not answer within ${Math.round(timeoutMs / 1000)} s while ${doing} (set a ` +
        `longer wait with --browser-timeout)`,
    );
  try {
    const running = work();
    // Settled after the bound, its outcome no longer matters: the browser is being closed.
    running.catch(() => undefined);
    const bound = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(tooSlow()), timeoutMs + 1_000);
    });
    return await Promise.race([running, bound]);
  } catch (cause) {
    if (cause instanceof EnvironmentError) throw cause;
    const name = cause instanceof Error ? cause.name : '';
    const message = messageOf(cause);
    if (name === 'TimeoutError' || /timed? ?out/i.test(message)) throw tooSlow();
    if (/Page crashed/i.test(message))
      throw new EnvironmentError(`The browser stopped (it crashed or was closed) while ${doing}: ${message}`);
    if (/Printing failed/i.test(message)) {
      throw new EnvironmentError(
        `The browser could not print the document (${message}); it gives up on very long documents, ` +
          `such as a table of tens of thousands of rows: split such a table`,
      );
    }
    if (
      name === 'TargetCloseError' ||
      name === 'ProtocolError' ||
      /Target closed|Session closed|Connection closed|browser has disconnected|Navigating frame was detached/i.test(
        message,
      )
    ) {
      throw new EnvironmentError(`The browser stopped (it crashed or was closed) while ${doing}: ${message}`);
    }
    throw cause;
  } finally {
    clearTimeout(timer);
  }
}

/** How often a starting browser is looked at in the process table. */
const startPollMs = 100;

/**
 * Puppeteer's launch, bounded: it waits without a bound for the browser to attach to its first targets, so a
 * browser that stops answering, or is killed, while it starts would hold the build for ever (or end the process
 * with nothing settled, once its pipe has closed). It fails when the browser's process has ended (the profile's
 * lock names it), or after the wait it is given; the caller then kills the browser.
 */
async function untilStarted(launching: Promise<Browser>, profile: string, timeoutMs: number): Promise<Browser> {
  launching.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const started = performance.now();
  const watched = new Promise<never>((_, reject) => {
    let holder: number | undefined;
    timer = setInterval(async () => {
      holder ??= await profileHolder(profile);
      if (holder !== undefined && ended(holder)) {
        reject(new Error('the browser stopped (it crashed or was closed) while starting'));
      } else if (performance.now() - started > timeoutMs + 1_000) {
        reject(new Error(`Timed out after ${timeoutMs} ms: the browser did not finish starting`));
      }
    }, startPollMs);
  });
  try {
    return await Promise.race([launching, watched]);
  } finally {
    clearInterval(timer);
  }
}

/**
 * Why a launch failed, in a line or a few: Puppeteer's first line ("Failed to
 * launch the browser process: Code: 1") and the last lines the browser wrote
 * on its error output, which say why ("cannot open display", a missing
 * library), without Puppeteer's troubleshooting link.
 */
function launchFailure(cause: unknown): string {
  // Closed after its first answer, while Puppeteer attached to its targets.
  if (/Target closed/.test(messageOf(cause))) return 'the browser stopped (it crashed or was closed) while starting';
  const first = messageOf(cause).replace(/\s+/g, ' ').trim();
  const full = cause instanceof Error ? cause.message : '';
  const said = /\nstderr:\n([\s\S]*?)\n\s*(?:TROUBLESHOOTING|$)/
    .exec(full)?.[1]
    ?.split('\n')
    .filter((line) => line.trim());
  return withWords(first, (said ?? []).slice(-3));
}

/** A reason, and the last lines the browser wrote on its error output when there are any. */
function withWords(reason: string, said: readonly string[]): string {
  return said.length > 0 ? `${reason}; the browser said: ${said.map((line) => line.trim()).join(' / ')}` : reason;
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message.split('\n')[0]! : String(cause);
}
