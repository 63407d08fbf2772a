import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEntities, epubFiles } from '../helpers/epub.js';
import { temporaryFolder } from '../helpers/tools.js';
import { connectSharedBrowser, type SharedBrowser } from '../helpers/shared-browser.js';
import { buildInMemory } from '../helpers/build.js';

/**
 * No script runs and nothing is fetched, whatever raw HTML a manuscript holds:
 * the HTML edition of a manuscript of injection vectors is opened in Chromium
 * with JavaScript on (as a reader opens it), every link and area is clicked,
 * and hooks on `alert`, `confirm`, `prompt`, `print` and the console, plus a
 * log of every request, see nothing; the EPUB's XHTML holds no script, no
 * event handler and no script URL.
 */
/** Protocol-relative, so that no text autolinks it: a file:// page would ask for file://127.0.0.1:9/…. */
const loop = '//127.0.0.1:9';
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
let browser: SharedBrowser;
let vectors: string[];
let manuscript: string;

beforeAll(async () => {
  browser = await connectSharedBrowser();
  const list = await readFile(path.resolve(import.meta.dirname, 'inputs/xss/vectors.txt'), 'utf8');
  vectors = list
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => line.replaceAll('LOOP', loop));
  const dir = await temporaryFolder();
  manuscript = path.join(dir, 'report.md');
  // The images the vectors name, so that the build makes its editions.
  for (const name of ['x', '1']) await writeFile(path.join(dir, name), png);
  const frontMatter = [
    '---',
    "title: 'Vectors </title><script>alert(1)</script>'",
    'short-title: "</style><script>alert(1)</script><style>"',
    'author: "A. Writer\\" onload=\\"alert(1)"',
    'lang: en-GB',
    'chapters: true',
    '---',
  ].join('\n');
  const headings = '# Head </style><script>alert(1)</script>\n\n# Quote " } @import url(LOOP/head.css); a { x: "\n\n';
  await writeFile(manuscript, `${frontMatter}\n\n${headings.replaceAll('LOOP', loop)}${vectors.join('\n\n')}\n`);
});
afterAll(async () => {
  await browser?.disconnect();
});

describe('injection vectors', { timeout: 600_000 }, () => {
  it('are at least 80, from every class', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(80);
  });

  it('run no script and load nothing in the HTML edition, with JavaScript on and every link clicked', async () => {
    const result = await buildInMemory({
      manuscripts: [manuscript],
      formats: ['html'],
    });
    expect(result.ok).toBe(true);
    const html = Buffer.from(result.reports[0]!.editions[0]!.bytes).toString('utf8');
    expect(html).toContain('<meta http-equiv="content-security-policy"');
    const file = path.join(path.dirname(manuscript), 'report.html');
    await writeFile(file, html);
    const pageUrl = pathToFileURL(file).href;

    const ran: string[] = [];
    const requests: string[] = [];
    const page = await browser.newPage();
    try {
      await page.setJavaScriptEnabled(true);
      await page.exposeFunction('__imprintScriptRan', (what: string) => ran.push(what));
      await page.evaluateOnNewDocument(() => {
        const report = (what: string) =>
          (window as unknown as { __imprintScriptRan(what: string): void }).__imprintScriptRan(what);
        for (const name of ['alert', 'confirm', 'prompt', 'print', 'eval', 'msgbox'] as const) {
          Object.defineProperty(window, name, { value: (...args: unknown[]) => report(`${name}(${args.join(',')})`) });
        }
        try {
          // A frame of any kind inside the edition (an iframe that got through) marks the page.
          if (window.parent !== window) (window.parent as unknown as Record<string, unknown>).__childFrame = true;
        } catch {
          // another origin: its own hooks report
        }
      });
      page.on('console', (message) => ran.push(`console: ${message.text()}`));
      page.on('dialog', (dialog) => {
        ran.push(`dialog: ${dialog.message()}`);
        void dialog.dismiss();
      });
      page.on('popup', (popup) => ran.push(`popup: ${popup?.url()}`));
      await page.setRequestInterception(true);
      page.on('request', (request) => {
        const url = request.url();
        if (url.startsWith('data:') || (url === pageUrl && request.frame() === page.mainFrame())) {
          void request.continue();
          return;
        }
        requests.push(`${request.resourceType()} ${url}`);
        void request.abort('blockedbyclient');
      });

      await page.goto(pageUrl, { waitUntil: 'load' });
      await page.evaluate(() => document.fonts.ready);
      // Every link and area, clicked as a reader would (and by an event, for those that have no box).
      const count = (await page.$$('a, area')).length;
      expect(count).toBeGreaterThan(10);
      for (let index = 0; index < count; index++) {
        const link = (await page.$$('a, area'))[index];
        if (!link) continue;
        try {
          await link.click({ delay: 1 }).catch(() => undefined);
          await link.evaluate((element) =>
            element.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true })),
          );
          await link.hover().catch(() => undefined);
        } catch (cause) {
          // A click that replaced the page (a script URL that ran): seen, and the page is opened again.
          ran.push(`click ${index}: ${cause instanceof Error ? cause.message : String(cause)}`);
        }
        // A place in the page (`#id`) is not a navigation away from it.
        if (page.url().replace(/#.*$/, '') !== pageUrl) {
          ran.push(`navigated to ${page.url()}`);
          await page.goto(pageUrl, { waitUntil: 'load' });
        }
      }
      // Focus and hover everything, for handlers that wait for them.
      await page.evaluate(() => {
        for (const element of document.querySelectorAll<HTMLElement>('*')) {
          element.focus?.();
          for (const type of ['mouseover', 'pointerover', 'focusin', 'toggle']) element.dispatchEvent(new Event(type));
        }
      });
      // A round trip to the page's renderer, so that anything a click or focus started has been handled.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
      const found = await page.evaluate(() => {
        const all = [...document.querySelectorAll('*')];
        return {
          handlers: all.flatMap((element) =>
            [...element.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name),
          ),
          scripts: document.querySelectorAll('script, iframe, object, embed, frame, foreignObject, base, link').length,
          scriptUrls: all.flatMap((element) =>
            [...element.attributes]
              .filter((a) => /^\s*(?:javascript|vbscript|data:text)/i.test(a.value.replace(/[\t\n\r]/g, '')))
              .map((a) => a.value),
          ),
          childFrame: (window as unknown as Record<string, unknown>).__childFrame === true,
        };
      });
      expect(ran).toEqual([]);
      expect(requests).toEqual([]);
      expect(found).toEqual({ handlers: [], scripts: 0, scriptUrls: [], childFrame: false });
      // The page itself is all there: the hooks were live (a control call is heard), and the text survived.
      await page.evaluate(() => alert('control'));
      expect(ran).toEqual(['alert(control)']);
      expect(await page.evaluate(() => document.body.textContent)).toContain('encoded tab link');
    } finally {
      await page.close();
    }
  });

  it('that leave an image without a source stop the build at their place, before any edition', async () => {
    const list = await readFile(path.resolve(import.meta.dirname, 'inputs/xss/refused.txt'), 'utf8');
    const refused = list.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
    const dir = await temporaryFolder();
    await writeFile(
      path.join(dir, 'report.md'),
      `---\ntitle: Refused\nauthor: A. Writer\n---\n\n${refused.join('\n\n')}\n`,
    );
    const result = await buildInMemory({
      manuscripts: [path.join(dir, 'report.md')],
      formats: ['html', 'epub'],
    });
    expect(result.ok).toBe(false);
    expect(result.reports[0]!.editions).toEqual([]);
    const errors = result.files.flatMap((file) => file.messages.filter((message) => message.fatal));
    expect(errors.map((message) => message.line)).toEqual(refused.map((_, index) => 6 + 2 * index));
  });

  it('leave no script, event handler or script URL in the EPUB', async () => {
    const result = await buildInMemory({
      manuscripts: [manuscript],
      formats: ['epub'],
    });
    expect(result.ok).toBe(true);
    const files = await epubFiles(result.reports[0]!.editions[0]!.bytes);
    const documents = [...files].filter(([name]) => /\.(?:xhtml|html|svg|ncx|opf)$/.test(name));
    expect(documents.length).toBeGreaterThan(1);
    for (const [name, text] of documents) {
      // Text may quote anything (it is escaped); tags and attributes are what a reader would act on.
      const tags = text.match(/<[a-zA-Z][^>]*>/g) ?? [];
      expect(
        tags.filter(
          (tag) =>
            /^<(?:[a-z]+:)?(?:script|iframe|object|embed|foreignObject|base|link)\b/i.test(tag) &&
            !/^<link[^>]*rel="stylesheet"[^>]*href="[^":]*"/.test(tag),
        ),
        name,
      ).toEqual([]);
      const attributes = tags.flatMap((tag) => [...tag.matchAll(/\s([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')/g)]);
      expect(
        attributes.filter(([, key]) => /^on/i.test(key!)).map(([all]) => all),
        name,
      ).toEqual([]);
      const values = attributes.map(([, key, value]) => [
        key,
        decodeEntities(value!.slice(1, -1)).replace(/[\u0000-\u0020]/g, ''),
      ]);
      expect(
        values.filter(([, value]) => /(?:javascript|vbscript|livescript):|127\.0\.0\.1/i.test(value!)).map(String),
        name,
      ).toEqual([]);
    }
  });
});
