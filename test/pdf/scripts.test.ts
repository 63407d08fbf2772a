import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuildResult } from '../../src/api.js';
import { documentFaces, families } from '../../src/assets/fonts.js';
import { epubEntries } from '../helpers/epub.js';
import { pageWords } from '../helpers/pdf.js';
import { epubcheck, pdfFonts, temporaryFolder } from '../helpers/tools.js';
import { buildInMemory } from '../helpers/build.js';

/**
 * Text in every script imprint ships a face for, with running heads in
 * Chinese: each script is drawn by its face in every edition (never by a
 * font of the machine, never left out), and a character no face has is a
 * located warning, an error with `--strict`.
 */

const manuscript = `---
title: 多语言报告 Scripts
author: A. Writer
date: 2026-01-01
lang: zh
chapters: true
---

# 前言

中文段落，用于测试页眉。Greek: Ελληνικά. Cyrillic: Привет мир. Tiếng Việt.

# Scripts

Arabic: مرحبا بالعالم. Hebrew: שלום עולם. Hindi: नमस्ते दुनिया. Thai: สวัสดีชาวโลก.

Korean: 안녕하세요 세계. Emoji: 🚀 📈 ✅. Japanese: :span[こんにちは世界]{lang=ja}.

**Bold مرحبا** and _italic שלום_ and \`code 안녕\`.

Runes: ᚠᚢ.

Symbols: build → test, ≤ 5, ≠ 3, done ✓, star ★, key ⌘.

\`\`\`text
root
├── a
│   └── deep
└── b
    └── deeper ᚱ
\`\`\`

More: বাংলা தமிழ் తెలుగు ગુજરાતી ਪੰਜਾਬੀ ಕನ್ನಡ മലയാളം සිංහල ភាសាខ្មែរ ພາສາລາວ မြန်မာ ქართული Հայերեն አማርኛ བོད་ཡིག.
`;

/** The PostScript names of the faces each script must be drawn with. */
const expectedFaces = [
  'SourceSerif4-Regular',
  'NotoSerifSC',
  'NotoSerifJP',
  'NotoNaskhArabic-Regular',
  'NotoSerifHebrew-Regular',
  'NotoSerifDevanagari-Regular',
  'NotoSerifThai-Regular',
  'NotoSerifKR',
  'NotoEmoji-Regular',
  'NotoSerifBengali-Regular',
  'NotoSerifTamil-Regular',
  'NotoSerifTelugu-Regular',
  'NotoSerifGujarati-Regular',
  'NotoSansGurmukhi-Regular',
  'NotoSansKannada-Regular',
  'NotoSerifMalayalam-Regular',
  'NotoSerifSinhala-Regular',
  'NotoSerifKhmer-Regular',
  'NotoSerifLao-Regular',
  'NotoSerifMyanmar-Regular',
  'NotoSerifGeorgian-Regular',
  'NotoSerifArmenian-Regular',
  'NotoSansEthiopic-Regular',
  'NotoSerifTibetan-Regular',
  // A directory tree's box drawing; ticks, stars and keys; arrows and operators.
  'CascadiaMono-Regular',
  'NotoSansSymbols2-Regular',
  'NotoSansMath-Regular',
  // Code in a Chinese report keeps its monospaced face (the language's rule once won over \`code\`'s).
  'SourceCodePro',
];

async function buildIt(strict = false): Promise<{ result: BuildResult; file: string }> {
  const dir = await temporaryFolder();
  const file = path.join(dir, 'report.md');
  await writeFile(file, manuscript);
  const result = await buildInMemory({
    manuscripts: [file],
    formats: ['html', 'pdf', 'epub'],
    strict,
  });
  return { result, file };
}

describe('every script has a face', () => {
  let built: BuildResult;

  beforeAll(async () => {
    built = (await buildIt()).result;
  });

  const edition = (format: string) =>
    built.reports[0]!.editions.find((candidate) => candidate.format === format)!.bytes;

  it('names each character no face can draw, once, at its line and column', () => {
    const messages = built.files.flatMap((file) => file.messages);
    expect(messages.map((message) => [message.ruleId, message.line, message.column, message.reason])).toEqual([
      ['glyph-missing', 21, 8, 'No face imprint ships can draw U+16A0 “ᚠ”: it would print as an empty box'],
      ['glyph-missing', 21, 9, 'No face imprint ships can draw U+16A2 “ᚢ”: it would print as an empty box'],
      // In a code block: its line in the manuscript, not the start of the file.
      ['glyph-missing', 30, 16, 'No face imprint ships can draw U+16B1 “ᚱ”: it would print as an empty box'],
    ]);
    expect(built.reports[0]!.ok).toBe(true);
  });

  it('draws every script with its shipped face in the PDF, and no face of the machine', async () => {
    const fonts = (await pdfFonts(edition('pdf'))).map((font) => font.name.replace(/^[A-Z]{6}\+/, ''));
    for (const face of expectedFaces)
      expect(
        fonts.some((name) => name.startsWith(face)),
        `${face} in ${fonts.join(', ')}`,
      ).toBe(true);
    expect(fonts.filter((name) => /DejaVu|Liberation/.test(name))).toEqual([]);
  });

  it("sets a tree's box drawing at the code's advance, so its columns line up", async () => {
    const words = (await pageWords(edition('pdf'))).flat();
    const at = (text: string) => words.find((word) => word.text === text)!.xMin;
    // One under a vertical line and three spaces, one under four spaces: level only if │ is as wide as a space.
    expect(Math.abs(at('deep') - at('deeper'))).toBeLessThan(0.05);
    expect(at('deep') - at('a')).toBeGreaterThan(10);
  });

  it('sets the running heads of a Chinese report in the Chinese face', async () => {
    const words = await pageWords(edition('pdf'));
    // Page 3 is the first chapter's: the short title and the chapter's title above the page area (22 mm).
    const head = words[2]!.filter((word) => word.yMax < (22 / 25.4) * 72).map((word) => word.text);
    expect(head.join(' ')).toContain('多语言报告');
    expect(head.join(' ')).toContain('前言');
  });

  it('subsets the faces into the EPUB, one file each, and passes epubcheck', async () => {
    const epub = edition('epub');
    const fonts = [...(await epubEntries(epub))].filter(([name]) => name.includes('/fonts/'));
    const names = fonts.map(([name]) => name.replace(/^.*\//, ''));
    for (const script of [
      'noto-naskh-arabic',
      'noto-serif-hebrew',
      'noto-serif-devanagari',
      'noto-serif-thai',
      'noto-serif-kr',
      'noto-emoji',
      'noto-serif-bengali',
      'noto-sans-ethiopic',
      'noto-serif-tibetan',
      'cascadia-mono',
      'noto-sans-symbols-2',
      'noto-sans-math-arrows',
    ]) {
      expect(
        names.filter((name) => name.startsWith(script)),
        script,
      ).toHaveLength(1);
    }
    for (const [name, bytes] of fonts) expect(bytes.length, name).toBeLessThan(120_000);
    const check = await epubcheck(epub);
    expect({ fatals: check.fatals, errors: check.errors, warnings: check.warnings }, check.output).toEqual({
      fatals: 0,
      errors: 0,
      warnings: 0,
    });
  });

  it('inlines the script faces into the HTML subset, so the page stays small', () => {
    // The Chinese and Japanese faces are whole (about 1.5 MB each); the six others add little.
    expect(edition('html').length).toBeLessThan(6_000_000);
  });

  it('fails the build with --strict', async () => {
    const { result } = await buildIt(true);
    expect(result.reports[0]!.ok).toBe(false);
    expect(result.reports[0]!.editions).toEqual([]);
  });
});

describe('the faces a document loads', () => {
  const scripts = (lang: string, text: string) =>
    [...new Set(documentFaces(lang, text).flatMap((face) => (face.script ? [face.script] : [])))].sort();

  it('loads no face of another script for Latin, Greek and Cyrillic text', () => {
    expect(scripts('en', 'Hello “world” – café, Ελληνικά, Привет, 1–2 #3 ©')).toEqual([]);
  });

  it('loads the faces of the scripts the text uses, and the Chinese face by the language', () => {
    expect(scripts('ar', 'مرحبا')).toEqual(['arabic']);
    expect(scripts('en', 'שלום and 🚀')).toEqual(['emoji', 'hebrew']);
    expect(scripts('en', '├── a → b ≤ c ✓')).toEqual(['arrows-and-operators', 'box-drawing', 'symbols']);
    expect(scripts('bn', 'বাংলা ও ქართული')).toEqual(['bengali', 'georgian']);
    expect(scripts('zh', '中文')).toEqual(['chinese-simplified', 'japanese']);
    expect(scripts('zh-Hant', '中文')).toEqual(['chinese-simplified', 'chinese-traditional', 'japanese']);
    expect(scripts('ko', '한국어 漢字')).toEqual(['chinese-simplified', 'japanese', 'korean']);
  });

  it('declares a script face under the text and code families, before their own faces', () => {
    const faces = documentFaces('ar', 'مرحبا');
    const arabic = faces.filter((face) => face.script === 'arabic');
    expect(arabic.filter((face) => face.family === families.text)).toHaveLength(6);
    expect(arabic.filter((face) => face.family === families.mono)).toHaveLength(1);
    const lastAlias = faces.findLastIndex((face) => face.script === 'arabic' && face.family === families.text);
    const firstText = faces.findIndex((face) => !face.script && face.family === families.text);
    expect(lastAlias).toBeLessThan(firstText);
  });
});

describe('Chinese or Japanese in code, in a document that does not say its language', () => {
  it('is drawn by the shipped Chinese face, as the text would be, not left to a face of the machine', async () => {
    const dir = await temporaryFolder();
    const file = path.join(dir, 'report.md');
    // A command line with a Japanese placeholder, as in a manual page; no other Chinese or Japanese anywhere.
    await writeFile(file, '# Archives\n\nTo compress: `7z a {{アーカイブ.7z}}`.\n');
    const result = await buildInMemory({
      manuscripts: [file],
      formats: ['pdf'],
    });
    expect(result.files.flatMap((each) => each.messages.map(String))).toEqual([]);
    const fonts = (await pdfFonts(result.reports[0]!.editions[0]!.bytes)).map((font) => font.name);
    expect(
      fonts.some((name) => /^[A-Z]{6}\+NotoSerifSC/.test(name)),
      fonts.join(', '),
    ).toBe(true);
  });
});
