/**
 * Mapping files: the YAML format (Zod schema, published JSON Schema), loading with line-numbered
 * errors, and compilation into per-entity row transformers and a load order.
 * @module
 */
export {
  mappingSchema,
  entitySchema,
  fieldSchema,
  mappingJsonSchema,
  SIMPLE_TRANSFORMS,
  TRANSFORM_NAMES,
  SYNC_CONFLICT_POLICIES,
  type SyncConflictPolicy,
  type Mapping,
  type EntityMapping,
  type FieldMapping,
  type TransformStep,
} from './mapping.schema.ts';
export {
  parseMapping,
  readMappingFile,
  loadMapping,
  formatMappingError,
  MappingFileError,
  type MappingError,
  type MappingParseResult,
} from './mapping-loader.ts';
export {
  compileMapping,
  formatPath,
  MappingCompileError,
  type CompiledMapping,
  type CompiledEntity,
  type CompiledSync,
  type EntityRef,
  type FieldError,
  type MappedValue,
  type RefResolver,
  type RowResult,
  type TransformContext,
} from './compile-mapping.ts';
export { checkMapping, type MappingProblem } from './mapping-checks.ts';
export { encodeLegacyKey, decodeLegacyKey } from './legacy-key.ts';
export { RuleViolation, type MappingRule } from './rule-violation.ts';
export {
  compileExpression,
  ExpressionSyntaxError,
  EXPRESSION_FUNCTIONS,
  type CompiledExpression,
} from './expression.ts';
export {
  parseDecimal,
  formatDecimal,
  toMinorUnits,
  type DecimalParts,
  type MoneyRounding,
} from './decimal.ts';
export { zonedToUtc, parseDateTime, offsetAt, isTimeZone, type Disambiguation } from './zoned-time.ts';
