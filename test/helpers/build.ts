import { inject } from 'vitest';
import { build, type BuildOptions, type BuildResult } from '../../src/api.js';

/**
 * A build that writes nothing and prints with the run's one shared Chromium: its editions come back as bytes, and
 * it leaves the browser running for the other test files.
 */
export function buildInMemory(options: BuildOptions): Promise<BuildResult> {
  return build({ ...options, write: false, browser: { wsEndpoint: inject('browserWSEndpoint') } });
}
