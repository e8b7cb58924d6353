import type { z } from 'zod';
import { verifierFromConfig } from '../auth/auth-config.ts';
import { clientCredentialsTokens, serviceClientId } from '../auth/machine-tokens.ts';
import type { TokenVerifier } from '../auth/token-verifier.ts';
import { createBus } from '../bus/create-bus.ts';
import { createCache } from '../cache/create-cache.ts';
import { ResilientRedisCache } from '../cache/resilient-redis-cache.ts';
import { ConfigError, loadConfig } from '../config/load-config.ts';
import { openDatabase } from '../db/database.ts';
import { Lifecycle } from '../lifecycle/lifecycle.ts';
import { createLogger } from '../log/logger.ts';
import type { RpcClientConfig } from '../rpc/rpc-config.ts';
import { createRpcConnector, rpcConnectorOptionsFrom } from '../rpc/rpc-connector.ts';
import { createRpcServer } from '../rpc/rpc-server.ts';
import { migrationsAppliedCheck } from './migration-check.ts';
import { buildServiceApp } from './service-app.ts';
import type { ServiceProcessConfig } from './service-config.ts';
import type { ServiceDependencies } from './service-dependencies.ts';
import { startModules, type ServiceModule } from './service-module.ts';

/** How to run one service as its own process. */
export interface ServiceProcessDefinition<S extends z.ZodObject, M extends ServiceModule = ServiceModule> {
  readonly name: string;
  /** The service's schema: {@link serviceProcessConfigSchema} extended with its own variables. */
  readonly configSchema: S;
  /** The port to listen on, from the parsed configuration. */
  readonly port: (config: z.output<S>) => number;
  /**
   * The port of the internal gRPC (HTTP/2) listener (`<NAME>_RPC_PORT`, see `rpcPort`); required
   * when the module serves RPC (`module.rpc`).
   */
  readonly rpcPort?: (config: z.output<S>) => number;
  readonly create: (deps: ServiceDependencies) => M;
  /**
   * The verifier of the module's routes; by default from the `AUTH_*` configuration. The issuer
   * itself verifies with its own keys rather than over HTTP.
   */
  readonly verifier?: (module: M) => TokenVerifier;
}

/**
 * Runs a service as its own process (distributed mode): configuration from the environment (every
 * problem reported at once), JSON logs, PostgreSQL, the configured bus and cache, RPC clients of
 * the other services (`<NAME>_RPC_URL`) and, when the module serves RPC, its gRPC listener on
 * `rpcPort`; readiness that covers database, migrations, broker and cache, and an ordered
 * shutdown on SIGTERM/SIGINT.
 * Migrations are applied only when `MIGRATE_ON_START=true` (normally `only db migrate` runs first).
 */
export async function runServiceProcess<S extends z.ZodObject, M extends ServiceModule>(
  definition: ServiceProcessDefinition<S, M>,
): Promise<void> {
  let config: z.output<S> & ServiceProcessConfig;
  try {
    config = loadConfig(definition.name, definition.configSchema) as z.output<S> & ServiceProcessConfig;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ service: definition.name, level: config.LOG_LEVEL });
  const lifecycle = new Lifecycle(logger);
  lifecycle.handleSignals();
  try {
    const database = await openDatabase({
      url: config.DATABASE_URL,
      poolSize: config.DATABASE_POOL_SIZE,
      applicationName: `only-${definition.name}`,
    });
    lifecycle.onStop('database', () => database.close());
    const bus = await createBus({
      rabbitmqUrl: config.RABBITMQ_URL,
      kafkaBrokers: config.KAFKA_BROKERS,
      namespace: config.BUS_NAMESPACE,
      clientName: `only-${definition.name}-${String(process.pid)}`,
      logger,
    });
    lifecycle.onStop('bus', () => bus.close());
    const cache = createCache({
      name: definition.name,
      logger,
      redisUrl: config.REDIS_URL,
      prefix: config.CACHE_PREFIX,
    });
    lifecycle.onStop('cache', async () => {
      await cache.close();
    });

    // Clients of other services, at the URLs the configuration names (`rpcClientConfigSchema`).
    const machineTokens =
      config.SERVICE_CLIENT_SECRET === undefined
        ? undefined
        : clientCredentialsTokens({
            tokenUrl: config.SERVICE_TOKEN_URL ?? `${config.AUTH_ISSUER.replace(/\/+$/, '')}/oauth/token`,
            clientId: serviceClientId(definition.name),
            clientSecret: config.SERVICE_CLIENT_SECRET,
          });
    const rpc = createRpcConnector({
      ...rpcConnectorOptionsFrom(config as Partial<RpcClientConfig>),
      logger,
      ...(machineTokens === undefined ? {} : { machineToken: (ctx) => machineTokens.token(ctx.tenantId) }),
    });
    lifecycle.onStop('rpc clients', () => {
      rpc.close();
      return Promise.resolve();
    });
    const module = definition.create({
      db: database.db,
      pingDatabase: database.ping,
      bus,
      cache,
      logger,
      rpc,
    });
    if (config.MIGRATE_ON_START) await database.migrate(module.migrations);
    const verifier = definition.verifier?.(module) ?? verifierFromConfig(config);
    const app = await buildServiceApp(module, {
      logger,
      auth: verifier,
      readinessChecks: [
        migrationsAppliedCheck(database.db, module.migrations),
        // Reported, but not critical: reads fall back to memory while Redis is away.
        ...(cache instanceof ResilientRedisCache ? [cache.readinessCheck()] : []),
      ],
    });
    await startModules([module]);
    lifecycle.onStop(definition.name, () => module.stop());
    await app.listen({ port: definition.port(config), host: config.HOST });
    lifecycle.onStop('http', () => app.close());
    if (module.rpc !== undefined && module.rpc.length > 0) {
      if (definition.rpcPort === undefined)
        throw new Error(`${definition.name} serves RPC but names no rpcPort`);
      // Its own HTTP/2 port: the JSON API above stays HTTP/1.1 (see createRpcServer).
      const rpcServer = await createRpcServer({ services: module.rpc, verifier, logger });
      await rpcServer.listen({ port: definition.rpcPort(config), host: config.HOST });
      lifecycle.onStop('rpc', () => rpcServer.close());
    }
  } catch (error) {
    logger.fatal({ err: error }, 'start failed');
    await lifecycle.stop('start failed');
    process.exit(1);
  }
}
