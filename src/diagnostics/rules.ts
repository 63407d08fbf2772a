/**
 * The closed list of diagnostics imprint reports. Every message a run prints
 * carries one of these rule ids, so CI annotations and tests can match on a
 * stable name instead of on wording.
 */
export const ruleIds = [
  // reading the manuscript
  'manuscript-missing',
  'manuscript-unreadable',
  'manuscript-empty',
  'manuscript-binary',
  'text-control-character',
  // front matter
  'front-matter-syntax',
  'front-matter-schema',
  // directives
  'directive-unknown',
  'directive-attribute',
  'directive-unterminated',
  'fenced-div',
  'code-cell',
  // math, code, figures and callouts written in Markdown
  'math-syntax',
  'figure-attribute',
  'callout-type',
  // data files
  'data-missing',
  // a file the manuscript names is there but cannot be read (permissions, a device error)
  'file-unreadable',
  'data-syntax',
  'data-schema',
  'data-outside-project',
  'data-remote',
  // structure
  'duplicate-id',
  'reference-missing',
  'link-outside-book',
  // citations and bibliographies
  'bibliography-missing',
  'bibliography-syntax',
  'bibliography-duplicate',
  'citation-missing',
  'citation-style',
  // consistency of the prose with the data
  'data-mismatch',
  // project configuration and the run
  'config-missing',
  'config-syntax',
  'config-schema',
  'manuscript-unmatched',
  'output-conflict',
  // release manifests
  'manifest-invalid',
  'manifest-mismatch',
  'manifest-overlap',
  'manifest-incomplete',
  // images and included files
  'image-missing',
  'image-outside-project',
  'image-remote',
  'image-invalid',
  'image-too-complex',
  'include-missing',
  'include-outside-project',
  'include-cycle',
  // footnotes
  'footnote-undefined',
  'footnote-duplicate',
  'footnote-unused',
  // raw HTML
  'html-unsafe',
  // limits on what one manuscript may ask of a build (docs/limits.md)
  'limit-nesting',
  'limit-inline-delimiters',
  'limit-includes',
  'limit-table-rows',
  'limit-image-pixels',
  'limit-headings',
  'limit-blocks',
  'html-normalized',
  // typesetting
  'paragraph-ragged',
  // editions
  'epub-invalid',
  // environment
  'browser-missing',
  'browser-failed',
  'output-failed',
  // print layout
  'page-layout-mismatch',
  'page-layout-unchecked',
  // scripts and fonts
  'glyph-missing',
  // a template folder's style sheets and the fonts they bring
  'template-css-syntax',
  'template-font-missing',
  'template-font-outside',
  'template-font-invalid',
  'template-font-remote',
] as const;

export type RuleId = (typeof ruleIds)[number];

/** Value of `source` on every message imprint creates. */
export const messageSource = 'imprint';
