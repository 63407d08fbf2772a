// `npm run compile`, after tsc: bundles the compiled modules of lib/ with the libraries they import into a few
// files in lib/bundle/, which the package and the `imprint` command run (decision 085). Node then loads about 30
// files instead of about 800 at every start, which takes a third of the time. Usage: node scripts/bundle.mjs
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { codeDigestFile, codeDigestOf } from '../lib/release/code-digest.js';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'lib/bundle');
rmSync(out, { recursive: true, force: true });

// CommonJS libraries call require(): give the bundle one, resolving from lib/bundle/ as from lib/.
const requireInBundle = [
  "import { createRequire as __imprintRequire } from 'node:module';",
  'const require = __imprintRequire(import.meta.url);',
].join('\n');

await build({
  absWorkingDir: root,
  entryPoints: {
    api: 'lib/api.js',
    supervisor: 'lib/cli/supervisor.js',
    // The supervisor starts the command's process from `./child.js` beside its own module: the same folder here.
    child: 'lib/cli/child.js',
    // Started by compile/parse-manuscript.ts from `./parse-worker.js` beside its own module: the same folder here.
    'parse-worker': 'lib/compile/parse-worker.js',
  },
  outdir: out,
  bundle: true,
  // What a manuscript may not need (the EPUB's packager, the citation processors, …) stays in chunks of its own,
  // loaded by the dynamic imports that load it now.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Left to Node, from node_modules: the libraries that find files of their own beside their modules (WebAssembly,
  // hyphenation patterns, fonts, a worker script, templates), which a bundle would move away from them. Puppeteer is
  // bundled: its transports are loaded by dynamic imports that esbuild follows into chunks of their own. So is the
  // EPUB's packager (its templates are modules): loaded from one chunk instead of 190 files of node_modules,
  // in 0.12 s instead of 0.18 s (decision 090).
  external: [
    'harfbuzzjs',
    'wawoff2',
    'subset-font',
    'fontverter',
    'hyphen',
    '@fontsource/*',
    '@citation-js/*',
    'citeproc',
    'sync-fetch',
  ],
  banner: { js: requireInBundle },
  // Blanks and comments out, and the syntax shortened; the names kept, so a stack trace (IMPRINT_DEBUG) still names
  // each function. Node reads and parses 7 MB instead of 10 at a start: about 35 ms less for every build.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'eof',
  logLevel: 'warning',
});

// The digest of the bundle's code, which a build records in its fingerprint (src/release/inputs.ts): made once
// here, instead of every build reading and hashing the bundle again (decision 086).
writeFileSync(path.join(out, codeDigestFile), `${await codeDigestOf(out)}\n`);
