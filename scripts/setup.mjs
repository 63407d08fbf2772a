#!/usr/bin/env node
// Installs what a build or the tests need and the npm registry cannot give:
//   node scripts/setup.mjs browser   a Chromium to print with
//   node scripts/setup.mjs test      that, plus Java and epubcheck, poppler and qpdf,
//                                    Calibre and Pandoc (EPUB readers) and Ace by DAISY
// Each step checks first and does nothing when the tool is already there. Where
// it cannot install (not root, no apt-get) it says exactly what to do and fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const mode = process.argv[2] ?? 'browser';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
let aptUpdated = false;

function have(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function aptInstall(packages, why) {
  if (!isRoot || !hasApt) {
    console.error(
      `setup: ${why} is missing. Install it with:\n  sudo apt-get update && sudo apt-get install -y ` +
        `${packages.join(' ')}`,
    );
    process.exit(1);
  }
  console.error(`setup: installing ${packages.join(' ')} (${why})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    execFileSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    aptUpdated = true;
  }
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
}

async function ensureBrowser() {
  const { locateBrowser, EnvironmentError } = await import(path.join(root, 'lib/browser/locate.js'));
  const { puppeteerCachedBrowser } = await import(path.join(root, 'lib/browser/puppeteer-cache.js'));
  const find = () => locateBrowser({ puppeteerPath: () => puppeteerCachedBrowser() });
  try {
    find();
    return;
  } catch (cause) {
    if (!(cause instanceof EnvironmentError) || process.env.PUPPETEER_EXECUTABLE_PATH) {
      console.error(`setup: ${cause.message}`);
      process.exit(1);
    }
  }
  if (!isRoot || !hasApt) {
    console.error(
      `setup: ${'No Chromium or Chrome found.'}\n${'  '}Install one (on Debian or Ubuntu: sudo ` +
        `apt-get install -y chromium),\n  or set PUPPETEER_EXECUTABLE_PATH to a Chrome or ` +
        `Chromium,\n  or run: npx puppeteer browsers install chrome`,
    );
    process.exit(1);
  }
  aptInstall(['chromium'], 'a Chromium to print the PDF');
  find();
}

function ensureTestTools() {
  const missing = [];
  if (!have('java')) missing.push('default-jre-headless');
  if (!existsSync('/usr/share/java/epubcheck.jar')) missing.push('epubcheck');
  if (!have('pdfinfo') || !have('pdftoppm')) missing.push('poppler-utils');
  if (!have('qpdf')) missing.push('qpdf');
  if (!have('ebook-convert')) missing.push('calibre');
  if (!have('pandoc')) missing.push('pandoc');
  if (missing.length > 0) aptInstall(missing, 'the validators and readers the tests run');
  const ace = path.join(root, 'tools/ace');
  if (!existsSync(path.join(ace, 'node_modules/.bin/ace-puppeteer'))) {
    console.error('setup: installing Ace by DAISY into tools/ace');
    execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: ace,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
}

await ensureBrowser();
if (mode === 'test') ensureTestTools();
