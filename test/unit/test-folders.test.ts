import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeTemporaryFolders, temporaryFolder } from '../helpers/tools.js';

describe("the tests' temporary folders", () => {
  it.skipIf(process.env.IMPRINT_KEEP_TEST_FILES === '1')('are removed with what is in them', async () => {
    const folder = await temporaryFolder();
    await writeFile(path.join(folder, 'made.txt'), 'by a test');
    await removeTemporaryFolders();
    await expect(stat(folder)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
