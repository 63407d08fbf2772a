#!/usr/bin/env node
// The imprint command. The TypeScript in src/ is compiled to lib/ by `npm install` (prepare) or `npm run compile`.
import { existsSync } from 'node:fs';

const entry = new URL('../lib/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'imprint: lib/ is missing; run `npm run compile` (or `npm install`) in the imprint folder first\n',
  );
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
