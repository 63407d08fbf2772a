import { describe, expect, it } from 'vitest';
import * as imprint from 'imprint';
import type { BuildOptions, BuildResult, EditionResult, Manifest, ProgressEvent, ReportResult } from 'imprint';
import { copySeries } from '../helpers/series.js';

describe('the public API (the package’s "exports")', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(imprint).sort()).toEqual([
      'EnvironmentError',
      'build',
      'check',
      'checksumFileName',
      'configFileNames',
      'forgetLoadedTemplates',
      'formats',
      'manifestFileName',
      'memoryReader',
      'mergeManifests',
      'parseShard',
      'startBrowser',
      'themes',
    ]);
    expect(imprint.formats).toEqual(['html', 'pdf', 'epub']);
    expect(imprint.themes).toEqual(['book', 'brief']);
    expect(imprint.manifestFileName).toBe('manifest.json');
    expect(imprint.checksumFileName).toBe('SHA256SUMS');
    expect(imprint.parseShard('2/3')).toEqual({ index: 2, count: 3 });
  });

  it('builds through the installed entry point and returns typed editions and diagnostics', async () => {
    const dir = await copySeries();
    const events: ProgressEvent[] = [];
    const options: BuildOptions = {
      cwd: dir,
      formats: ['html'],
      write: false,
      onProgress: (event) => events.push(event),
    };
    const result: BuildResult = await imprint.build(options);
    expect(result.ok).toBe(true);
    const reports: ReportResult[] = result.reports;
    const editions: EditionResult[] = reports.flatMap((report) => report.editions);
    expect(editions.map((edition) => [edition.format, edition.status])).toEqual([
      ['html', 'built'],
      ['html', 'built'],
      ['html', 'built'],
    ]);
    expect(
      editions.every((edition) => edition.bytes instanceof Uint8Array && /^[0-9a-f]{64}$/.test(edition.sha256)),
    ).toBe(true);
    const manifest: Manifest | undefined = result.manifest;
    expect(manifest).toBeUndefined();
    expect(events.filter((event) => event.kind === 'report')).toHaveLength(3);

    // Manuscripts can come from memory instead of the disk.
    const fromMemory = await imprint.build({
      cwd: '/virtual',
      manuscripts: ['note.md'],
      formats: ['html'],
      write: false,
      config: false,
      reader: imprint.memoryReader({
        '/virtual/note.md': '---\ntitle: A note\nauthor: A. Author\n---\n\n# One\n\nText.\n',
      }),
    });
    expect(fromMemory.ok).toBe(true);
    expect(new TextDecoder().decode(fromMemory.reports[0]!.editions[0]!.bytes)).toContain('A note');

    const broken = await imprint.build({ cwd: dir, manuscripts: ['notes/missing.md'], write: false });
    expect(broken.ok).toBe(false);
    expect(broken.files.flatMap((file) => file.messages.map((message) => [message.ruleId, message.fatal]))).toEqual([
      ['manuscript-missing', true],
    ]);
  });
});
