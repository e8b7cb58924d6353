// A validated mapping compiled into per-entity row transformers and a load order.
import type { SourceRow, SourceSpec } from '../connectors/source-connector.ts';
import { compileExpression } from './expression.ts';
import { encodeLegacyKey, isMissingKeyPart } from './legacy-key.ts';
import {
  checkMapping,
  fieldSourceKinds,
  keyColumns,
  referenceEdges,
  type MappingProblem,
} from './mapping-checks.ts';
import type { EntityMapping, FieldMapping, Mapping, SyncConflictPolicy } from './mapping.schema.ts';
import { RuleViolation, show, type MappingRule } from './rule-violation.ts';
import { columnReader, compileStep, type Step, type StepContext } from './transform-steps.ts';

/** A mapped field value: what the loaders receive. */
export type MappedValue = string | number | boolean | null;

/** Why a field of a row was rejected. */
export interface FieldError {
  /** Target field, or `$key` when the row's own legacy key is missing. */
  readonly field: string;
  readonly rule: MappingRule;
  readonly message: string;
  /** Source column(s) the field reads, when it reads columns. */
  readonly columns?: readonly string[];
}

/** Outcome of transforming one source row. */
export type RowResult =
  | { readonly ok: true; readonly value: Record<string, MappedValue>; readonly legacyKey: string }
  | { readonly ok: false; readonly errors: readonly FieldError[]; readonly legacyKey: string | null };

/**
 * Resolves a reference: the Only id of the `entity` row with this encoded legacy key, or undefined
 * when there is none (the row is then rejected with rule `ref`). Synchronous: migrate loads the ids
 * a batch needs first (see `CompiledEntity.refKeys`).
 */
export type RefResolver = (entity: string, legacyKey: string) => string | undefined;

/** Per-call options of a row transformer. */
export interface TransformContext {
  /** Without a resolver, ref fields hold the encoded legacy key of the referenced row. */
  readonly resolveRef?: RefResolver;
}

/** A reference from a field of one entity to another entity's legacy key. */
export interface EntityRef {
  readonly field: string;
  readonly entity: string;
  readonly columns: readonly string[];
  readonly optional: boolean;
}

/** The `sync` block of an entity, defaults applied. */
export interface CompiledSync {
  /** Null: the entity is synced by comparing every row (diff). */
  readonly watermark: { readonly column: string; readonly type: 'timestamp' | 'version' } | null;
  readonly conflicts: SyncConflictPolicy;
  readonly deletes: 'apply' | 'ignore';
  /** Zone of a zone-less timestamp watermark (the source's). */
  readonly timeZone: string | null;
}

/** One entity, ready to run. */
export interface CompiledEntity {
  readonly name: string;
  /** `<service>.<entity>` the rows are loaded into. */
  readonly target: string;
  readonly tenant: string;
  /** What to read, as connectors take it (key and filter included). */
  readonly source: SourceSpec;
  /** Legacy key columns, in key order. */
  readonly key: readonly string[];
  /** The watermark column (`watermark` or `sync.watermark.column`); null: sync by diff. */
  readonly watermark: string | null;
  /** How `only sync` treats the entity. */
  readonly sync: CompiledSync;
  readonly batchSize: number;
  readonly parallelism: number;
  /** Target fields in file order. */
  readonly fields: readonly string[];
  readonly refs: readonly EntityRef[];
  /** Entities this one references (they load first). */
  readonly dependsOn: readonly string[];
  /** Every source column the mapping reads (check them against the source's `describe`). */
  readonly sourceColumns: readonly string[];
  /** The encoded legacy key of a row; throws RuleViolation (rule `key`) when a part is missing. */
  legacyKey(row: SourceRow): string;
  /** Encoded legacy keys of the rows this row references, for prefetching ids; null when absent. */
  refKeys(row: SourceRow): { readonly ref: EntityRef; readonly legacyKey: string | null }[];
  /** Maps one source row; never throws for bad data (every broken field is listed). */
  transform(row: SourceRow, context?: TransformContext): RowResult;
}

/** A compiled mapping. */
export interface CompiledMapping {
  readonly mapping: Mapping;
  /** Entity names in dependency order: referenced entities before those that reference them. */
  readonly order: readonly string[];
  readonly entities: ReadonlyMap<string, CompiledEntity>;
  /** One entity by name; throws for an unknown name. */
  entity(name: string): CompiledEntity;
}

/** A mapping that cannot be compiled; `problems` name the paths. */
export class MappingCompileError extends Error {
  readonly problems: readonly MappingProblem[];

  constructor(problems: readonly MappingProblem[]) {
    super(`mapping is invalid:\n${problems.map((p) => `  ${formatPath(p.path)}: ${p.message}`).join('\n')}`);
    this.name = 'MappingCompileError';
    this.problems = problems;
  }
}

/** `['entities', 'orders', 'fields', 'total', 'transform', 0]` → `entities.orders.fields.total.transform[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

const DEFAULT_BATCH_SIZE = 1000;
const DEFAULT_PARALLELISM = 1;

interface CompiledField {
  readonly name: string;
  readonly columns: readonly string[];
  run(row: SourceRow, context: TransformContext | undefined): MappedValue;
}

function checkOutput(value: unknown): MappedValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    throw new RuleViolation('type', `is a list of ${value.length} values: join them with a concat step`);
  }
  throw new RuleViolation('type', `${show(value)} is not text, a number or a yes/no value`);
}

function compileField(name: string, field: FieldMapping, context: StepContext): CompiledField {
  const spec = typeof field === 'string' ? { column: field } : field;
  const steps: Step[] = (typeof field === 'string' ? [] : (field.transform ?? [])).map((step) =>
    compileStep(step, context),
  );
  const [kind] = fieldSourceKinds(field);
  let read: (row: SourceRow) => unknown;
  let columns: string[];
  switch (kind) {
    case 'column': {
      const column = spec.column ?? '';
      read = columnReader(column);
      columns = [column];
      break;
    }
    case 'columns': {
      const readers = (spec.columns ?? []).map(columnReader);
      read = (row) => readers.map((reader) => reader(row));
      columns = [...(spec.columns ?? [])];
      break;
    }
    case 'value': {
      const constant = spec.value ?? null;
      read = () => constant;
      columns = [];
      break;
    }
    case 'expr': {
      const expression = compileExpression(spec.expr ?? '');
      read = (row) => expression.evaluate({ row });
      columns = [...expression.columns];
      break;
    }
    default:
      // Ref fields are compiled by compileRef; checkMapping rules out fields without a source.
      throw new TypeError(`field ${name} is not a value field`);
  }
  // Columns read by steps (currency columns, expressions) count as read too.
  for (const step of typeof field === 'string' ? [] : (field.transform ?? [])) {
    if (typeof step === 'object' && 'money' in step && step.money.currencyColumn !== undefined) {
      columns.push(step.money.currencyColumn);
    }
    if (typeof step === 'object' && 'expr' in step) {
      columns.push(...compileExpression(step.expr, { valueName: true }).columns);
    }
  }
  return {
    name,
    columns,
    run: (row) => {
      let value = read(row);
      for (const step of steps) value = step(value, row);
      return checkOutput(value);
    },
  };
}

function compileRef(name: string, ref: EntityRef): CompiledField {
  const readers = ref.columns.map(columnReader);
  return {
    name,
    columns: ref.columns,
    run: (row, context) => {
      const values = readers.map((reader) => reader(row));
      const missing = values.filter(isMissingKeyPart).length;
      if (missing === values.length) {
        if (ref.optional) return null;
        throw new RuleViolation(
          'ref',
          `no ${ref.entity} reference: ${ref.columns.join(', ')} ${values.length === 1 ? 'is' : 'are'} empty`,
        );
      }
      if (missing > 0) {
        throw new RuleViolation(
          'ref',
          `incomplete ${ref.entity} reference: ${ref.columns.join(', ')} = ${show(values)}`,
        );
      }
      const legacyKey = encodeLegacyKey(values);
      if (context?.resolveRef === undefined) return legacyKey;
      const id = context.resolveRef(ref.entity, legacyKey);
      if (id === undefined) throw new RuleViolation('ref', `no ${ref.entity} with legacy key ${legacyKey}`);
      return id;
    },
  };
}

function compileEntity(
  name: string,
  entity: EntityMapping,
  mapping: Mapping,
  context: StepContext,
  dependsOn: readonly string[],
): CompiledEntity {
  const key = keyColumns(entity);
  const keyReaders = key.map(columnReader);
  const refs: EntityRef[] = [];
  const fields: CompiledField[] = Object.entries(entity.fields).map(([fieldName, field]) => {
    if (typeof field !== 'string' && field.ref !== undefined) {
      const ref: EntityRef = {
        field: fieldName,
        entity: field.ref.entity,
        columns: field.ref.columns,
        optional: field.ref.optional ?? false,
      };
      refs.push(ref);
      return compileRef(fieldName, ref);
    }
    return compileField(fieldName, field, context);
  });
  const refReaders = refs.map((ref) => ({ ref, readers: ref.columns.map(columnReader) }));
  const filter = entity.filter === undefined ? {} : { filter: entity.filter };
  const watermark =
    entity.sync?.watermark !== undefined
      ? { column: entity.sync.watermark.column, type: entity.sync.watermark.type ?? 'timestamp' }
      : entity.watermark !== undefined
        ? { column: entity.watermark, type: 'timestamp' as const }
        : null;
  const source: SourceSpec =
    entity.query !== undefined
      ? { query: entity.query, key, ...filter }
      : { table: entity.table ?? '', key, ...filter };
  const sourceColumns = [
    ...new Set([
      ...key,
      ...(watermark === null ? [] : [watermark.column]),
      ...fields.flatMap((f) => f.columns),
    ]),
  ];

  const legacyKey = (row: SourceRow): string => {
    const values = keyReaders.map((reader) => reader(row));
    if (values.some(isMissingKeyPart)) {
      throw new RuleViolation('key', `legacy key ${key.join(', ')} = ${show(values)} has an empty part`);
    }
    return encodeLegacyKey(values);
  };

  return {
    name,
    target: entity.target,
    tenant: entity.tenant ?? mapping.tenant ?? '',
    source,
    key,
    watermark: watermark?.column ?? null,
    sync: {
      watermark,
      conflicts: entity.sync?.conflicts ?? 'manual',
      deletes: entity.sync?.deletes ?? 'apply',
      timeZone: mapping.source?.timeZone ?? null,
    },
    batchSize: entity.batchSize ?? mapping.defaults?.batchSize ?? DEFAULT_BATCH_SIZE,
    parallelism: entity.parallelism ?? mapping.defaults?.parallelism ?? DEFAULT_PARALLELISM,
    fields: fields.map((field) => field.name),
    refs,
    dependsOn,
    sourceColumns,
    legacyKey,
    refKeys: (row) =>
      refReaders.map(({ ref, readers }) => {
        const values = readers.map((reader) => reader(row));
        return { ref, legacyKey: values.some(isMissingKeyPart) ? null : encodeLegacyKey(values) };
      }),
    transform: (row, transformContext) => {
      const errors: FieldError[] = [];
      let rowKey: string | null = null;
      try {
        rowKey = legacyKey(row);
      } catch (error) {
        if (!(error instanceof RuleViolation)) throw error;
        errors.push({ field: '$key', rule: error.rule, message: error.message, columns: key });
      }
      const value: Record<string, MappedValue> = {};
      for (const field of fields) {
        try {
          value[field.name] = field.run(row, transformContext);
        } catch (error) {
          if (!(error instanceof RuleViolation)) throw error;
          errors.push({
            field: field.name,
            rule: error.rule,
            message: error.message,
            ...(field.columns.length === 0 ? {} : { columns: field.columns }),
          });
        }
      }
      if (errors.length > 0 || rowKey === null) return { ok: false, errors, legacyKey: rowKey };
      return { ok: true, value, legacyKey: rowKey };
    },
  };
}

/** Entity names with referenced entities first; file order breaks ties. */
function dependencyOrder(entities: ReadonlyMap<string, EntityMapping>): string[] {
  const edges = referenceEdges(entities);
  const pending = new Map([...entities.keys()].map((name) => [name, new Set<string>()]));
  for (const edge of edges) pending.get(edge.from)?.add(edge.to);
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending.entries()].find(([, needs]) => [...needs].every((need) => !pending.has(need)));
    // checkMapping has ruled out cycles; this guards programmatic misuse.
    if (ready === undefined)
      throw new MappingCompileError([{ path: ['entities'], message: 'reference cycle' }]);
    order.push(ready[0]);
    pending.delete(ready[0]);
  }
  return order;
}

/**
 * Compiles a validated mapping (from `parseMapping`/`readMappingFile`, or built in code) into row
 * transformers per entity and the order to load them in. Throws MappingCompileError for problems a
 * schema cannot see: unknown lookups or entities, missing currency or time zone, bad expressions,
 * reference cycles.
 */
export function compileMapping(mapping: Mapping): CompiledMapping {
  const { entities: entityMappings, ...head } = mapping;
  const entityMap = new Map(Object.entries(entityMappings));
  const problems = checkMapping(head, entityMap);
  if (problems.length > 0) throw new MappingCompileError(problems);

  const context: StepContext = {
    lookups: mapping.lookups ?? {},
    currency: mapping.source?.currency,
    timeZone: mapping.source?.timeZone,
  };
  const dependsOn = new Map<string, Set<string>>();
  for (const edge of referenceEdges(entityMap)) {
    const set = dependsOn.get(edge.from) ?? new Set<string>();
    set.add(edge.to);
    dependsOn.set(edge.from, set);
  }
  const order = dependencyOrder(entityMap);
  const entities = new Map<string, CompiledEntity>();
  for (const name of order) {
    const entity = entityMap.get(name);
    if (entity === undefined) continue;
    entities.set(name, compileEntity(name, entity, mapping, context, [...(dependsOn.get(name) ?? [])]));
  }
  return {
    mapping,
    order,
    entities,
    entity: (name) => {
      const entity = entities.get(name);
      if (entity === undefined) throw new RangeError(`no entity named ${name} in the mapping`);
      return entity;
    },
  };
}
