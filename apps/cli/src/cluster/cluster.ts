import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { serviceClientSecret } from '@only/platform/auth';
import { RabbitBus } from '@only/platform/bus';
import { ensureDatabase, openDatabase, type MigrationSource } from '@only/platform/db';
import { createLogger } from '@only/platform/log';
import { ManagedProcess } from './managed-process.ts';

/** A service the launcher can start as its own process. */
export interface ClusterService {
  readonly name: string;
  /** Its `src/main.ts`. */
  readonly entry: string;
  /** The variable its process reads its port from, e.g. `ORDERS_PORT`. */
  readonly portVariable: string;
  readonly defaultPort: number;
  /** For a service that serves internal RPC: the variable of its gRPC port, e.g. `CATALOG_RPC_PORT`. */
  readonly rpcPortVariable?: string;
  readonly defaultRpcPort?: number;
  readonly migrations: MigrationSource;
  /** Its durable consumers, provisioned on the broker before any process starts. */
  readonly consumers: readonly { readonly consumer: string; readonly patterns: readonly string[] }[];
}

/** Options of {@link startCluster}. */
export interface ClusterOptions {
  readonly services: readonly ClusterService[];
  /** Environment every process gets: DATABASE_URL, RABBITMQ_URL or KAFKA_BROKERS, REDIS_URL… */
  readonly env: Record<string, string>;
  readonly gatewayPort: number;
  /** Replicas per service (1 when absent). */
  readonly replicas?: Readonly<Record<string, number>>;
  /** Port of replica `index` (0-based) of a service; by default its port + 100 × index. */
  readonly portOf?: (service: ClusterService, index: number) => number;
  /** gRPC port of replica `index` of a service that serves RPC; by default its RPC port + 100 × index. */
  readonly rpcPortOf?: (service: ClusterService, index: number) => number;
  readonly host?: string;
  /** Receives every output line of every process; without it, output is discarded. */
  readonly output?: (line: string) => void;
  /** Restart processes that die (default true). */
  readonly restart?: boolean;
  /** How long to wait for every process to be ready. */
  readonly readyTimeoutMs?: number;
}

/** A running cluster. */
export interface Cluster {
  /** The gateway's base URL. */
  readonly url: string;
  /** Every process: the services' replicas, then the gateway. */
  readonly processes: readonly ManagedProcess[];
  /** Base URL of each replica of each service. */
  readonly serviceUrls: Readonly<Record<string, readonly string[]>>;
  /** One replica of a service (0-based). */
  process(service: string, index?: number): ManagedProcess;
  /** Resolves when the gateway and every service answer ready. */
  waitReady(timeoutMs?: number): Promise<void>;
  /** Stops the gateway first (no new requests), then the services. */
  stop(): Promise<void>;
}

const GATEWAY_ENTRY = fileURLToPath(import.meta.resolve('@only/gateway/main'));

/** Declares every durable consumer's queue, so events published before a consumer starts are kept. */
export async function provisionConsumers(
  services: readonly ClusterService[],
  rabbitmqUrl: string,
  namespace: string | undefined,
): Promise<void> {
  const bus = await RabbitBus.connect({
    url: rabbitmqUrl,
    logger: createLogger({ service: 'only', level: 'warn' }),
    connectionName: 'only-provision',
    initialConnectRetries: 5,
    ...(namespace ? { namespace } : {}),
  });
  try {
    for (const service of services) {
      for (const { consumer, patterns } of service.consumers) await bus.provision(consumer, patterns);
    }
  } finally {
    await bus.close();
  }
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

async function waitUntilReady(urls: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const url of urls) {
    while (!(await isReady(url))) {
      if (Date.now() > deadline) throw new Error(`${url} is not ready after ${String(timeoutMs)} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/**
 * Who issues access tokens and where every process finds the keys: Only's identity service behind
 * the gateway, with keys read from identity directly — unless the environment names an external
 * issuer (`AUTH_ISSUER`), which is then used as it is.
 */
function authEnvironment(
  env: Readonly<Record<string, string>>,
  gatewayUrl: string,
  identityUrl: string | undefined,
): Record<string, string> {
  if (env.AUTH_ISSUER !== undefined) return {};
  const issuer = `${gatewayUrl}/api/identity`;
  return {
    AUTH_ISSUER: issuer,
    IDENTITY_ISSUER: issuer,
    ...(identityUrl === undefined
      ? {}
      : {
          AUTH_JWKS_URL: `${identityUrl}/.well-known/jwks.json`,
          // Machine tokens come from identity directly, not through the gateway's edge.
          SERVICE_TOKEN_URL: `${identityUrl}/oauth/token`,
        }),
  };
}

/**
 * Each process's part of the deployment's service secret: identity gets the secret itself, every
 * other service only the client secret derived from it for its own name.
 */
function serviceSecretEnvironment(
  service: string,
  deploymentSecret: string | undefined,
): Record<string, string> {
  if (deploymentSecret === undefined) return {};
  return service === 'identity'
    ? { IDENTITY_SERVICE_SECRET: deploymentSecret }
    : { SERVICE_CLIENT_SECRET: serviceClientSecret(deploymentSecret, service) };
}

/**
 * Distributed mode on one machine: applies every service's migrations (creating the database if
 * needed), then starts each service — with the requested replicas — and the gateway as separate,
 * supervised processes wired by environment, and waits until all are ready.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const databaseUrl = options.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is required in distributed mode');
  if (/^postgres(ql)?:/.test(databaseUrl)) await ensureDatabase(databaseUrl);
  const database = await openDatabase({ url: databaseUrl, poolSize: 1, applicationName: 'only-launcher' });
  try {
    for (const service of options.services) await database.migrate(service.migrations);
  } finally {
    await database.close();
  }
  if (options.env.RABBITMQ_URL) {
    await provisionConsumers(options.services, options.env.RABBITMQ_URL, options.env.BUS_NAMESPACE);
  }

  const host = options.host ?? '127.0.0.1';
  const portOf = options.portOf ?? ((service, index) => service.defaultPort + 100 * index);
  const restart = options.restart ?? true;
  const processes: ManagedProcess[] = [];
  const serviceUrls: Record<string, string[]> = {};
  const byService = new Map<string, ManagedProcess[]>();

  const url = `http://${host}:${String(options.gatewayPort)}`;
  const countOf = (service: ClusterService) => Math.max(1, options.replicas?.[service.name] ?? 1);
  for (const service of options.services) {
    serviceUrls[service.name] = Array.from(
      { length: countOf(service) },
      (_, index) => `http://${host}:${String(portOf(service, index))}`,
    );
  }
  const env: Record<string, string> = {
    ...options.env,
    ...authEnvironment(options.env, url, serviceUrls.identity?.[0]),
  };
  // Internal gRPC: every process finds each RPC-serving service's replicas at these URLs.
  const rpcPortOf = (service: ClusterService, index: number) =>
    service.defaultRpcPort === undefined
      ? undefined
      : (options.rpcPortOf?.(service, index) ?? service.defaultRpcPort + 100 * index);
  for (const service of options.services) {
    if (service.defaultRpcPort === undefined) continue;
    env[`${service.name.toUpperCase()}_RPC_URL`] = Array.from(
      { length: countOf(service) },
      (_, index) => `http://${host}:${String(rpcPortOf(service, index))}`,
    ).join(',');
  }
  // A secret for this run unless the environment brings one; only with our own identity service.
  const deploymentSecret =
    options.env.AUTH_ISSUER !== undefined
      ? undefined
      : (options.env.IDENTITY_SERVICE_SECRET ?? randomBytes(32).toString('base64url'));
  delete env.IDENTITY_SERVICE_SECRET;

  for (const service of options.services) {
    const count = countOf(service);
    const replicas: ManagedProcess[] = [];
    for (let index = 0; index < count; index++) {
      replicas.push(
        new ManagedProcess({
          label: count > 1 ? `${service.name}#${String(index + 1)}` : service.name,
          entry: service.entry,
          env: {
            ...env,
            ...serviceSecretEnvironment(service.name, deploymentSecret),
            HOST: host,
            [service.portVariable]: String(portOf(service, index)),
            ...(service.rpcPortVariable === undefined
              ? {}
              : { [service.rpcPortVariable]: String(rpcPortOf(service, index)) }),
          },
          output: options.output,
          restart,
        }),
      );
    }
    byService.set(service.name, replicas);
    processes.push(...replicas);
  }

  const gatewayEnv: Record<string, string> = {
    ...env,
    HOST: host,
    GATEWAY_PORT: String(options.gatewayPort),
  };
  for (const [name, urls] of Object.entries(serviceUrls))
    gatewayEnv[`${name.toUpperCase()}_URL`] = urls.join(',');
  const gateway = new ManagedProcess({
    label: 'gateway',
    entry: GATEWAY_ENTRY,
    env: gatewayEnv,
    output: options.output,
    restart,
  });
  processes.push(gateway);
  byService.set('gateway', [gateway]);

  for (const managed of processes) managed.start();
  const allUrls = [...Object.values(serviceUrls).flat(), url];

  const cluster: Cluster = {
    url,
    processes,
    serviceUrls,
    process(service, index = 0) {
      const managed = byService.get(service)?.[index];
      if (!managed) throw new Error(`No process ${service}#${String(index + 1)}`);
      return managed;
    },
    waitReady: (timeoutMs = options.readyTimeoutMs ?? 60_000) => waitUntilReady(allUrls, timeoutMs),
    async stop() {
      await gateway.stop();
      await Promise.all(processes.filter((p) => p !== gateway).map((p) => p.stop()));
    },
  };
  try {
    await cluster.waitReady();
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}
