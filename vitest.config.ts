import { defineConfig } from 'vitest/config';

/** The tests that harm a browser at a given moment (kill it, stop it, interrupt a build) and time how it ends. */
const timed = [
  'test/safety/faults.test.ts',
  'test/safety/faults-print.test.ts',
  'test/safety/faults-lifetime.test.ts',
  'test/safety/faults-interrupt.test.ts',
];
/** The tests that need no browser: `npm run test:fast` runs only these. */
const fast = ['test/unit/**/*.test.ts', 'test/architecture/**/*.test.ts'];

export default defineConfig({
  test: {
    // A test's timeout only ends one that hangs: it is sized to the slowest machine a test may run on (a loaded
    // two-core machine builds a megabyte-long paragraph in minutes), never to a quiet laptop. Tests assert what
    // was made, never how fast.
    testTimeout: 15 * 60_000,
    hookTimeout: 15 * 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: fast,
          // Two cores: run test files two at a time (the same as the editions, which run beside them).
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'editions',
          include: ['test/**/*.test.ts'],
          exclude: [...timed, ...fast],
          // One Chromium for the whole run: every test that prints connects to it; and one epubcheck.
          globalSetup: ['test/helpers/global-browser.ts', 'test/helpers/global-epubcheck.ts'],
          // Two cores: run test files two at a time.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'faults',
          // Each starts its own Chromium and harms it at a chosen moment: on a machine loaded by
          // other test files the moment slips, so these run after them, one file at a time.
          include: timed,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
