// The floor: a bare Puppeteer script that launches Chromium, loads one page,
// prints it and closes, with nothing else. Run in its own process; prints the
// time of each step as JSON.
//
// With `measured` after its arguments, it also lays the page out once in columns the size of the page area
// (imprint's measuring style sheet, `measureCss`) and reads that layout, before it takes the style sheet out and
// prints: the one layout a tool that knows its page numbers before printing cannot do without. What that adds to
// the floor, any such design pays at least (docs/bench.md, ninth round).
import { readFile } from 'node:fs/promises';
import puppeteer from 'puppeteer-core';

const [htmlFile, pdfFile, executablePath, mode] = process.argv.slice(2);
const stages = {};
let last = performance.now();
const lap = (stage) => {
  const now = performance.now();
  stages[stage] = now - last;
  last = now;
};
const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  // As imprint does (decision 087): without these features off, Chromium starts a renderer for its address bar's
  // pop-ups at launch, and the floor would pay for work a print never needs and imprint does not do.
  args: [
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
  ],
});
lap('launch');
const page = await browser.newPage();
await page.goto(`file://${htmlFile}`, { waitUntil: 'load' });
lap('load');
if (mode === 'measured') {
  const { columnBreakCss, pageArea } = await import('../lib/writers/pdf/page-css.js');
  const { measureCss } = await import('../lib/writers/pdf/print-layout.js');
  const html = await readFile(htmlFile, 'utf8');
  const styleSheets = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((match) => match[1]);
  const area = pageArea(styleSheets, /class="paper-letter"/.test(html) ? 'letter' : 'a4');
  const started = performance.now();
  stages.columns = await page.evaluate(
    (css) => {
      const sheet = document.createElement('style');
      sheet.id = 'floor-measure';
      sheet.textContent = css;
      document.head.append(sheet);
      return Math.round(document.body.scrollWidth / document.documentElement.clientWidth);
    },
    measureCss(area, columnBreakCss(styleSheets)),
  );
  await page.evaluate(() => document.getElementById('floor-measure').remove());
  stages.measure = performance.now() - started;
  last = performance.now();
}
await page.pdf({ path: pdfFile, preferCSSPageSize: true, printBackground: true });
lap('print');
await browser.close();
lap('close');
process.stdout.write(JSON.stringify({ stages }));
