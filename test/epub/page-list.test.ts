import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuildResult } from '../../src/api.js';
import { checkPages } from '../helpers/page-list.js';
import { buildInMemory } from '../helpers/build.js';

const root = path.resolve(import.meta.dirname, '../..');

/** The long report's page list is checked with the rest of its build, in test/e2e/long-report.test.ts. */
describe('the EPUB page list follows the printed PDF', () => {
  let report: BuildResult;

  beforeAll(async () => {
    report = await buildInMemory({
      sourceDateEpoch: 1499472000,
      manuscripts: [path.join(root, 'manuscript/report.md')],
      formats: ['pdf', 'epub'],
    });
    expect(report.ok).toBe(true);
  });

  it(
    'on the default report: a marker where each page of the body begins, and the PDF edition named ' + 'as the source',
    async () => {
      const { opf } = await checkPages(report, 'Defrosting Sino-Japanese Relations');
      expect(opf.metadata.get('dc:source')).toEqual([
        'Defrosting Sino-Japanese Relations: What Now?, PDF edition (A4)',
      ]);
      expect(opf.metadata.get('schema:accessibilityFeature')).toEqual(
        expect.arrayContaining(['pageNavigation', 'pageBreakMarkers']),
      );
    },
  );
});
