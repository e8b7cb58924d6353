import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigError,
  describeConfig,
  flag,
  loadConfig,
  logLevel,
  optionalUrl,
  port,
  positiveInt,
  secret,
} from './index.ts';

const schema = z.object({
  PORT: port(8080, 'HTTP port to listen on.'),
  DEBUG: flag(false, 'Verbose diagnostics.'),
  CACHE_SIZE: positiveInt(1_000, 'Most cached entries.'),
  REDIS_URL: optionalUrl(['redis', 'rediss'], 'Redis for the shared cache.'),
  SESSION_SECRET: secret('Key that signs sessions.'),
  LOG_LEVEL: logLevel,
});

const SECRET = 's'.repeat(32);

/** The ConfigError thrown by `run`, failing the test if nothing is thrown. */
function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('parses values and applies defaults for unset variables', () => {
    const config = loadConfig('orders', schema, { SESSION_SECRET: SECRET, PORT: '3000' });
    expect(config).toEqual({
      PORT: 3000,
      DEBUG: false,
      CACHE_SIZE: 1_000,
      SESSION_SECRET: SECRET,
      LOG_LEVEL: 'info',
    });
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('reads only the variables of the schema', () => {
    const config = loadConfig('orders', schema, { SESSION_SECRET: SECRET, UNRELATED: 'x', PATH: '/bin' });
    expect(Object.keys(config).sort()).toEqual([
      'CACHE_SIZE',
      'DEBUG',
      'LOG_LEVEL',
      'PORT',
      'SESSION_SECRET',
    ]);
  });

  it('treats an empty string as unset: defaults apply and required variables are missing', () => {
    const config = loadConfig('orders', schema, {
      SESSION_SECRET: SECRET,
      PORT: '',
      DEBUG: '',
      REDIS_URL: '',
    });
    expect(config.PORT).toBe(8080);
    expect(config.DEBUG).toBe(false);
    expect(config.REDIS_URL).toBeUndefined();

    const error = configError(() => loadConfig('orders', schema, { SESSION_SECRET: '' }));
    expect(error.problems).toEqual(['SESSION_SECRET: is required but not set']);
  });

  it('reports every problem at once, naming each variable', () => {
    const error = configError(() =>
      loadConfig('orders', schema, {
        PORT: 'eighty',
        DEBUG: 'maybe',
        CACHE_SIZE: '0',
        REDIS_URL: 'http://cache:6379',
        LOG_LEVEL: 'loud',
      }),
    );
    expect(error.name).toBe('ConfigError');
    const named = error.problems.map((p) => p.split(':')[0]);
    expect(named.sort()).toEqual(['CACHE_SIZE', 'DEBUG', 'LOG_LEVEL', 'PORT', 'REDIS_URL', 'SESSION_SECRET']);
    expect(error.problems).toContain('SESSION_SECRET: is required but not set');
    // A value that is set but wrong is not reported as missing.
    expect(error.problems.find((p) => p.startsWith('PORT:'))).not.toContain('required');
    // The message names the service and lists every problem.
    expect(error.message.startsWith('Invalid configuration for orders:\n')).toBe(true);
    for (const problem of error.problems) expect(error.message).toContain(`  - ${problem}`);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['on', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['off', false],
  ])('flag parses %s as %s', (raw, expected) => {
    expect(loadConfig('svc', schema, { SESSION_SECRET: SECRET, DEBUG: raw }).DEBUG).toBe(expected);
  });

  it.each(['TRUE', 'Y', '2', 'enabled'])('flag rejects %s', (raw) => {
    const error = configError(() => loadConfig('svc', schema, { SESSION_SECRET: SECRET, DEBUG: raw }));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^DEBUG: /);
  });

  it('flag defaults to true when asked', () => {
    const s = z.object({ ENABLED: flag(true, 'on by default') });
    expect(loadConfig('svc', s, {})).toEqual({ ENABLED: true });
    expect(loadConfig('svc', s, { ENABLED: 'off' })).toEqual({ ENABLED: false });
  });

  it('port and positiveInt bound their numbers', () => {
    expect(loadConfig('svc', schema, { SESSION_SECRET: SECRET, PORT: '0' }).PORT).toBe(0);
    expect(loadConfig('svc', schema, { SESSION_SECRET: SECRET, PORT: '65535' }).PORT).toBe(65535);
    for (const bad of ['65536', '-1', '80.5']) {
      expect(
        configError(() => loadConfig('svc', schema, { SESSION_SECRET: SECRET, PORT: bad })).problems,
      ).toHaveLength(1);
    }
    expect(loadConfig('svc', schema, { SESSION_SECRET: SECRET, CACHE_SIZE: '5' }).CACHE_SIZE).toBe(5);
    expect(
      configError(() => loadConfig('svc', schema, { SESSION_SECRET: SECRET, CACHE_SIZE: '-5' })).problems[0],
    ).toMatch(/^CACHE_SIZE: /);
  });

  it('optionalUrl accepts only its protocols', () => {
    expect(
      loadConfig('svc', schema, { SESSION_SECRET: SECRET, REDIS_URL: 'redis://cache:6379' }).REDIS_URL,
    ).toBe('redis://cache:6379');
    expect(
      loadConfig('svc', schema, { SESSION_SECRET: SECRET, REDIS_URL: 'rediss://cache:6380' }).REDIS_URL,
    ).toBe('rediss://cache:6380');
    expect(
      configError(() => loadConfig('svc', schema, { SESSION_SECRET: SECRET, REDIS_URL: 'not a url' }))
        .problems[0],
    ).toMatch(/^REDIS_URL: /);
  });

  it('secret() has no default and enforces its minimum length', () => {
    expect(secret('x').safeParse(undefined).success).toBe(false);
    const error = configError(() => loadConfig('svc', schema, { SESSION_SECRET: 'short' }));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^SESSION_SECRET: /);
    expect(error.problems[0]).not.toContain('required');
    // The secret's value is never echoed in the problem.
    expect(error.message).not.toContain('short');
    expect(loadConfig('svc', z.object({ K: secret('k', 4) }), { K: 'abcd' })).toEqual({ K: 'abcd' });
  });

  it('reads process.env by default', () => {
    const s = z.object({ ONLY_TEST_CONFIG_VALUE: positiveInt(1, 'test') });
    process.env.ONLY_TEST_CONFIG_VALUE = '42';
    try {
      expect(loadConfig('svc', s)).toEqual({ ONLY_TEST_CONFIG_VALUE: 42 });
    } finally {
      delete process.env.ONLY_TEST_CONFIG_VALUE;
    }
  });
});

describe('describeConfig', () => {
  it('lists each variable with description, required, default and secret', () => {
    expect(describeConfig(schema)).toEqual([
      {
        name: 'PORT',
        description: 'HTTP port to listen on.',
        required: false,
        default: '8080',
        secret: false,
      },
      {
        name: 'DEBUG',
        description: 'Verbose diagnostics.',
        required: false,
        default: 'false',
        secret: false,
      },
      {
        name: 'CACHE_SIZE',
        description: 'Most cached entries.',
        required: false,
        default: '1000',
        secret: false,
      },
      {
        name: 'REDIS_URL',
        description: 'Redis for the shared cache.',
        required: false,
        default: undefined,
        secret: false,
      },
      {
        name: 'SESSION_SECRET',
        description: 'Key that signs sessions.',
        required: true,
        default: undefined,
        secret: true,
      },
      {
        name: 'LOG_LEVEL',
        description: 'Lowest level written to the JSON log.',
        required: false,
        default: '"info"',
        secret: false,
      },
    ]);
  });

  it('a plain required field without description is required with an empty description', () => {
    expect(describeConfig(z.object({ NAME: z.string() }))).toEqual([
      { name: 'NAME', description: '', required: true, default: undefined, secret: false },
    ]);
  });
});
