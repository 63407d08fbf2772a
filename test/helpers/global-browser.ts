import type { TestProject } from 'vitest/node';
import { BrowserSession } from '../../src/browser/session.js';

declare module 'vitest' {
  export interface ProvidedContext {
    browserWSEndpoint: string;
  }
}

/** Launch the one Chromium that every printing test shares, and close it at the end. */
export default async function setup(project: TestProject) {
  const session = await BrowserSession.open({ endpoint: true });
  project.provide('browserWSEndpoint', session.wsEndpoint);
  return async () => {
    await session.close();
  };
}
