import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeLongManuscript } from '../../bench/long-manuscript.js';
import { imprint } from '../helpers/cli.js';
import { pdfInfo, temporaryFolder } from '../helpers/tools.js';

describe('a long report’s PDF, built twice', () => {
  it('is byte for byte the same with SOURCE_DATE_EPOCH, in two time zones, each with its own Chromium', async () => {
    const dir = await temporaryFolder();
    const { manuscript } = await writeLongManuscript(dir);
    const builds: Uint8Array[] = [];
    for (const zone of ['Pacific/Auckland', 'America/New_York']) {
      const out = path.join(dir, zone.replace('/', '-'));
      const run = await imprint(['build', manuscript, '--out', out, '--format', 'pdf', '--quiet'], {
        env: { SOURCE_DATE_EPOCH: '1499472000', TZ: zone },
      });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      builds.push(new Uint8Array(await readFile(path.join(out, 'long.pdf'))));
    }
    expect(builds[0]!.byteLength).toBeGreaterThan(1_000_000);
    expect(Buffer.compare(Buffer.from(builds[0]!), Buffer.from(builds[1]!))).toBe(0);
    const info = await pdfInfo(builds[0]!);
    expect(info.CreationDate).toMatch(/Jul\s+8 00:00:00 2017 UTC/);
    expect(info.ModDate).toBe(info.CreationDate);
  });
});
