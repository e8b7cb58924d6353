// Handles on a legacy database for tests that change it behind the connector's back (SQLite file
// or MariaDB database), the way the legacy application would.
import { DatabaseSync } from 'node:sqlite';
import mysql from 'mysql2/promise';
import { MARIADB_URL } from './connector-fixtures.ts';

/** Runs statements against a legacy database behind the connector's back. */
export interface Legacy {
  readonly url: string;
  exec(statement: string, params?: (string | number)[]): Promise<void>;
}

/** The SQLite legacy database in `file`. */
export function sqliteLegacy(file: string): Legacy {
  return {
    url: `sqlite:${file}`,
    exec(statement, params = []) {
      const db = new DatabaseSync(file);
      try {
        db.prepare(statement).run(...params);
      } finally {
        db.close();
      }
      return Promise.resolve();
    },
  };
}

/** The MariaDB legacy database `name` on `MARIADB_URL`. */
export function mariaLegacy(name: string): Legacy {
  return {
    url: `${MARIADB_URL}/${name}`,
    async exec(statement, params = []) {
      const connection = await mysql.createConnection({ uri: `${MARIADB_URL}/${name}` });
      try {
        await connection.query(statement, params);
      } finally {
        await connection.end();
      }
    },
  };
}
