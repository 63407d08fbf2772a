import { copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { readTemplateFonts } from '../../src/writers/print-page/template-fonts.js';
import { buildHtml } from '../helpers/messages.js';
import { temporaryFolder } from '../helpers/tools.js';

/**
 * The fonts a template folder's style sheets load (`@font-face { src: url(…) }`) are read when the templates are:
 * a source that cannot be used is an error at the line and column of its `url(` in the style sheet, with its rule
 * id, and the run stops before any report is built (no browser is needed to say so).
 */
const fixtureFont = path.resolve(import.meta.dirname, '../templates/house-style/fonts/House.woff2');

async function project(printCss: string, epubCss?: string): Promise<{ dir: string; templates: string }> {
  const dir = await temporaryFolder();
  const templates = path.join(dir, 'house');
  await mkdir(path.join(templates, 'fonts'), { recursive: true });
  await copyFile(fixtureFont, path.join(templates, 'fonts/House.woff2'));
  await writeFile(path.join(templates, 'print.css'), printCss);
  if (epubCss !== undefined) await writeFile(path.join(templates, 'epub.css'), epubCss);
  await writeFile(path.join(dir, 'report.md'), '---\ntitle: House\n---\n\n# One\n\nText.\n');
  return { dir, templates };
}

/** A style sheet: a comment, a rule that loads a font the folder has, then `lines` (from line 3). */
const sheet = (...lines: string[]) =>
  ['/* house */', '@font-face { font-family: "House"; src: url("fonts/House.woff2"); }', ...lines].join('\n');

describe("a template folder's fonts that cannot be used", () => {
  it('a missing file: template-font-missing, at the url( of its src, in the style sheet', async () => {
    const { dir, templates } = await project(
      sheet(
        '@font-face {',
        '  font-family: "Gone";',
        '  src: local("Gone"), url("fonts/Gone.woff2") format("woff2");',
        '}',
      ),
    );
    const { ok, messages } = await buildHtml(dir, { templateDir: templates });
    expect(ok).toBe(false);
    expect(messages).toEqual([
      {
        file: 'house/print.css',
        line: 5,
        column: 23,
        ruleId: 'template-font-missing',
        reason: `Font \`fonts/Gone.woff2\` cannot be found (looked for ${path.join(templates, 'fonts/Gone.woff2')})`,
      },
    ]);
  });

  it('a file outside the template folder, by .. or by a link: template-font-outside', async () => {
    const { dir, templates } = await project(
      sheet(
        '@font-face { font-family: "Out"; src: url(../elsewhere/House.woff2); }',
        '@font-face { font-family: "Link"; src: url("fonts/Link.woff2"); }',
        '@font-face { font-family: "File"; src: url("file:///etc/fonts/House.woff2"); }',
      ),
    );
    await mkdir(path.join(dir, 'elsewhere'));
    await copyFile(fixtureFont, path.join(dir, 'elsewhere/House.woff2'));
    await symlink(path.join(dir, 'elsewhere/House.woff2'), path.join(templates, 'fonts/Link.woff2'));
    const { ok, messages } = await buildHtml(dir, { templateDir: templates });
    expect(ok).toBe(false);
    expect(messages).toEqual([
      expect.objectContaining({
        file: 'house/print.css',
        line: 3,
        column: 39,
        ruleId: 'template-font-outside',
        reason: `Font \`../elsewhere/House.woff2\` is outside the template folder ${templates}`,
      }),
      expect.objectContaining({
        file: 'house/print.css',
        line: 4,
        column: 40,
        ruleId: 'template-font-outside',
        reason: expect.stringMatching(
          /^Font `fonts\/Link.woff2` is a link to .*elsewhere\/House.woff2, outside the template folder/,
        ),
      }),
      expect.objectContaining({ line: 5, column: 40, ruleId: 'template-font-outside' }),
    ]);
  });

  it('not a font by its first bytes (whatever its name), or a font cut short: template-font-invalid', async () => {
    const { dir, templates } = await project(
      sheet(
        '@font-face { font-family: "Text"; src: url("fonts/Text.woff2") format("woff2"); }',
        '@font-face { font-family: "Cut"; src: url("fonts/Cut.woff2") format("woff2"); }',
      ),
    );
    await writeFile(path.join(templates, 'fonts/Text.woff2'), 'This is a text file, not a font at all.\n');
    // The first 200 bytes of the font: its header says WOFF2, and the rest is missing.
    await writeFile(path.join(templates, 'fonts/Cut.woff2'), (await readFile(fixtureFont)).subarray(0, 200));
    const { ok, messages } = await buildHtml(dir, { templateDir: templates });
    expect(ok).toBe(false);
    expect(messages).toEqual([
      {
        file: 'house/print.css',
        line: 3,
        column: 40,
        ruleId: 'template-font-invalid',
        reason:
          'Font `fonts/Text.woff2` is not a font file: a template may bring WOFF2, WOFF, TrueType or OpenType fonts',
      },
      expect.objectContaining({
        file: 'house/print.css',
        line: 4,
        column: 39,
        ruleId: 'template-font-invalid',
        reason: expect.stringMatching(/^Font `fonts\/Cut.woff2` cannot be read as a font: it does not decompress/),
      }),
    ]);
  });

  it('a remote font, in the EPUB style sheet: template-font-remote, and nothing is fetched', async () => {
    const { dir, templates } = await project(
      sheet(),
      '@font-face {\n  font-family: "Far";\n  src: url(https://fonts.example/far.woff2);\n}\n',
    );
    const fetched: string[] = [];
    const { diskReader } = await import('../../src/compile/resources.js');
    const { ok, messages } = await buildHtml(dir, {
      templateDir: templates,
      allowRemote: true,
      reader: {
        ...diskReader,
        fetch: async (url) => {
          fetched.push(String(url));
          return new Uint8Array();
        },
      },
    });
    expect(ok).toBe(false);
    expect(messages).toEqual([
      expect.objectContaining({ file: 'house/epub.css', line: 3, column: 8, ruleId: 'template-font-remote' }),
    ]);
    expect(fetched).toEqual([]);
  });

  it('a font the folder has is read, named by its digest, and its format() hint dropped', async () => {
    const { templates } = await project('');
    const css = sheet('@font-face { font-family: "B"; src: local("B"), url(fonts/House.woff2) format("woff2"); }');
    const file = new VFile({ path: path.join(templates, 'print.css'), value: css });
    const read = await readTemplateFonts(css, file, templates);
    expect(file.messages).toEqual([]);
    expect(read.fonts).toHaveLength(1);
    const [font] = read.fonts;
    expect(font).toMatchObject({
      mediaType: 'font/woff2',
      fonts: ['normal normal 16px "House"', 'normal normal 16px "B"'],
    });
    expect(font!.url).toMatch(/^template-fonts\/[0-9a-f]{16}\.woff2$/);
    expect(read.css).toContain(`src: url("${font!.url}");`);
    expect(read.css).toContain(`src: local("B"), url("${font!.url}");`);
    expect(read.setsPageSize).toBe(false);
    const sized = await readTemplateFonts('@page { size: 170mm 240mm; }', file, templates);
    expect(sized.setsPageSize).toBe(true);
  });
});
