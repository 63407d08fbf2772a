// The warm floor: a bare Puppeteer script with Chromium already running and a
// page already open, timing only page.setContent(html) + page.pdf() of one
// document, several times. Prints each render's milliseconds as JSON.
import { readFileSync } from 'node:fs';
import puppeteer from 'puppeteer-core';

const [htmlFile, executablePath, count = '5'] = process.argv.slice(2);
const html = readFileSync(htmlFile, 'utf8');
const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
});
const page = await browser.newPage();
// One render before timing, so the page's renderer process is up (as it is in a warm browser).
await page.setContent(html, { waitUntil: 'load' });
await page.pdf({ preferCSSPageSize: true, printBackground: true });
const ms = [];
for (let run = 0; run < Number(count); run++) {
  const started = performance.now();
  await page.setContent(html, { waitUntil: 'load' });
  await page.pdf({ preferCSSPageSize: true, printBackground: true });
  ms.push(performance.now() - started);
}
await browser.close();
process.stdout.write(JSON.stringify({ ms }));
