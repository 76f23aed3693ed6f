import type { ValidateFunction } from 'ajv';
import { createAjv, type JsonSchemaObject } from '@tagplan/json-schema';

/**
 * Compiles each distinct schema once for the life of the process. Catalog refreshes build
 * new indexes but reuse every validator whose schema did not change, and environment
 * versions that give an event the same schema share one validator. Compiling is the
 * expensive part of loading a catalog, so it happens lazily, on first use (or in the
 * background warm-up), never at load.
 */
export class ValidatorCache {
  private readonly ajv = createAjv();
  private readonly compiled = new Map<string, ValidateFunction>();

  get size(): number {
    return this.compiled.size;
  }

  validator(schema: JsonSchemaObject): ValidateFunction {
    // The $id names the environment version; equal schemas of different versions must
    // share a validator, and ajv refuses a second schema with the same $id anyway.
    const { $id: _id, ...anonymous } = schema;
    const key = JSON.stringify(anonymous);
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(anonymous);
      this.compiled.set(key, validate);
    }
    return validate;
  }
}
