import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateBrowser } from '../../src/browser/locate.js';
import { BrowserSession } from '../../src/browser/session.js';
import { browsers, markerVariable, newMarker, pageRenderers, watchProcesses } from '../helpers/processes.js';
import { temporaryFolder } from '../helpers/tools.js';

/**
 * What Chromium runs for a print: the browser, its helpers and the page's renderer, and no renderer of its own
 * user interface (the address bar's pop-ups, which Chromium preloads at launch and a headless print never shows;
 * decision 087). The browser is started through a script that marks its environment, so that every process it
 * starts is found.
 */
describe('the browser imprint starts', () => {
  it('runs a renderer for the page, and none for pop-ups of a user interface it never shows', async () => {
    const marker = newMarker();
    const watch = watchProcesses(marker);
    const chromium = locateBrowser({ puppeteerPath: () => undefined }).executablePath;
    const script = path.join(await temporaryFolder(), 'chromium.sh');
    await writeFile(script, `#!/bin/sh\n${markerVariable}=${marker} exec "${chromium}" "$@"\n`);
    await chmod(script, 0o755);
    const session = await BrowserSession.open({ executablePath: script });
    try {
      const page = await session.openPage({
        html: '<!doctype html><title>T</title><p>Printed.</p>',
        assets: new Map(),
      });
      await page.close();
      const seen = browsers(watch.seen());
      expect(pageRenderers(seen).length).toBeGreaterThan(0);
      expect(seen.filter((found) => found.command.includes('--top-chrome-webui'))).toEqual([]);
    } finally {
      await session.close();
      watch.stop();
    }
  });
});
