import puppeteer, { type BrowserContext, type Page } from 'puppeteer-core';
import { inject } from 'vitest';
import { inContexts } from '../../src/browser/session.js';

export interface SharedBrowser {
  /** A page in this connection's own browser context. */
  newPage: () => Promise<Page>;
  /** Close the context and its pages, and leave the browser running for the other test files. */
  disconnect: () => Promise<void>;
}

/**
 * A connection to the run's one Chromium that attaches only to the pages it makes, as imprint's own connections do:
 * a DevTools client that leaves a page clears the page's emulated media, so a test attached to every page would, as
 * it disconnects, lay out for the screen the pages that builds in other test files are measuring for print
 * (decision 088).
 */
export async function connectSharedBrowser(): Promise<SharedBrowser> {
  const contexts = new Set<BrowserContext>();
  const browser = await puppeteer.connect({
    browserWSEndpoint: inject('browserWSEndpoint'),
    targetFilter: inContexts(contexts),
  });
  const context = await browser.createBrowserContext();
  contexts.add(context);
  return {
    newPage: () => context.newPage(),
    disconnect: async () => {
      await context.close().catch(() => undefined);
      await browser.disconnect();
    },
  };
}
