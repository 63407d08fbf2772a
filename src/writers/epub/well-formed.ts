import { SaxesParser } from 'saxes';

/** Where an XML document is not well-formed (or uses a namespace prefix it never declares). */
export interface XmlProblem {
  line: number;
  column: number;
  message: string;
}

/**
 * Problems a strict XML parser (namespaces on) finds in a document: none when
 * every reading system can parse it. A reading system that meets one shows
 * nothing of the file, or an error page.
 */
export function xmlProblems(xml: string): XmlProblem[] {
  const problems: XmlProblem[] = [];
  const parser = new SaxesParser({ xmlns: true, position: true });
  parser.on('error', (cause) => {
    problems.push({ line: parser.line, column: parser.column, message: cause.message.replace(/^[^:]*:\d+:\d+: /, '') });
  });
  try {
    parser.write(xml).close();
  } catch (cause) {
    problems.push({ line: parser.line, column: parser.column, message: String(cause) });
  }
  return problems;
}
