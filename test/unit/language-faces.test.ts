import { readFileSync } from 'node:fs';
import path from 'node:path';
import postcss from 'postcss';
import { describe, expect, it } from 'vitest';
import { documentFaces, families, languageFaces } from '../../src/assets/fonts.js';

/**
 * The shipped templates choose the face for Han characters by `:lang()`, in rules written by hand in each style
 * sheet; `languageFaces` (src/assets/fonts.ts) is the table they follow. A language added there, or a rule
 * changed in one sheet only, fails here with the rules the sheet should have.
 */

const templates = path.resolve(import.meta.dirname, '../../templates');

/** Each selector of the sheet's `:lang()` rules with the `font-family` it sets, in the sheet's order. */
function languageRules(sheet: string): Array<[string, string]> {
  const rules: Array<[string, string]> = [];
  postcss.parse(readFileSync(path.join(templates, sheet), 'utf8')).walkRules((rule) => {
    if (!rule.selector.includes(':lang(')) return;
    let family = '';
    rule.walkDecls('font-family', (declaration) => {
      family = declaration.value;
    });
    for (const selector of rule.selectors) rules.push([selector, family]);
  });
  return rules;
}

/** The rules `languageFaces` asks for: the text's, then the code's (which keeps its monospaced face first). */
function expectedRules(): Array<[string, string]> {
  const text = languageFaces.flatMap(({ tags, family }) =>
    tags.map((tag): [string, string] => [`[lang]:lang(${tag})`, `"${families.text}", "${family}", serif`]),
  );
  const code = languageFaces.flatMap(({ tags, family }) =>
    tags.flatMap((tag) =>
      ['code', 'pre', 'kbd', 'samp'].map((element): [string, string] => [
        `${element}:lang(${tag})`,
        `"${families.mono}", "${family}", monospace`,
      ]),
    ),
  );
  return [...text, ...code];
}

describe('the faces of languages that write Han characters', () => {
  it.each(['print.css', 'epub.css'])('are chosen in %s as fonts.ts lists them, in its order', (sheet) => {
    // In order: a longer tag's rule (`zh-Hant`) comes after the shorter one's (`zh`) it is a case of.
    expect(languageRules(sheet)).toEqual(expectedRules());
  });

  it('are loaded by a document in each language whose text has Han characters', () => {
    for (const { tags, family } of languageFaces) {
      for (const tag of tags) {
        expect(
          documentFaces(tag, '漢字').map((face) => face.family),
          tag,
        ).toContain(family);
        expect(
          documentFaces(`${tag}-x-test`, '漢字').map((face) => face.family),
          tag,
        ).toContain(family);
      }
    }
  });
});
