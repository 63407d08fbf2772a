import puppeteer from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { chromiumArgs, imprintDisabledFeatures, launchArgs } from '../../src/browser/start.js';

describe('the arguments Chromium is started with', () => {
  // imprint starts Chromium itself, before Puppeteer is loaded (decision 090): the arguments must stay those
  // Puppeteer's launch would give (tagged PDFs and their outline need two of them), whatever version it is.
  for (const isRoot of [false, true]) {
    it(`are Puppeteer's for a headless browser over a pipe, then imprint's${isRoot ? ' (as root)' : ''}`, () => {
      const profile = '/tmp/imprint-chromium-test-profile';
      const args = [
        ...launchArgs,
        ...(isRoot ? ['--no-sandbox'] : []),
        `--disable-features=${imprintDisabledFeatures.join(',')}`,
      ];
      const puppeteers = puppeteer.defaultArgs({ headless: true, userDataDir: profile, args });
      expect(chromiumArgs(profile, isRoot)).toEqual([...puppeteers, '--remote-debugging-pipe']);
      expect(chromiumArgs(profile, isRoot)).toEqual(
        expect.arrayContaining(['--export-tagged-pdf', '--generate-pdf-document-outline']),
      );
    });
  }
});
