// Reads a mapping file: YAML with source positions kept, checked against the Zod schema and the
// cross-references, every problem reported at once as `file:line:column path: message`.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { compileMapping, formatPath, type CompiledMapping } from './compile-mapping.ts';
import { checkMapping, type MappingHead, type MappingProblem } from './mapping-checks.ts';
import {
  closest,
  entitySchema,
  KNOWN_PROPERTIES,
  mappingHeadSchema,
  type EntityMapping,
  type Mapping,
} from './mapping.schema.ts';

/** One problem in a mapping file, with where it is. */
export interface MappingError {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** Dotted path in the document, e.g. `entities.orders.fields.total.transform[0]`; '' for syntax. */
  readonly path: string;
  readonly message: string;
}

/** Outcome of parsing a mapping file. */
export type MappingParseResult =
  | { readonly ok: true; readonly mapping: Mapping }
  | { readonly ok: false; readonly errors: readonly MappingError[] };

/** `mapping.yaml:14:7 entities.orders.fields.total: unknown transform "monee"`. */
export function formatMappingError(error: MappingError): string {
  return `${error.file}:${error.line}:${error.column} ${error.path === '' ? '' : `${error.path}: `}${error.message}`;
}

/** Thrown by {@link loadMapping}: every problem of the file, one per line in the message. */
export class MappingFileError extends Error {
  readonly errors: readonly MappingError[];

  constructor(errors: readonly MappingError[]) {
    super(errors.map(formatMappingError).join('\n'));
    this.name = 'MappingFileError';
    this.errors = errors;
  }
}

type Path = readonly PropertyKey[];

interface Located {
  readonly path: Path;
  readonly message: string;
  readonly atKey?: boolean;
}

/** Finds where a path points in the YAML: its value (or key) node, or the nearest parent. */
function offsetOf(doc: Document, path: Path, atKey: boolean): number {
  let current: unknown = doc.contents;
  let offset = rangeStart(current) ?? 0;
  // Where the enclosing value is named: a missing key is reported there (`customers:`).
  let parentKey = offset;
  for (const [index, segment] of path.entries()) {
    if (isMap(current)) {
      const pair = current.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (pair === undefined) return parentKey;
      const keyOffset = rangeStart(pair.key) ?? offset;
      parentKey = keyOffset;
      const last = index === path.length - 1;
      if (last && atKey) return keyOffset;
      current = pair.value;
      // A key without a value (`key:`) has no value node: point at the key.
      offset = rangeStart(pair.value) ?? keyOffset;
    } else if (isSeq(current) && typeof segment === 'number') {
      const item = current.items[segment];
      if (item === undefined) return offset;
      current = item;
      offset = rangeStart(item) ?? offset;
      parentKey = offset;
    } else {
      return offset;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  if (node === null || typeof node !== 'object' || isPair(node)) return undefined;
  const range = (node as { range?: readonly number[] | null }).range;
  return range?.[0];
}

function valueAt(data: unknown, path: Path): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

const DISQUALIFYING = new Set(['invalid_type', 'invalid_value', 'invalid_union']);

/**
 * Turns Zod issues into located messages. A union that failed (a transform step, a field) is
 * resolved to the alternative the author evidently meant, reporting what is wrong inside it:
 * `{ money: { currency: EURO } }` gets a currency message, not "no union member matched".
 */
function locateIssues(issues: readonly z.core.$ZodIssue[], data: unknown, base: Path, out: Located[]): void {
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    switch (issue.code) {
      case 'invalid_union': {
        const raw = valueAt(data, path);
        if (raw === undefined) {
          out.push({ path, message: 'is required' });
          break;
        }
        const scored = issue.errors
          .map((branch, index) => {
            const root = branch.filter((inner) => inner.path.length === 0);
            if (root.some((inner) => DISQUALIFYING.has(inner.code))) return undefined;
            const unknownKeys = root.reduce(
              (sum, inner) => sum + (inner.code === 'unrecognized_keys' ? inner.keys.length : 0),
              0,
            );
            const missingKeys = branch.filter(
              (inner) =>
                inner.path.length === 1 &&
                inner.code === 'invalid_type' &&
                valueAt(raw, inner.path) === undefined,
            ).length;
            return { index, score: unknownKeys + missingKeys };
          })
          .filter((entry) => entry !== undefined)
          .sort((a, b) => a.score - b.score);
        const [best, second] = scored;
        const chosen =
          best === undefined || (second !== undefined && second.score === best.score) ? undefined : best;
        const branch = chosen === undefined ? undefined : issue.errors[chosen.index];
        if (branch === undefined) out.push({ path, message: issue.message });
        else locateIssues(branch, data, path, out);
        break;
      }
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const suggestion = closest(key, KNOWN_PROPERTIES);
          out.push({
            path: [...path, key],
            atKey: true,
            message: `unknown key "${key}"${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}`,
          });
        }
        break;
      case 'invalid_key': {
        const inner = issue.issues[0]?.message ?? issue.message;
        out.push({ path, atKey: true, message: `"${String(issue.path.at(-1))}": ${inner}` });
        break;
      }
      default:
        out.push({ path, message: issue.message });
    }
  }
}

/** Friendlier wording for Zod's generic messages; schema-specific messages win over these. */
const errorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return 'is required';
    const got = issue.input === null ? 'null' : Array.isArray(issue.input) ? 'a list' : typeof issue.input;
    return `expected ${issue.expected === 'record' ? 'an object' : issue.expected}, got ${got}`;
  }
  if (issue.code === 'invalid_value') {
    return `expected ${issue.values.map((value) => JSON.stringify(value)).join(' or ')}`;
  }
  return undefined;
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Parses and checks mapping text. `file` is only used in the error positions. */
export function parseMapping(text: string, file = 'mapping.yaml'): MappingParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const errors: MappingError[] = [];
  const at = (offset: number, path: string, message: string) => {
    const { line, col } = lineCounter.linePos(offset);
    errors.push({ file, line, column: col, path, message });
  };

  for (const error of doc.errors) {
    at(error.pos[0], '', error.message.split('\n')[0] ?? error.message);
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    at(0, '', error instanceof Error ? error.message : String(error));
    return { ok: false, errors };
  }

  const located: Located[] = [];
  const head = mappingHeadSchema.safeParse(data, { error: errorMap });
  if (!head.success) locateIssues(head.error.issues, data, [], located);

  const rawEntities = isPlainObject(data) && isPlainObject(data.entities) ? data.entities : {};
  const entities = new Map<string, EntityMapping | undefined>();
  // Entities checked without their broken fields: cross-checks still run on the rest.
  const partial = new Set<string>();
  let entitiesOk = true;
  for (const [name, raw] of Object.entries(rawEntities)) {
    const parsed = entitySchema.safeParse(raw, { error: errorMap });
    if (parsed.success) {
      entities.set(name, parsed.data);
      continue;
    }
    entitiesOk = false;
    locateIssues(parsed.error.issues, data, ['entities', name], located);
    const withoutBrokenFields =
      isPlainObject(raw) && isPlainObject(raw.fields)
        ? entitySchema.safeParse({
            ...raw,
            fields: Object.fromEntries(
              Object.entries(raw.fields).filter(
                ([field, spec]) => entitySchema.shape.fields.safeParse({ [field]: spec }).success,
              ),
            ),
          })
        : undefined;
    entities.set(name, withoutBrokenFields?.success === true ? withoutBrokenFields.data : undefined);
    if (withoutBrokenFields?.success === true) partial.add(name);
  }

  // Cross-checks need the entities section; without one the schema error says enough.
  if (isPlainObject(data) && isPlainObject(data.entities)) {
    const problems: MappingProblem[] = checkMapping(
      head.success ? withoutEntities(head.data) : lenientHead(data),
      entities,
      partial,
    );
    located.push(...problems);
  }

  for (const problem of located) {
    at(offsetOf(doc, problem.path, problem.atKey ?? false), formatPath(problem.path), problem.message);
  }
  if (errors.length > 0) {
    errors.sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, errors: dedupe(errors) };
  }
  if (!head.success || !entitiesOk) return { ok: false, errors };
  const mapping: Mapping = {
    ...head.data,
    entities: Object.fromEntries([...entities].map(([name, entity]) => [name, entity as EntityMapping])),
  };
  return { ok: true, mapping };
}

function withoutEntities(mapping: z.output<typeof mappingHeadSchema>): MappingHead {
  const { entities: _unchecked, ...head } = mapping;
  return head;
}

/**
 * The top of the file as far as the cross-checks need it, when it failed the schema: settings
 * that are there count as given (their own errors are reported already), so the entities can
 * still be checked without a flood of follow-on errors.
 */
function lenientHead(data: unknown): MappingHead {
  const raw = isPlainObject(data) ? data : {};
  const source = isPlainObject(raw.source) ? raw.source : {};
  const lookups = isPlainObject(raw.lookups) ? raw.lookups : {};
  return {
    version: 1,
    ...(raw.tenant === undefined ? {} : { tenant: 'given' }),
    source: {
      ...(source.currency === undefined ? {} : { currency: 'XXX' }),
      ...(source.timeZone === undefined ? {} : { timeZone: 'UTC' }),
    },
    lookups: Object.fromEntries(Object.keys(lookups).map((name) => [name, {}])),
  };
}

function dedupe(errors: MappingError[]): MappingError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const text = formatMappingError(error);
    if (seen.has(text)) return false;
    seen.add(text);
    return true;
  });
}

/** Reads and checks a mapping file; errors carry the file's base name. */
export async function readMappingFile(path: string): Promise<MappingParseResult> {
  return parseMapping(await readFile(path, 'utf8'), basename(path));
}

/** Reads, checks and compiles a mapping file; throws MappingFileError listing every problem. */
export async function loadMapping(path: string): Promise<CompiledMapping> {
  const result = await readMappingFile(path);
  if (!result.ok) throw new MappingFileError(result.errors);
  return compileMapping(result.mapping);
}
