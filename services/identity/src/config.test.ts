import { ConfigError, loadConfig } from '@only/platform/config';
import { describe, expect, it } from 'vitest';
import { identityConfigSchema, identitySettingsFrom } from './config.ts';

const base = {
  DATABASE_URL: 'postgres://only@localhost/only',
  AUTH_ISSUER: 'http://127.0.0.1:8080/api/identity',
};

describe('identity configuration', () => {
  it('needs an issuer; everything else has a default', () => {
    const config = loadConfig('identity', identityConfigSchema, {
      ...base,
      IDENTITY_ISSUER: 'http://127.0.0.1:8080/api/identity/',
    });
    expect(config).toMatchObject({
      IDENTITY_PORT: 3005,
      IDENTITY_ACCESS_TOKEN_TTL_SECONDS: 900,
      IDENTITY_REFRESH_TOKEN_TTL_DAYS: 30,
      IDENTITY_KEY_ROTATION_DAYS: 30,
    });
    expect(identitySettingsFrom(config)).toEqual({
      issuer: 'http://127.0.0.1:8080/api/identity',
      accessTokenTtlSeconds: 900,
      refreshTokenTtlDays: 30,
      keyRotationDays: 30,
    });
  });

  it('reports every problem at once', () => {
    try {
      loadConfig('identity', identityConfigSchema, {
        ...base,
        IDENTITY_ISSUER: 'ftp://example.com',
        IDENTITY_ACCESS_TOKEN_TTL_SECONDS: '0',
        IDENTITY_PORT: 'x',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['IDENTITY_ISSUER', 'IDENTITY_ACCESS_TOKEN_TTL_SECONDS', 'IDENTITY_PORT']) {
        expect(problems).toContain(name);
      }
    }
    expect(() => loadConfig('identity', identityConfigSchema, base)).toThrow(/IDENTITY_ISSUER: is required/);
  });
});
