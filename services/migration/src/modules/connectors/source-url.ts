// Source URLs: which connector, and its connection settings. Passwords never appear in messages.
import { ConnectorError, type SourceKind } from './source-connector.ts';

/** Host-based source settings (MySQL/MariaDB, PostgreSQL, SQL Server, Oracle). */
export interface ServerSource {
  readonly kind: 'mysql' | 'postgres' | 'mssql' | 'oracle';
  readonly host: string;
  readonly port: number | undefined;
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** Database (MySQL, PostgreSQL, SQL Server) or service name (Oracle). */
  readonly database: string;
  /** Query-string options, e.g. `?encrypt=false` for SQL Server or `?schema=legacy` for PostgreSQL. */
  readonly options: ReadonlyMap<string, string>;
  /** The URL as given, for the PostgreSQL driver, which reads its own options from it. */
  readonly url: string;
}

/** A parsed source URL. */
export type ParsedSource =
  | ServerSource
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'csv'; readonly directory: string; readonly options: ReadonlyMap<string, string> };

const SCHEMES: Readonly<Record<string, ServerSource['kind']>> = {
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mssql:': 'mssql',
  'sqlserver:': 'mssql',
  'oracle:': 'oracle',
};

/** The URL with its password replaced by `***`, for logs and errors. */
export function redactSourceUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

function stripSlashes(path: string): string {
  // `sqlite:///abs/file.db` → `/abs/file.db`; `sqlite:rel/file.db` stays relative.
  return path.startsWith('//') ? path.slice(2) : path;
}

/**
 * Parses a source URL:
 * `mysql://` or `mariadb://user:pass@host:3306/db`, `postgres://user@host:5432/db?schema=legacy`,
 * `sqlite:path/to/file.db`, `mssql://` or `sqlserver://user:pass@host:1433/db?encrypt=false`,
 * `oracle://user:pass@host:1521/SERVICE`, `csv:path/to/directory?delimiter=;`.
 */
export function parseSourceUrl(url: string): ParsedSource {
  if (url.startsWith('sqlite:')) {
    const path = stripSlashes(url.slice('sqlite:'.length));
    if (path === '')
      throw new ConnectorError('invalid_url', 'sqlite: needs a file path, e.g. sqlite:legacy.db');
    return { kind: 'sqlite', path };
  }
  if (url.startsWith('csv:')) {
    const rest = stripSlashes(url.slice('csv:'.length));
    const [directory = '', query = ''] = rest.split('?', 2);
    if (directory === '')
      throw new ConnectorError('invalid_url', 'csv: needs a directory, e.g. csv:exports/');
    return { kind: 'csv', directory, options: new Map(new URLSearchParams(query)) };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConnectorError('invalid_url', `not a source URL: ${redactSourceUrl(url)}`);
  }
  const kind = SCHEMES[parsed.protocol];
  if (kind === undefined) {
    throw new ConnectorError(
      'unsupported_url',
      `unsupported source "${parsed.protocol}": use mysql://, mariadb://, postgres://, sqlite:, mssql://, sqlserver://, oracle:// or csv:`,
    );
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (database === '') {
    throw new ConnectorError(
      'invalid_url',
      `${redactSourceUrl(url)} needs a ${kind === 'oracle' ? 'service name' : 'database'} after the host`,
    );
  }
  return {
    kind,
    host: parsed.hostname,
    port: parsed.port === '' ? undefined : Number(parsed.port),
    user: parsed.username === '' ? undefined : decodeURIComponent(parsed.username),
    password: parsed.password === '' ? undefined : decodeURIComponent(parsed.password),
    database,
    options: new Map(parsed.searchParams),
    url,
  };
}

/** The connector kind a URL names, without opening anything. */
export function sourceKindOf(url: string): SourceKind {
  return parseSourceUrl(url).kind;
}
