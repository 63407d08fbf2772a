import type { Metadata } from '../config/metadata.js';
import type { CompiledDocument } from '../pipeline.js';

/** A compiled document whose inputs had no errors: what the edition writers take. */
export interface ReportDocument extends CompiledDocument {
  metadata: Metadata;
}
