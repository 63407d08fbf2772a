import type { Metadata } from '../../document/metadata.js';
import { toolName, toolVersion } from '../../version.js';
import { pdfDate } from './pdf-file.js';

/**
 * The PDF's document information from the front matter. Chromium writes only
 * the title and puts its own user agent in Creator; the dates are the
 * printing's unless `SOURCE_DATE_EPOCH` fixes them, in UTC, so that two
 * builds of the same manuscript give the same bytes in any time zone.
 */
export function documentInfo(
  metadata: Metadata,
  printed: ReadonlyMap<string, string>,
  sourceDateEpoch?: number,
): Array<[string, string]> {
  const entries: Array<[string, string]> = [['Title', metadata.title]];
  if (metadata.authors.length > 0) entries.push(['Author', metadata.authors.join('; ')]);
  if (metadata.description) entries.push(['Subject', metadata.description]);
  if (metadata.keywords.length > 0) entries.push(['Keywords', metadata.keywords.join(', ')]);
  entries.push(['Creator', `${toolName} ${toolVersion}`]);
  const producer = printed.get('Producer');
  if (producer) entries.push(['Producer', producer]);
  const fixed = sourceDateEpoch === undefined ? undefined : pdfDate(new Date(sourceDateEpoch * 1000));
  const created = fixed ?? printed.get('CreationDate');
  const modified = fixed ?? printed.get('ModDate') ?? created;
  if (created) entries.push(['CreationDate', created]);
  if (modified) entries.push(['ModDate', modified]);
  return entries;
}
