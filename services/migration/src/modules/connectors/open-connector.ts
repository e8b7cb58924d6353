// Opens the connector a source URL names. Drivers load on first use, so a CSV-only run never
// loads the SQL Server or Oracle drivers.
import { CsvSourceConnector, csvOptionsFrom } from './csv.connector.ts';
import type { SourceConnector } from './source-connector.ts';
import { parseSourceUrl } from './source-url.ts';
import { SqlSourceConnector } from './sql-connector.ts';

/** Options of {@link openSourceConnector}. */
export interface OpenSourceOptions {
  /** Connections per server source (default 4): one per parallel reader plus a prefetch. */
  readonly poolSize?: number;
}

/**
 * Opens a legacy source from its URL: `mysql://`/`mariadb://`, `postgres://`, `sqlite:file`,
 * `mssql://`/`sqlserver://`, `oracle://` (Thin mode) or `csv:directory`. Close it when done.
 */
export async function openSourceConnector(
  url: string,
  options: OpenSourceOptions = {},
): Promise<SourceConnector> {
  const source = parseSourceUrl(url);
  const poolSize = options.poolSize ?? 4;
  switch (source.kind) {
    case 'csv':
      return new CsvSourceConnector(source.directory, csvOptionsFrom(source.options));
    case 'sqlite': {
      const { openSqliteDriver } = await import('./sqlite.driver.ts');
      return new SqlSourceConnector('sqlite', openSqliteDriver(source.path));
    }
    case 'mysql': {
      const { openMysqlDriver } = await import('./mysql.driver.ts');
      return new SqlSourceConnector('mysql', openMysqlDriver(source, poolSize));
    }
    case 'postgres': {
      const { openPostgresDriver } = await import('./postgres.driver.ts');
      return new SqlSourceConnector('postgres', openPostgresDriver(source, poolSize));
    }
    case 'mssql': {
      const { openMssqlDriver } = await import('./mssql.driver.ts');
      return new SqlSourceConnector('mssql', await openMssqlDriver(source, poolSize));
    }
    case 'oracle': {
      const { openOracleDriver } = await import('./oracle.driver.ts');
      return new SqlSourceConnector('oracle', await openOracleDriver(source, poolSize));
    }
  }
}
