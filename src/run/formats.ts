/**
 * The editions and the timed steps of a build: kept apart from the build
 * itself so that the run can be settled (and Chromium started) before the
 * pipeline's modules are loaded.
 */
export const formats = ['html', 'pdf', 'epub'] as const;
export type Format = (typeof formats)[number];

/**
 * The timed steps of a build. The print page is made (`template`), loaded in
 * Chromium with its fonts (`load`), measured (`measure`), printed (`print`)
 * and the printed PDF finished (`finish`).
 */
export type Stage =
  | 'read'
  | 'parse'
  | 'transform'
  | 'browser'
  | 'html'
  | 'template'
  | 'load'
  | 'measure'
  | 'print'
  | 'finish'
  | 'epub'
  | 'write';
