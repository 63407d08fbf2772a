/**
 * imprint never relies on Puppeteer's browser download: the download host is
 * not reachable everywhere (CI runners behind a proxy, offline machines), and
 * the build finds a configured, cached or system Chromium instead
 * (see src/browser/locate.ts and docs/decisions/).
 */
module.exports = { skipDownload: true };
