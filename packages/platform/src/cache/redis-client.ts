import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../log/index.ts';

/** Options of {@link createRedisClient}. */
export interface RedisClientOptions {
  /** A command without an answer within this many ms fails ("Command timed out"). Default 250. */
  readonly commandTimeoutMs?: number;
  /** How long a TCP connection attempt may take. Default 2 000. */
  readonly connectTimeoutMs?: number;
  /** Cap of the exponential backoff between reconnection attempts. Default 2 000. */
  readonly maxReconnectDelayMs?: number;
  /** Shown by `CLIENT LIST`, to tell connections apart on the server. */
  readonly connectionName?: string;
  /** Connection errors go here at debug level (the cache logs the outage itself). */
  readonly logger?: Logger;
}

/**
 * ioredis options for a cache: every command fails fast while the connection is down instead of
 * waiting for it, and the client keeps reconnecting by itself with capped backoff.
 */
export function redisClientOptions(options: RedisClientOptions = {}): RedisOptions {
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  return {
    // Reject commands at once while disconnected: the caller falls back instead of queueing.
    enableOfflineQueue: false,
    // Commands awaiting a reply when the connection drops fail on that drop, not after retries.
    maxRetriesPerRequest: 0,
    // Never re-send a command from a dead connection after reconnecting: a late SET could land
    // after the deletes replayed on recovery and bring a stale value back.
    autoResendUnfulfilledCommands: false,
    commandTimeout: options.commandTimeoutMs ?? 250,
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    // 50, 100, 200 ms ... capped, with jitter so replicas do not reconnect in lockstep.
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times - 1, 20), maxDelay) + Math.random() * 50,
    ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
  };
}

/**
 * An ioredis client for `url` (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS)
 * configured by {@link redisClientOptions}. It connects at once and reconnects on its own.
 */
export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  const client = new Redis(url, redisClientOptions(options));
  // Without a listener ioredis prints every reconnection error to the console.
  client.on('error', (error: Error) => {
    // Message only: a reply error carries the command's arguments, i.e. cached values.
    options.logger?.debug({ error: error.message }, 'redis connection error');
  });
  return client;
}
