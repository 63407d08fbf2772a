// The floor: a bare Puppeteer script that launches Chromium, loads one page,
// prints it and closes, with nothing else. Run in its own process; prints the
// time of each step as JSON.
import puppeteer from 'puppeteer-core';

const [htmlFile, pdfFile, executablePath] = process.argv.slice(2);
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
await page.pdf({ path: pdfFile, preferCSSPageSize: true, printBackground: true });
lap('print');
await browser.close();
lap('close');
process.stdout.write(JSON.stringify({ stages }));
