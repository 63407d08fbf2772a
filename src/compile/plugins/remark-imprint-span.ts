import type { Root } from 'mdast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import { error } from '../../diagnostics/report.js';

/** A BCP 47 language tag, as the front matter's `lang` takes it. */
export const languageTag = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/**
 * `:span[安倍晋三]{lang=ja}`: text in another language than the document's.
 * It becomes `<span lang="ja">`, so each edition sets it in the face for that
 * language (the Japanese one here, the Simplified Chinese one for `zh`),
 * hyphenates it by that language's rules or not at all, and screen readers
 * pronounce it right.
 */
const remarkImprintSpan: Plugin<[], Root> = function () {
  return (tree, file) => {
    visit(tree, 'textDirective', (node) => {
      if (node.name !== 'span') return;
      const attributes = node.attributes ?? {};
      const unknown = Object.keys(attributes).filter((name) => name !== 'lang' && name !== 'dir');
      for (const name of unknown) {
        error(file, `Unknown attribute \`${name}\` on \`:span\` (known: lang, dir)`, {
          place: node.position,
          ruleId: 'directive-attribute',
        });
      }
      const lang = attributes.lang?.trim();
      const dir = attributes.dir?.trim();
      if (dir !== undefined && !['ltr', 'rtl', 'auto'].includes(dir)) {
        error(file, `\`:span\` takes \`dir\` as ltr, rtl or auto (got \`${dir}\`)`, {
          place: node.position,
          ruleId: 'directive-attribute',
        });
        return;
      }
      // `:span[YouTube]{dir=ltr}`: a run of text in the other direction, isolated from the text around it.
      if (dir !== undefined && lang === undefined) {
        if (unknown.length > 0) return;
        node.data = { ...node.data, hName: 'span', hProperties: { dir } };
        return;
      }
      if (!lang || !languageTag.test(lang)) {
        error(
          file,
          lang
            ? `\`:span\` needs \`lang\` to be a BCP 47 language tag such as ja, zh-Hans or en-GB (got \`${lang}\`)`
            : '`:span` needs `lang` or `dir`, as in `:span[安倍晋三]{lang=ja}` or `:span[YouTube]{dir=ltr}`',
          { place: node.position, ruleId: 'directive-attribute' },
        );
        return;
      }
      if (unknown.length > 0) return;
      node.data = { ...node.data, hName: 'span', hProperties: dir === undefined ? { lang } : { lang, dir } };
    });
  };
};

export default remarkImprintSpan;
