#!/usr/bin/env node
// The imprint command. The TypeScript in src/ is compiled to lib/ and bundled into lib/bundle/ by `npm install`
// (prepare) or `npm run compile`.
// The command runs in a process of its own (lib/bundle/child.js), so that this one can obey SIGINT and SIGTERM at any
// moment, killing it if it is busy (src/cli/supervisor.ts).
import { existsSync } from 'node:fs';

const entry = new URL('../lib/bundle/supervisor.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'imprint: lib/ is missing; run `npm run compile` (or `npm install`) in the imprint folder first\n',
  );
  process.exit(2);
}
const { supervise } = await import(entry.href);
process.exitCode = await supervise(process.argv.slice(2));
