// CSV exports as a source: a directory of files, one table per file (`CUSTOMERS.csv`), the header
// row naming the columns. Files have no key order and no SQL, so rows stream in file order (with
// csv-parse, back-pressured); a read resumes by position (`skipRows`), never by key.
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parse, type InfoField, type Options as CsvOptions } from 'csv-parse';
import {
  ConnectorError,
  type CountOptions,
  type ReadOptions,
  type SourceBatch,
  type SourceConnector,
  type SourceRow,
  type SourceShape,
  type SourceSpec,
} from './source-connector.ts';
import { DEFAULT_BATCH_SIZE } from './sql-connector.ts';

/** Options of a CSV source (the `csv:` URL's query string). */
export interface CsvSourceOptions {
  /** Field delimiter (default `,`). */
  readonly delimiter?: string;
  /** File encoding as Node names it: `utf8` (default, BOM skipped), `latin1`, `utf16le`. */
  readonly encoding?: BufferEncoding;
  /** File name extension of tables (default `.csv`). */
  readonly extension?: string;
  /**
   * What an unquoted empty field is: `null` (default: an empty cell has no value) or `empty` (the
   * empty string). A quoted empty field (`""`) is always the empty string.
   */
  readonly empty?: 'null' | 'empty';
}

const ENCODINGS: readonly BufferEncoding[] = ['utf8', 'utf-8', 'latin1', 'utf16le', 'ascii'];

/** Reads `csv:` URL options, refusing unknown ones. */
export function csvOptionsFrom(query: ReadonlyMap<string, string>): CsvSourceOptions {
  const options: { -readonly [K in keyof CsvSourceOptions]: CsvSourceOptions[K] } = {};
  for (const [name, value] of query) {
    switch (name) {
      case 'delimiter':
        options.delimiter = value === 'tab' || value === '\\t' ? '\t' : value;
        break;
      case 'encoding':
        if (!ENCODINGS.includes(value as BufferEncoding)) {
          throw new ConnectorError('invalid_option', `csv encoding must be one of ${ENCODINGS.join(', ')}`);
        }
        options.encoding = value as BufferEncoding;
        break;
      case 'extension':
        options.extension = value.startsWith('.') ? value : `.${value}`;
        break;
      case 'empty':
        if (value !== 'null' && value !== 'empty') {
          throw new ConnectorError('invalid_option', 'csv empty= must be null or empty');
        }
        options.empty = value;
        break;
      default:
        throw new ConnectorError('invalid_option', `unknown csv option "${name}"`);
    }
  }
  return options;
}

/** A directory of CSV files as a {@link SourceConnector}. */
export class CsvSourceConnector implements SourceConnector {
  readonly kind = 'csv';
  readonly supportsKeyset = false;
  private readonly directory: string;
  private readonly options: CsvSourceOptions;
  private readonly extension: string;

  constructor(directory: string, options: CsvSourceOptions = {}) {
    this.directory = directory;
    this.options = options;
    this.extension = options.extension ?? '.csv';
  }

  async listTables(): Promise<string[]> {
    const entries = await readdir(this.directory, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith(this.extension.toLowerCase()))
      .map((entry) => entry.name.slice(0, entry.name.length - this.extension.length))
      .sort();
  }

  /** The file of a table: `<TABLE><extension>`, matched exactly first, then ignoring case. */
  private async fileOf(table: string): Promise<string> {
    if (table !== basename(table) || table === '.' || table === '..') {
      throw new ConnectorError('invalid_option', `"${table}" is not a plain file name`);
    }
    const tables = await this.listTables();
    const name =
      tables.find((candidate) => candidate === table) ??
      tables.find((candidate) => candidate.toLowerCase() === table.toLowerCase());
    if (name === undefined) {
      throw new ConnectorError('table_not_found', `no file ${table}${this.extension} in ${this.directory}`);
    }
    return join(this.directory, `${name}${this.extension}`);
  }

  private tableOf(spec: SourceSpec, extra: { after?: unknown; range?: unknown } = {}): string {
    if ('query' in spec) throw new ConnectorError('keyset_unsupported', 'CSV sources cannot run SQL queries');
    if (spec.filter !== undefined && spec.filter.trim() !== '') {
      throw new ConnectorError('keyset_unsupported', 'CSV sources cannot apply SQL filters');
    }
    if (extra.after !== undefined || extra.range !== undefined) {
      throw new ConnectorError(
        'keyset_unsupported',
        'CSV sources are read in file order: resume with skipRows, not a key',
      );
    }
    return spec.table;
  }

  private parser(file: string, extra: CsvOptions = {}) {
    const emptyIsNull = (this.options.empty ?? 'null') === 'null';
    const stream = createReadStream(file, { encoding: this.options.encoding ?? 'utf8' });
    const parser = parse({
      bom: true,
      delimiter: this.options.delimiter ?? ',',
      skip_empty_lines: true,
      cast: (value: string, context: InfoField) =>
        emptyIsNull && value === '' && !context.quoting && !context.header ? null : value,
      ...extra,
    });
    stream.on('error', (error) => parser.destroy(error));
    return { stream: stream.pipe(parser), close: () => stream.destroy() };
  }

  private async header(file: string): Promise<string[]> {
    const { stream, close } = this.parser(file, { to_line: 1 });
    try {
      for await (const record of stream as AsyncIterable<(string | null)[]>) {
        const names = record.map((name) => (name ?? '').trim());
        const duplicate = names.find((name, index) => names.indexOf(name) !== index);
        if (duplicate !== undefined) {
          throw new ConnectorError(
            'invalid_option',
            `${basename(file)}: column "${duplicate}" appears twice`,
          );
        }
        return names;
      }
      throw new ConnectorError('table_not_found', `${basename(file)} is empty: it needs a header row`);
    } finally {
      close();
    }
  }

  async describe(spec: SourceSpec): Promise<SourceShape> {
    const names = await this.header(await this.fileOf(this.tableOf(spec)));
    const key = 'key' in spec && spec.key !== undefined ? spec.key : [];
    for (const column of key) {
      if (!names.includes(column)) {
        throw new ConnectorError('column_not_found', `key column "${column}" is not in the header`);
      }
    }
    return {
      columns: names.map((name) => ({ name, dataType: 'text', nullable: true })),
      primaryKey: key,
    };
  }

  async *read(spec: SourceSpec, options: ReadOptions = {}): AsyncGenerator<SourceBatch> {
    const table = this.tableOf(spec, options);
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new ConnectorError('invalid_option', `batchSize must be a positive integer, got ${batchSize}`);
    }
    const skip = options.skipRows ?? 0;
    const file = await this.fileOf(table);
    const header = await this.header(file);
    const wanted = options.columns;
    if (wanted !== undefined) {
      for (const column of wanted) {
        if (!header.includes(column)) {
          throw new ConnectorError('column_not_found', `column "${column}" is not in ${basename(file)}`);
        }
      }
    }
    const { stream, close } = this.parser(file, { columns: header, from_line: 2, relax_column_count: false });
    let seen = 0;
    let rows: SourceRow[] = [];
    try {
      for await (const record of stream as AsyncIterable<Record<string, string | null>>) {
        options.signal?.throwIfAborted();
        seen++;
        if (seen <= skip) continue;
        if (wanted === undefined) {
          rows.push(record);
        } else {
          const row: SourceRow = {};
          for (const column of wanted) row[column] = record[column] ?? null;
          rows.push(row);
        }
        if (rows.length === batchSize) {
          const batch = rows;
          rows = [];
          yield { rows: batch, lastKey: null, position: seen };
        }
      }
      if (rows.length > 0) yield { rows, lastKey: null, position: seen };
    } finally {
      close();
    }
  }

  async count(spec: SourceSpec, options: CountOptions = {}): Promise<number> {
    const file = await this.fileOf(this.tableOf(spec, options));
    const { stream, close } = this.parser(file, { from_line: 2 });
    let count = 0;
    try {
      for await (const _record of stream as AsyncIterable<unknown>) {
        options.signal?.throwIfAborted();
        count++;
      }
      return count;
    } finally {
      close();
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
