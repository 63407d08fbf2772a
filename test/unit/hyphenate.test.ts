import type { Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { h } from 'hastscript';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import rehypeImprintHyphenate, {
  hyphenateText,
  hyphenatorFor,
} from '../../src/compile/plugins/rehype-imprint-hyphenate.js';

const shown = (text: string) => text.replace(/\u00ad/g, '·');

describe('hyphenation for print', () => {
  it('puts soft hyphens where British English allows, leaving two letters before a break and three after', () => {
    const british = hyphenatorFor('en-GB')!;
    expect(shown(hyphenateText('The relationship between infrastructure and normalisation', british))).toBe(
      'The re·la·tion·ship between in·fra·struc·ture and nor·mal·isa·tion',
    );
    // No break would leave fewer than three letters at the end of an English word.
    expect(shown(hyphenateText('policy ministers', british))).toBe('policy min·is·ters');
    for (const word of shown(hyphenateText('responsibility consolidation hyphenation', british)).split(' ')) {
      const pieces = word.split('·');
      expect(pieces[0]!.length).toBeGreaterThanOrEqual(2);
      expect(pieces.at(-1)!.length).toBeGreaterThanOrEqual(3);
      expect(pieces.slice(1, -1).every((piece) => piece.length > 1)).toBe(true);
    }
  });

  it('leaves URLs, addresses, acronyms, numbers and words with soft hyphens alone', () => {
    const british = hyphenatorFor('en-GB')!;
    const text =
      'See https://www.mofa.go.jp/region/asia-paci/china/joint72.html or mail press@example.org ' +
      'about AIIB in 2017 and co\u00adoperation.';
    expect(hyphenateText(text, british)).toBe(text);
  });

  it('chooses patterns by language, and none for Chinese, Japanese or a language without patterns', () => {
    expect(shown(hyphenateText('Zusammenarbeit', hyphenatorFor('de')!))).toBe('Zu·sam·men·ar·beit');
    expect(hyphenatorFor('en')).toBeTypeOf('function');
    expect(hyphenatorFor('fr-CA')).toBeTypeOf('function');
    expect(hyphenatorFor('ja')).toBeUndefined();
    expect(hyphenatorFor('zh-Hans')).toBeUndefined();
    expect(hyphenatorFor('tlh')).toBeUndefined();
  });

  it('hyphenates the body by the nearest lang, and never headings, code or table cells', () => {
    const tree: Root = {
      type: 'root',
      children: [
        h('h2', 'International relationship'),
        h('p', [
          'International relationship ',
          h('span', { lang: 'ja' }, 'international'),
          ' ',
          h('code', 'relationship'),
        ]),
        h('p', { lang: 'de' }, 'Zusammenarbeit'),
        h('table', [h('tr', [h('td', 'Infrastructure')])]),
      ],
    };
    unified().use(rehypeImprintHyphenate, { lang: 'en-GB' }).runSync(tree);
    expect(shown(toHtml(tree))).toBe(
      '<h2>International relationship</h2>' +
        '<p>In·ter·na·tional re·la·tion·ship <span lang="ja">international</span> <code>relationship</code></p>' +
        '<p lang="de">Zu·sam·men·ar·beit</p>' +
        '<table><tr><td>Infrastructure</td></tr></table>',
    );
  });
});
