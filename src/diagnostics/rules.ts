/**
 * The closed list of diagnostics imprint reports. Every message a run prints
 * carries one of these rule ids, so CI annotations and tests can match on a
 * stable name instead of on wording.
 */
export const ruleIds = [
  // reading the manuscript
  'manuscript-missing',
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
  // data files
  'data-missing',
  'data-syntax',
  'data-schema',
  'data-outside-project',
  'data-remote',
  // structure
  'duplicate-id',
  'reference-missing',
  'link-outside-book',
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
  'include-missing',
  'include-outside-project',
  'include-cycle',
  // raw HTML
  'html-unsafe',
  // environment
  'browser-missing',
  'browser-failed',
  'output-failed',
  // print layout
  'page-layout-mismatch',
  'page-layout-unchecked',
  // scripts and fonts
  'glyph-missing',
] as const;

export type RuleId = (typeof ruleIds)[number];

/** Value of `source` on every message imprint creates. */
export const messageSource = 'imprint';
