import { resolve } from 'node:path';
import { SERVICE_PERMISSIONS } from '@only/contracts/auth';
import type { MachineTokenSource } from '@only/platform/auth';
import { InMemoryBus } from '@only/platform/bus';
import { systemContext } from '@only/platform/context';
import { DEMO_TENANTS, type IdentityModule } from '@only/identity';
import { openDatabase, withTenantScope } from '@only/platform/db';
import { buildGateway, type EdgeLimits, type GatewayOptions } from '@only/gateway';
import type { HttpApp } from '@only/platform/http';
import { Lifecycle } from '@only/platform/lifecycle';
import { createRpcConnector, RpcRegistry, type RpcConnector } from '@only/platform/rpc';
import { startModules, type ServiceModule } from '@only/platform/service';
import type { Logger } from '@only/platform/log';
import { lockDataDir } from './data-dir-lock.ts';
import { markSeedRan, seedAlreadyRan } from './seed-marker.ts';
import { SERVICES } from './service-registry.ts';

/** Options of {@link startEmbedded}. */
export interface EmbeddedOptions {
  /** Where PGlite keeps its data; `memory` for nothing on disk. */
  readonly dataDir: string;
  readonly port: number;
  readonly host: string;
  readonly seedDemoData: boolean;
  readonly logger: Logger;
  /** Base URL browsers and API clients reach the gateway at (the token issuer's base). */
  readonly publicUrl?: string;
  /** Sees every route as it is registered. */
  readonly onRoute?: GatewayOptions['onRoute'];
  /** Rate limits per minute and body size; the gateway's defaults otherwise. */
  readonly limits?: EdgeLimits;
}

/** A running embedded platform. */
export interface EmbeddedPlatform {
  /** Base URL the gateway listens on. */
  readonly url: string;
  readonly app: HttpApp;
  readonly lifecycle: Lifecycle;
  /** Whether demo data was created by this start. */
  readonly seeded: boolean;
  stop(reason?: string): Promise<void>;
}

/**
 * Embedded mode: every service in this process behind the gateway, on PGlite (data in
 * `dataDir`), the in-process bus and in-memory cache. Migrations are applied on start; demo data
 * is seeded on the first start.
 */
export async function startEmbedded(options: EmbeddedOptions): Promise<EmbeddedPlatform> {
  const { logger } = options;
  const lifecycle = new Lifecycle(logger);
  try {
    const inMemory = options.dataDir === 'memory';
    const dataDir = inMemory ? 'memory' : resolve(options.dataDir);
    if (!inMemory) lifecycle.onStop('data-dir-lock', await lockDataDir(dataDir));

    const database = await openDatabase({
      url: inMemory ? 'pglite:memory' : `pglite:${resolve(dataDir, 'pglite')}`,
    });
    lifecycle.onStop('database', () => database.close());
    const bus = new InMemoryBus({ logger });
    lifecycle.onStop('bus', () => bus.close());

    const publicUrl = options.publicUrl ?? `http://localhost:${String(options.port)}`;
    const host = {
      issuer: `${publicUrl.replace(/\/$/, '')}/api/identity`,
      ...(inMemory ? {} : { dataDir }),
    };
    // Internal calls stay in this process; each service has its own clients (and circuit
    // breakers), whose machine tokens identity signs here for work no user started.
    const registry = new RpcRegistry();
    const isIdentity = (m: ServiceModule): m is IdentityModule => m.name === 'identity';
    const connectors: RpcConnector[] = [];
    const rpcFor = (service: string) => {
      let tokens: MachineTokenSource | undefined;
      const connector = createRpcConnector({
        registry,
        logger,
        machineToken: (ctx) => {
          // Called only once the modules exist, identity among them.
          tokens ??= modules.find(isIdentity)?.serviceTokens(service);
          return SERVICE_PERMISSIONS[service] === undefined ? undefined : tokens?.token(ctx.tenantId);
        },
      });
      connectors.push(connector);
      return connector;
    };
    lifecycle.onStop('rpc clients', () => {
      for (const connector of connectors) connector.close();
      return Promise.resolve();
    });
    const modules = SERVICES.map((service) =>
      service.create(
        { db: database.db, pingDatabase: database.ping, bus, logger, rpc: rpcFor(service.name) },
        host,
      ),
    );
    for (const service of SERVICES) await database.migrate(service.migrations);
    const identity = modules.find(isIdentity);
    if (identity === undefined) throw new Error('the identity service is not registered');
    registry.register({
      services: modules.flatMap((m) => m.rpc ?? []),
      verifier: identity.tokenVerifier(),
      logger,
    });

    const app = await buildGateway({
      logger,
      modules,
      mode: 'embedded',
      // In one process, keys are read from identity directly; there is no HTTP hop to verify.
      auth: identity.tokenVerifier(),
      edge: {
        // Identity keeps the list in memory and forgets it on every change: no second cache here.
        allowedOrigins: async () => new Set(await identity.allowedOrigins()),
        ...options.limits?.edge,
      },
      ...(options.limits === undefined
        ? {}
        : { bodyLimitBytes: options.limits.bodyLimitBytes, trustProxy: options.limits.trustProxy }),
      ...(options.onRoute === undefined ? {} : { onRoute: options.onRoute }),
    });
    await startModules(modules);
    for (const module of modules) lifecycle.onStop(module.name, () => module.stop());

    let seeded = false;
    if (options.seedDemoData && !(await seedAlreadyRan(database.db, 'demo'))) {
      await seedDemo(modules);
      await markSeedRan(database.db, 'demo');
      seeded = true;
    }

    const url = await app.listen({ port: options.port, host: options.host });
    lifecycle.onStop('http', () => app.close());
    return { url, app, lifecycle, seeded, stop: (reason = 'stop') => lifecycle.stop(reason) };
  } catch (error) {
    await lifecycle.stop('start failed');
    throw error;
  }
}

/**
 * Demo data for every demo tenant: identity first (tenants, users), then each service's own —
 * scoped to that tenant, so row-level security holds the seed to it like any request.
 */
export async function seedDemo(modules: readonly ServiceModule[]): Promise<void> {
  for (const tenant of DEMO_TENANTS) {
    const ctx = systemContext(tenant.id, 'seed-demo');
    for (const module of modules) await withTenantScope(tenant.id, () => module.seedDemo?.(ctx));
  }
}
