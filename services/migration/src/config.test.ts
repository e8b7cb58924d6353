import { ConfigError, loadConfig } from '@only/platform/config';
import { describe, expect, it } from 'vitest';
import { migrationRunsConfigSchema, migrationSettingsFrom } from './config.ts';

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig('migration', migrationRunsConfigSchema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('migration configuration', () => {
  it('has no sources, no mapping directory and no source URLs by default', () => {
    expect(migrationSettingsFrom(loadConfig('migration', migrationRunsConfigSchema, {}))).toEqual({
      sources: [],
      allowSourceUrls: false,
      maxRuns: 2,
      streamHeartbeatMs: 5_000,
      reconcileSchedule: null,
    });
  });

  it('reads named sources, plain or kept to tenants', () => {
    const config = loadConfig('migration', migrationRunsConfigSchema, {
      MIGRATION_SOURCES: JSON.stringify({
        'acme-erp': {
          url: 'mysql://legacy:secret@erp.internal:3306/acme',
          tenants: ['acme'],
          description: 'ERP',
        },
        files: 'csv:/srv/exports?delimiter=;',
      }),
      MIGRATION_MAPPINGS_DIR: '/srv/mappings',
    });
    expect(migrationSettingsFrom(config)).toMatchObject({
      sources: [
        {
          name: 'acme-erp',
          url: 'mysql://legacy:secret@erp.internal:3306/acme',
          tenants: ['acme'],
          description: 'ERP',
        },
        { name: 'files', url: 'csv:/srv/exports?delimiter=;' },
      ],
      mappingsDir: '/srv/mappings',
    });
  });

  it('reports bad sources by name, never with their password', () => {
    const found = problems({
      MIGRATION_SOURCES: JSON.stringify({
        bad: 'ftp://legacy:hunter2@host/db',
        nodb: 'mysql://legacy:hunter2@host',
        'no spaces': 'sqlite:x.db',
      }),
    });
    expect(found).toHaveLength(3);
    expect(found.every((p) => p.startsWith('MIGRATION_SOURCES: '))).toBe(true);
    expect(found.join('\n')).toContain('source "bad"');
    expect(found.join('\n')).toContain('source "nodb"');
    expect(found.join('\n')).toContain('"no spaces"');
    expect(found.join('\n')).not.toContain('hunter2');
    expect(problems({ MIGRATION_SOURCES: '{not json' })).toEqual([
      'MIGRATION_SOURCES: must be JSON: {"<name>": "<source URL>", …}',
    ]);
    expect(problems({ MIGRATION_SOURCES: '{"a": 1}' })[0]).toMatch(
      /^MIGRATION_SOURCES: must be a JSON object/,
    );
  });
});
