// The floor: a bare Puppeteer script that launches Chromium, loads one page,
// prints it and closes, with nothing else. Run in its own process.
import puppeteer from 'puppeteer';

const [htmlFile, pdfFile, executablePath] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
});
const page = await browser.newPage();
await page.goto(`file://${htmlFile}`, { waitUntil: 'load' });
await page.pdf({ path: pdfFile, preferCSSPageSize: true, printBackground: true });
await browser.close();
