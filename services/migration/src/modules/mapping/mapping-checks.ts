// Checks a mapping needs beyond its shape: one source per field, lookups and entities that exist,
// a currency and time zone for every money and datetime step, parseable expressions, reference
// keys that fit, and no reference cycles. Each problem names the path it is about.
import { compileExpression, ExpressionSyntaxError } from './expression.ts';
import type { EntityMapping, FieldMapping, Mapping, TransformStep } from './mapping.schema.ts';

/** A problem at a path of the mapping document. */
export interface MappingProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** Point at the key at `path` rather than its value. */
  readonly atKey?: boolean;
}

/** The mapping without its entities (each is checked on its own). */
export type MappingHead = Omit<Mapping, 'entities'>;

const FIELD_SOURCES = ['column', 'columns', 'value', 'expr', 'ref'] as const;
export type FieldSourceKind = (typeof FIELD_SOURCES)[number];

/** Which source keys a field mapping gives. */
export function fieldSourceKinds(field: FieldMapping): FieldSourceKind[] {
  if (typeof field === 'string') return ['column'];
  return FIELD_SOURCES.filter(
    (kind) => Object.hasOwn(field, kind) && (kind === 'value' || field[kind] !== undefined),
  );
}

/** Key columns of an entity as a list. */
export function keyColumns(entity: EntityMapping): string[] {
  return typeof entity.key === 'string' ? [entity.key] : [...entity.key];
}

/** Name of a transform step (`trim`, `money`, …). */
export function stepName(step: TransformStep): string {
  return typeof step === 'string' ? step : (Object.keys(step)[0] ?? '');
}

function checkStep(
  head: MappingHead,
  step: TransformStep,
  path: readonly (string | number)[],
  problems: MappingProblem[],
): void {
  const name = stepName(step);
  if (typeof step === 'object' && 'lookup' in step) {
    const lookups = Object.keys(head.lookups ?? {});
    if (!lookups.includes(step.lookup)) {
      problems.push({
        path: [...path, 'lookup'],
        message: `no lookup named "${step.lookup}"${lookups.length === 0 ? ' (there is no lookups section)' : ` (known: ${lookups.join(', ')})`}`,
      });
    }
  }
  if (name === 'money') {
    const options = typeof step === 'object' && 'money' in step ? step.money : {};
    if (
      options.currency === undefined &&
      options.currencyColumn === undefined &&
      head.source?.currency === undefined
    ) {
      problems.push({
        path,
        message: 'money needs a currency: give money.currency, money.currencyColumn or source.currency',
      });
    }
    if (options.currency !== undefined && options.currencyColumn !== undefined) {
      problems.push({ path, message: 'give money.currency or money.currencyColumn, not both' });
    }
  }
  if (name === 'datetime') {
    const options = typeof step === 'object' && 'datetime' in step ? step.datetime : {};
    if (options.timeZone === undefined && head.source?.timeZone === undefined) {
      problems.push({
        path,
        message: 'datetime needs the time zone of the source: give datetime.timeZone or source.timeZone',
      });
    }
  }
  if (
    typeof step === 'object' &&
    'length' in step &&
    step.length.min !== undefined &&
    step.length.max !== undefined
  ) {
    if (step.length.min > step.length.max) problems.push({ path, message: 'length.min is above length.max' });
  }
  if (typeof step === 'object' && 'expr' in step) {
    checkExpression(step.expr, [...path, 'expr'], problems, true);
  }
}

function checkExpression(
  source: string,
  path: readonly (string | number)[],
  problems: MappingProblem[],
  valueName: boolean,
): void {
  try {
    compileExpression(source, { valueName });
  } catch (error) {
    if (!(error instanceof ExpressionSyntaxError)) throw error;
    problems.push({ path, message: `expression: ${error.message}` });
  }
}

function checkField(
  head: MappingHead,
  entityName: string,
  fieldName: string,
  field: FieldMapping,
  entities: ReadonlyMap<string, EntityMapping | undefined>,
  problems: MappingProblem[],
): void {
  if (typeof field === 'string') return;
  const path = ['entities', entityName, 'fields', fieldName];
  const kinds = fieldSourceKinds(field);
  if (kinds.length === 0) {
    problems.push({
      path,
      message: 'give where the value comes from: one of column, columns, value, expr, ref',
    });
  } else if (kinds.length > 1) {
    problems.push({
      path,
      message: `give only one of column, columns, value, expr, ref (found ${kinds.join(', ')})`,
    });
  }
  if (field.expr !== undefined) checkExpression(field.expr, [...path, 'expr'], problems, false);
  if (field.ref !== undefined) {
    if (field.transform !== undefined) {
      problems.push({
        path: [...path, 'transform'],
        message: 'a ref field takes no transform steps: its value is the Only id of the referenced row',
        atKey: true,
      });
    }
    const { entity, columns } = field.ref;
    if (entity === entityName) {
      problems.push({ path: [...path, 'ref', 'entity'], message: `${entityName} cannot reference itself` });
    } else if (!entities.has(entity)) {
      problems.push({
        path: [...path, 'ref', 'entity'],
        message: `no entity named "${entity}" (known: ${[...entities.keys()].join(', ')})`,
      });
    } else {
      const target = entities.get(entity);
      if (target !== undefined) {
        const key = keyColumns(target);
        if (key.length !== columns.length) {
          problems.push({
            path: [...path, 'ref', 'columns'],
            message: `${entity} has a ${key.length}-column key (${key.join(', ')}): give ${key.length} column${key.length === 1 ? '' : 's'}, not ${columns.length}`,
          });
        }
      }
    }
  }
  for (const [index, step] of (field.transform ?? []).entries()) {
    checkStep(head, step, [...path, 'transform', index], problems);
  }
}

interface RefEdge {
  readonly from: string;
  readonly to: string;
  readonly path: readonly (string | number)[];
}

/** Reference edges between entities (entity → the entity it references). */
export function referenceEdges(entities: ReadonlyMap<string, EntityMapping | undefined>): RefEdge[] {
  const edges: RefEdge[] = [];
  for (const [name, entity] of entities) {
    if (entity === undefined) continue;
    for (const [fieldName, field] of Object.entries(entity.fields)) {
      if (typeof field === 'string' || field.ref === undefined) continue;
      if (field.ref.entity === name || !entities.has(field.ref.entity)) continue;
      edges.push({
        from: name,
        to: field.ref.entity,
        path: ['entities', name, 'fields', fieldName, 'ref', 'entity'],
      });
    }
  }
  return edges;
}

/** Cycles among references, each reported once at one of its edges. */
function checkCycles(
  entities: ReadonlyMap<string, EntityMapping | undefined>,
  problems: MappingProblem[],
): void {
  const edges = referenceEdges(entities);
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (node: string): void => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const edge of edges.filter((e) => e.from === node)) {
      const status = state.get(edge.to);
      if (status === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(edge.to)), edge.to];
        const signature = [...new Set(cycle)].sort().join(',');
        if (!reported.has(signature)) {
          reported.add(signature);
          problems.push({ path: edge.path, message: `reference cycle: ${cycle.join(' → ')}` });
        }
      } else if (status === undefined) {
        visit(edge.to);
      }
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const name of entities.keys()) if (!state.has(name)) visit(name);
}

/**
 * Problems of a mapping whose parts passed the schema. `entities` holds every entity name; an
 * entity that failed the schema is present as undefined (so references to it are not reported).
 */
export function checkMapping(
  head: MappingHead,
  entities: ReadonlyMap<string, EntityMapping | undefined>,
  /** Entities given without the fields that failed the schema (field counts are not checked). */
  partial: ReadonlySet<string> = new Set(),
): MappingProblem[] {
  const problems: MappingProblem[] = [];
  if (entities.size === 0) problems.push({ path: ['entities'], message: 'give at least one entity' });
  for (const [name, entity] of entities) {
    if (entity === undefined) continue;
    const path = ['entities', name];
    if (entity.table !== undefined && entity.query !== undefined) {
      problems.push({ path: [...path, 'query'], message: 'give table or query, not both', atKey: true });
    } else if (entity.table === undefined && entity.query === undefined) {
      problems.push({ path, message: 'give the source of the rows: table or query', atKey: true });
    }
    if (entity.tenant === undefined && head.tenant === undefined) {
      problems.push({
        path,
        message: 'no tenant: set tenant at the top of the file or on the entity',
        atKey: true,
      });
    }
    const key = keyColumns(entity);
    const duplicate = key.find((column, index) => key.indexOf(column) !== index);
    if (duplicate !== undefined) {
      problems.push({ path: [...path, 'key'], message: `key column ${duplicate} appears twice` });
    }
    if (Object.keys(entity.fields).length === 0 && !partial.has(name)) {
      problems.push({ path: [...path, 'fields'], message: 'give at least one field', atKey: true });
    }
    for (const [fieldName, field] of Object.entries(entity.fields)) {
      checkField(head, name, fieldName, field, entities, problems);
    }
    checkSync(entity, path, problems);
  }
  checkCycles(entities, problems);
  return problems;
}

/** The `sync` block: one watermark at most, and newest-wins only where rows carry a time. */
function checkSync(entity: EntityMapping, path: (string | number)[], problems: MappingProblem[]): void {
  const sync = entity.sync;
  if (sync === undefined) return;
  if (sync.watermark !== undefined && entity.watermark !== undefined) {
    problems.push({
      path: [...path, 'sync', 'watermark'],
      message: 'give watermark or sync.watermark, not both',
      atKey: true,
    });
  }
  const timestamp =
    entity.watermark !== undefined ||
    (sync.watermark !== undefined && (sync.watermark.type ?? 'timestamp') === 'timestamp');
  if (sync.conflicts === 'newest-wins' && !timestamp) {
    problems.push({
      path: [...path, 'sync', 'conflicts'],
      message: 'newest-wins compares times: give a watermark of type timestamp',
    });
  }
}
