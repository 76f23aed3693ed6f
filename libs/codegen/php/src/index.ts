import type { GeneratedFile, LangpackModel, PackageNaming } from '@tagplan/codegen-core';
import { generatePhpFiles } from './generator';

/**
 * The PHP langpack of one environment version: a Composer package (PSR-4, PHP >= 8.1)
 * with a typed class per event, a backed enum per enum field, a validator for decoded
 * JSON and a batching client. See libs/codegen/README.md for the contract.
 */
export function generatePhp(model: LangpackModel, naming?: PackageNaming): GeneratedFile[] {
  return generatePhpFiles(model, naming);
}

export { buildView } from './view-model';
export type { PhpView } from './view-model';
export { RESERVED_CLASS_NAMES, escapeIdentifier } from './php.facts';
