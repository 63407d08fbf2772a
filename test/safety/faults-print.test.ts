import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateBrowser } from '../../src/browser/locate.js';
import { BrowserSession, stepTimeoutMs } from '../../src/browser/session.js';
import { leftBehind, markerVariable, newMarker, watchProcesses, type MarkedProcess } from '../helpers/processes.js';
import { temporaryFolder } from '../helpers/tools.js';

/**
 * The browser fails while it prints (not while it starts or loads): the print
 * ends with a clear error within the browser timeout, and closing the session
 * leaves no process of that browser behind, whatever state the failure left
 * its processes in. The browser is the real Chromium, started through a
 * script that marks its environment so the test finds all its processes.
 */
const chromium = locateBrowser({ puppeteerPath: () => undefined }).executablePath;
const chapters = Array.from(
  { length: 4000 },
  (_, index) => `<p>Paragraph ${index}, long enough to be laid out over many printed pages of the report.</p>`,
).join('');
const html = `<!doctype html><html><head><title>Long</title></head><body>${chapters}</body></html>`;
/**
 * The browser timeout of the tests that wait for it to end a stopped print: short, so they end soon, but long enough
 * that the page's load before the print, which it bounds too, is not cut short on a loaded two-core machine (at a
 * load average of 15, 3 s was, once).
 */
const browserTimeoutMs = 8_000;
/** The wait of a step on this document with that browser timeout: it grows with the document's size. */
const printWaitS = Math.round(stepTimeoutMs(browserTimeoutMs, html.length) / 1000);

async function markedSession(timeoutMs: number) {
  const marker = newMarker();
  const watch = watchProcesses(marker);
  const script = path.join(await temporaryFolder(), 'chromium.sh');
  await writeFile(script, `#!/bin/sh\n${markerVariable}=${marker} exec "${chromium}" "$@"\n`);
  await chmod(script, 0o755);
  const session = await BrowserSession.open({ executablePath: script, timeoutMs });
  return { session, watch };
}

const pageRenderers = (processes: readonly MarkedProcess[]) =>
  processes.filter((found) => found.command.includes('--type=renderer') && !found.command.includes('top-chrome-webui'));

/**
 * Start printing, do `harm` to the browser's processes as soon as the print is asked for (and again until it ends), and
 * see how the print ends.
 */
async function printWhile(timeoutMs: number, harm: (processes: MarkedProcess[], session: BrowserSession) => number) {
  const { session, watch } = await markedSession(timeoutMs);
  try {
    const page = await session.openPage({ html, assets: new Map() });
    const started = performance.now();
    let settled = false;
    const printing = page.print().finally(() => (settled = true));
    // Harm at once, and again every 50 ms until the print ends: on a loaded machine the process
    // table may not yet list the page's renderer at the first look.
    let harmed = 0;
    const harming = (async () => {
      while (!settled) {
        harmed += harm(watch.left(), session);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const outcome = await printing.then(
      () => 'printed',
      (error: Error) => `${error.name}: ${error.message}`,
    );
    await harming;
    const ms = performance.now() - started;
    await page.close();
    await session.close();
    return { outcome, ms, harmed, seen: watch.seen(), left: await leftBehind(watch, 2_000) };
  } finally {
    watch.stop();
  }
}

/** Send a signal to each process; returns how many were there to receive it. */
const kill = (signal: NodeJS.Signals, pids: number[]) => {
  let sent = 0;
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
      sent++;
    } catch {
      // Gone already.
    }
  }
  return sent;
};

describe('a browser failing in the middle of a print', () => {
  it('whose page crashes: a clear error at once, and no process left', async () => {
    const result = await printWhile(30_000, (processes) =>
      kill(
        'SIGKILL',
        pageRenderers(processes).map((found) => found.pid),
      ),
    );
    expect(result.harmed).toBeGreaterThan(0);
    expect(result.outcome).toMatch(
      /^EnvironmentError: The browser stopped \(it crashed or was closed\) while printing: /,
    );
    expect(result.ms).toBeLessThan(10_000);
    expect(result.seen.length).toBeGreaterThan(3);
    expect(result.left).toEqual([]);
  });

  it('that is killed: a clear error at once, and no process left', async () => {
    const result = await printWhile(30_000, (_, session) => kill('SIGKILL', [session.pid!]));
    expect(result.outcome).toMatch(
      /^EnvironmentError: The browser stopped \(it crashed or was closed\) while printing: /,
    );
    expect(result.ms).toBeLessThan(10_000);
    expect(result.left).toEqual([]);
  });

  it('whose page stops answering: an error at the timeout, and the stopped renderer killed on close', async () => {
    const result = await printWhile(browserTimeoutMs, (processes) =>
      kill(
        'SIGSTOP',
        pageRenderers(processes).map((found) => found.pid),
      ),
    );
    expect(result.outcome).toBe(
      `EnvironmentError: The browser did not answer within ${printWaitS} s while printing (set a ` +
        `longer wait with --browser-timeout)`,
    );
    expect(result.ms).toBeGreaterThan(stepTimeoutMs(browserTimeoutMs, html.length) - 100);
    expect(result.ms).toBeLessThan(printWaitS * 1000 + 3_000);
    expect(result.left).toEqual([]);
  });

  it('that stops answering altogether: an error at the timeout, and the whole browser killed on close', async () => {
    const result = await printWhile(browserTimeoutMs, (_, session) => kill('SIGSTOP', [session.pid!]));
    expect(result.outcome).toBe(
      `EnvironmentError: The browser did not answer within ${printWaitS} s while printing (set a ` +
        `longer wait with --browser-timeout)`,
    );
    expect(result.ms).toBeLessThan(printWaitS * 1000 + 3_000);
    expect(result.left).toEqual([]);
  });
});
