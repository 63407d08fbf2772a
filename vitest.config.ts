import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The tests that harm a browser at a given moment (kill it, stop it, interrupt a build) and see how it ends. Most
 * of their time is spent waiting: for a stopped browser's timeout, for a killed one's processes to go.
 */
const faults = [
  'test/safety/faults.test.ts',
  'test/safety/faults-print.test.ts',
  'test/safety/faults-lifetime.test.ts',
  'test/safety/faults-interrupt.test.ts',
];
/** The tests that need no browser: `npm run test:fast` runs only these. */
const fast = ['test/unit/**/*.test.ts', 'test/architecture/**/*.test.ts'];
/**
 * Test files run at a time, all projects together. Two cores: two files keep them busy, and a third keeps them
 * busy while a fault test waits (decision 089).
 */
const workers = 3;

/**
 * Vitest queues the projects' files one project after another (by name: editions, fast, faults), so the fault files,
 * which mostly wait, would run last, beside each other, with the cores idle. Here the first is queued after the
 * first of the others, and each next one after three more: from the start, one waits while two work.
 */
class FaultsBesideTheRest extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const waiting = sorted.filter((file) => file.project.name === 'faults');
    const working = sorted.filter((file) => !waiting.includes(file));
    const queue: TestSpecification[] = [];
    for (const [index, file] of working.entries()) {
      if (index % 3 === 1 && waiting.length > 0) queue.push(waiting.shift()!);
      queue.push(file);
    }
    return [...queue, ...waiting];
  }
}

export default defineConfig({
  test: {
    // A test's timeout only ends one that hangs: it is sized to the slowest machine a test may run on (a loaded
    // two-core machine builds a megabyte-long paragraph in minutes), never to a quiet laptop. Tests assert what
    // was made, never how fast.
    testTimeout: 15 * 60_000,
    hookTimeout: 15 * 60_000,
    setupFiles: ['test/helpers/clean-up.ts'],
    sequence: { sequencer: FaultsBesideTheRest },
    projects: [
      {
        extends: true,
        test: { name: 'fast', include: fast, maxWorkers: workers },
      },
      {
        extends: true,
        test: {
          name: 'editions',
          include: ['test/**/*.test.ts'],
          exclude: [...faults, ...fast],
          // One Chromium for the whole run: every test that prints connects to it; and one epubcheck.
          globalSetup: ['test/helpers/global-browser.ts', 'test/helpers/global-epubcheck.ts'],
          maxWorkers: workers,
        },
      },
      {
        extends: true,
        test: {
          name: 'faults',
          // Each starts its own Chromium and harms it once a process appears or a step begins, again until the build
          // ends, and accepts every stage the harm can land in: a machine loaded by the other files moves the moment,
          // not the outcome.
          include: faults,
          maxWorkers: workers,
        },
      },
    ],
  },
});
