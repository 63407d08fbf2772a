import type { Metadata } from './metadata.js';
import type { CompiledDocument } from './compiled-document.js';

/** A compiled document whose inputs had no errors: what the edition writers take. */
export interface ReportDocument extends CompiledDocument {
  metadata: Metadata;
}
