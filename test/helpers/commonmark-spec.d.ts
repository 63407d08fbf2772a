declare module 'commonmark-spec' {
  /** The examples of the CommonMark specification, in order. */
  export const tests: Array<{ markdown: string; html: string; section: string; number: number }>;
  /** The specification's text. */
  export const text: string;
}
