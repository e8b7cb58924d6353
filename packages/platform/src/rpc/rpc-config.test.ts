import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from '../config/index.ts';
import { rpcClientConfigSchema, rpcPort } from './rpc-config.ts';
import { rpcConnectorOptionsFrom } from './rpc-connector.ts';

describe('rpcClientConfigSchema', () => {
  it('defaults to in-process calls with a deadline per dependency', () => {
    const config = loadConfig('orders', rpcClientConfigSchema, {});
    expect(config).toEqual({
      CATALOG_RPC_DEADLINE_MS: 2_000,
      PAYMENTS_RPC_DEADLINE_MS: 5_000,
      ORDERS_RPC_DEADLINE_MS: 2_000,
      RPC_MAX_RETRIES: 2,
      RPC_BREAKER_FAILURES: 5,
      RPC_BREAKER_HALF_OPEN_MS: 5_000,
    });
    expect(rpcConnectorOptionsFrom(config)).toEqual({
      urls: { catalog: [], payments: [], orders: [] },
      deadlinesMs: { catalog: 2_000, payments: 5_000, orders: 2_000 },
      maxRetries: 2,
      breakerFailures: 5,
      breakerHalfOpenAfterMs: 5_000,
    });
  });

  it('reads URLs (several, comma-separated) and settings', () => {
    const config = loadConfig('orders', rpcClientConfigSchema, {
      CATALOG_RPC_URL: 'http://catalog-1:4002,http://catalog-2:4002',
      PAYMENTS_RPC_URL: 'https://payments:4003',
      PAYMENTS_RPC_DEADLINE_MS: '8000',
      RPC_MAX_RETRIES: '0',
    });
    expect(rpcConnectorOptionsFrom(config)).toMatchObject({
      urls: {
        catalog: ['http://catalog-1:4002', 'http://catalog-2:4002'],
        payments: ['https://payments:4003'],
      },
      deadlinesMs: { payments: 8_000 },
      maxRetries: 0,
    });
  });

  it('reports every bad value at once', () => {
    let error: unknown;
    try {
      loadConfig('orders', rpcClientConfigSchema, {
        CATALOG_RPC_URL: 'catalog:4002',
        ORDERS_RPC_DEADLINE_MS: '0',
        RPC_MAX_RETRIES: '9',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'CATALOG_RPC_URL',
      'ORDERS_RPC_DEADLINE_MS',
      'RPC_MAX_RETRIES',
    ]);
  });

  it('documents every variable', () => {
    for (const variable of describeConfig(rpcClientConfigSchema)) expect(variable.description).not.toBe('');
    expect(
      loadConfig('catalog', rpcClientConfigSchema.extend({ CATALOG_RPC_PORT: rpcPort('catalog', 4002) }), {}),
    ).toMatchObject({ CATALOG_RPC_PORT: 4002 });
  });
});
