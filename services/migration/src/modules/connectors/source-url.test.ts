import { describe, expect, it } from 'vitest';
import { ConnectorError } from './source-connector.ts';
import { parseSourceUrl, redactSourceUrl, sourceKindOf } from './source-url.ts';

describe('parseSourceUrl', () => {
  it.each([
    ['mysql://root@127.0.0.1:3306/legacy_acme', 'mysql'],
    ['mariadb://u:p@db/legacy', 'mysql'],
    ['postgres://postgres@127.0.0.1:5432/legacy?schema=acme', 'postgres'],
    ['postgresql://postgres@127.0.0.1/legacy', 'postgres'],
    ['mssql://sa:secret@sql.example:1433/ACME?encrypt=false', 'mssql'],
    ['sqlserver://sa:secret@sql.example/ACME', 'mssql'],
    ['oracle://scott:tiger@ora.example:1521/ORCLPDB1', 'oracle'],
    ['sqlite:legacy.db', 'sqlite'],
    ['csv:exports/', 'csv'],
  ] as const)('%s is %s', (url, kind) => {
    expect(sourceKindOf(url)).toBe(kind);
  });

  it('splits server URLs into settings, decoding escapes', () => {
    expect(
      parseSourceUrl('mssql://sa:p%40ss@sql.example:1433/ACME?encrypt=false&instanceName=LEGACY'),
    ).toMatchObject({
      kind: 'mssql',
      host: 'sql.example',
      port: 1433,
      user: 'sa',
      password: 'p@ss',
      database: 'ACME',
      options: new Map([
        ['encrypt', 'false'],
        ['instanceName', 'LEGACY'],
      ]),
    });
    expect(parseSourceUrl('oracle://scott@ora.example/ORCLPDB1')).toMatchObject({
      kind: 'oracle',
      port: undefined,
      password: undefined,
      database: 'ORCLPDB1',
    });
  });

  it('takes sqlite paths relative or absolute, and csv options from the query string', () => {
    expect(parseSourceUrl('sqlite:data/legacy.db')).toEqual({ kind: 'sqlite', path: 'data/legacy.db' });
    expect(parseSourceUrl('sqlite:///var/lib/legacy.db')).toEqual({
      kind: 'sqlite',
      path: '/var/lib/legacy.db',
    });
    expect(parseSourceUrl('csv:/exports?delimiter=;')).toEqual({
      kind: 'csv',
      directory: '/exports',
      options: new Map([['delimiter', ';']]),
    });
  });

  it('refuses unknown schemes, missing databases and paths, without echoing passwords', () => {
    expect(() => parseSourceUrl('mongodb://x/y')).toThrow(
      expect.objectContaining({ code: 'unsupported_url' }),
    );
    expect(() => parseSourceUrl('mysql://root:hunter2@db')).toThrow(ConnectorError);
    try {
      parseSourceUrl('mysql://root:hunter2@db');
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
      expect(String(error)).toContain('needs a database');
    }
    expect(() => parseSourceUrl('sqlite:')).toThrow(/file path/);
    expect(() => parseSourceUrl('csv:')).toThrow(/directory/);
    expect(() => parseSourceUrl('not a url')).toThrow(expect.objectContaining({ code: 'invalid_url' }));
  });

  it('redacts passwords', () => {
    expect(redactSourceUrl('oracle://scott:tiger@ora:1521/X')).toBe('oracle://scott:***@ora:1521/X');
    expect(redactSourceUrl('mysql://root@db/x')).toBe('mysql://root@db/x');
  });
});
