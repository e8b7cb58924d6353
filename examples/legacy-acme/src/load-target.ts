// Where to load the legacy data: a MariaDB/MySQL database or an SQLite file.

/** A parsed `--target`. */
export type LoadTarget =
  | {
      readonly kind: 'mysql';
      readonly host: string;
      readonly port: number;
      readonly user: string;
      readonly password: string | undefined;
      readonly database: string;
    }
  | { readonly kind: 'sqlite'; readonly path: string };

const DATABASE_NAME = /^[A-Za-z0-9_$]{1,64}$/;

/**
 * Parses `mysql://user[:password]@host[:port]/database` (also `mariadb://`) or `sqlite:path`
 * (`sqlite:///abs/path` and `sqlite::memory:` work too).
 */
export function parseLoadTarget(text: string): LoadTarget {
  if (text.startsWith('sqlite:')) {
    let path = text.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '') throw new TypeError('sqlite target needs a file path: sqlite:path/to/file.db');
    return { kind: 'sqlite', path };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`target must be mysql://…, mariadb://… or sqlite:path, got "${text}"`);
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw new TypeError(`unsupported target protocol "${url.protocol}": use mysql://, mariadb:// or sqlite:`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!DATABASE_NAME.test(database)) {
    throw new TypeError(
      `target needs a database name of letters, digits and _ after the host, got "${database}"`,
    );
  }
  return {
    kind: 'mysql',
    host: url.hostname || '127.0.0.1',
    port: url.port === '' ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username) || 'root',
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
    database,
  };
}
