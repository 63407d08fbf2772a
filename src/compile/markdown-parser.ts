import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
import { remarkDefinitionList } from 'remark-definition-list';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { remarkMathFencesAlone } from './math-fences.js';

/**
 * The Markdown imprint reads, as a processor that only parses: CommonMark with front matter, GFM (tables,
 * footnotes, strikethrough, task lists, autolinks), definition lists, math and directives. The pipeline adds its
 * plugins to it; an included file is read with it (a formula in an included part is math, as in the manuscript),
 * and so is each piece of a long manuscript that a worker thread parses (compile/parse-worker.ts). Single dollars
 * are math only when they hug their formula (`$x$`), so "$5 and $10" stays prose; a display equation's fence is `$$`
 * alone on its line, and `$$…$$` written across lines is a display equation as in Pandoc (math-fences.ts).
 */
export function markdownParser() {
  return unified()
    .use(remarkParse)
    .use(remarkFrontmatter, ['yaml', 'toml'])
    .use(remarkGfm)
    .use(remarkDefinitionList)
    .use(remarkMath)
    .use(remarkMathFencesAlone)
    .use(remarkDirective);
}
