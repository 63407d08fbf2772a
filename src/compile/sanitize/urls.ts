/**
 * A URL as a browser reads it before it looks at the scheme: ASCII tab and
 * newline removed wherever they are, C0 controls and spaces removed at both
 * ends (the attribute value is already entity-decoded by the parser), and the
 * scheme, if any, in lower case. `jav&#x09;ascript:` becomes `javascript:`,
 * so the scheme check sees what a browser would follow.
 */
export function urlAsBrowsersRead(value: string): string {
  const stripped = value.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(stripped);
  return scheme ? `${scheme[1]!.toLowerCase()}:${stripped.slice(scheme[0].length)}` : stripped;
}

/** The scheme of a URL read as browsers read it (lower case, no colon), or undefined for a relative URL. */
export function urlScheme(value: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):/.exec(urlAsBrowsersRead(value))?.[1];
}

/** Whether a reader may follow this link: the web, mail, or a place in the document or beside it (no scheme). */
export function isFollowableLink(value: string): boolean {
  const scheme = urlScheme(value);
  return scheme === undefined
    ? !urlAsBrowsersRead(value).startsWith('//')
    : ['http', 'https', 'mailto'].includes(scheme);
}
