// A whole distributed deployment for one test file: every service and the gateway as real
// processes, on a database, a bus namespace and a Redis server of its own, on free ports.
import { randomBytes } from 'node:crypto';
import { consumerTopology, DEFAULT_RETRY_POLICY } from '@only/platform/bus';
import { ensureDatabase, openDatabase, queryRows } from '@only/platform/db';
import { freePorts, passwordLogin, RedisTestServer } from '@only/testing';
import amqp from 'amqplib';
import pg from 'pg';
import type { SQL } from 'drizzle-orm';
import { startCluster, type Cluster } from '../../apps/cli/src/cluster/cluster.ts';
import { seedCommand } from '../../apps/cli/src/commands/database.ts';
import { SERVICES } from '../../apps/cli/src/service-registry.ts';

/** The infrastructure the distributed suite needs, from the environment `.ci/run` sets. */
export const infrastructure = {
  databaseUrl: process.env.DATABASE_URL,
  rabbitmqUrl: process.env.RABBITMQ_URL,
};

/** Whether the suite can run here. */
export const infrastructureAvailable =
  infrastructure.databaseUrl?.startsWith('postgres') === true && infrastructure.rabbitmqUrl !== undefined;

/** A running test deployment. */
export interface TestCluster {
  readonly cluster: Cluster;
  /** The gateway's base URL. */
  readonly url: string;
  readonly redis: RedisTestServer;
  readonly namespace: string;
  /** The cluster's own database. */
  readonly databaseUrl: string;
  /** Rows of a query on the cluster's database. */
  query<T extends Record<string, unknown>>(query: SQL): Promise<T[]>;
  /** The last lines the processes wrote (for failure messages). */
  logs(): string;
  stop(): Promise<void>;
}

function databaseUrlFor(name: string): string {
  const url = new URL(infrastructure.databaseUrl ?? '');
  url.pathname = `/${name}`;
  return url.toString();
}

/** Starts a deployment; `stop()` removes every trace of it (processes, database, queues). */
export async function startTestCluster(
  options: {
    replicas?: Record<string, number>;
    /** Log level of every process; `E2E_LOG_LEVEL` or `warn` by default. */
    logLevel?: string;
    /** Discard the processes' output unread (benchmarks), instead of keeping the last lines. */
    discardOutput?: boolean;
    /** More environment for every process (e.g. an SMTP server for notifications). */
    env?: Record<string, string>;
  } = {},
): Promise<TestCluster> {
  const id = randomBytes(4).toString('hex');
  const namespace = `e2e-${id}`;
  const databaseName = `only_e2e_${id}`;
  const databaseUrl = databaseUrlFor(databaseName);
  await ensureDatabase(databaseUrl);
  const redis = await RedisTestServer.start();
  const lines: string[] = [];
  // Every port of the deployment at once: taken one by one, the same port can come back twice.
  const names: string[] = [];
  for (const service of SERVICES) {
    for (let index = 0; index < (options.replicas?.[service.name] ?? 1); index++) {
      names.push(`${service.name}#${String(index)}`);
      if (service.defaultRpcPort !== undefined) names.push(`${service.name}#${String(index)}:rpc`);
    }
  }
  const [gatewayPort, ...servicePorts] = await freePorts(names.length + 1);
  const ports = new Map(names.map((name, i) => [name, servicePorts[i] ?? 0]));
  const cluster = await startCluster({
    services: SERVICES,
    env: {
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: '10',
      RABBITMQ_URL: infrastructure.rabbitmqUrl ?? '',
      REDIS_URL: `redis://127.0.0.1:${String(redis.port)}`,
      BUS_NAMESPACE: namespace,
      CACHE_PREFIX: `${namespace}:`,
      LOG_LEVEL: options.logLevel ?? process.env.E2E_LOG_LEVEL ?? 'warn',
      // Load from one address is the point of these runs, not something to throttle.
      GATEWAY_RATE_LIMIT_PER_IP: '10000000',
      GATEWAY_RATE_LIMIT_PER_TENANT: '10000000',
      ...options.env,
    },
    gatewayPort: gatewayPort ?? 0,
    replicas: options.replicas ?? {},
    portOf: (service, index) => ports.get(`${service.name}#${String(index)}`) ?? 0,
    rpcPortOf: (service, index) => ports.get(`${service.name}#${String(index)}:rpc`) ?? 0,
    ...(options.discardOutput === true
      ? {}
      : {
          output: (line: string) => {
            lines.push(line);
            if (lines.length > 400) lines.shift();
          },
        }),
  });
  const database = await openDatabase({ url: databaseUrl, poolSize: 2, applicationName: 'only-e2e' });
  // Demo tenants and users as `only seed` makes them (no demo orders: tests count their own);
  // then a token for the suite's calls.
  await seedCommand({ databaseUrl, services: ['identity'] });
  useAccessToken(await passwordLogin(cluster.url));

  return {
    cluster,
    url: cluster.url,
    redis,
    namespace,
    databaseUrl,
    query: (query) => queryRows(database.db, query),
    logs: () => lines.join('\n'),
    async stop() {
      await cluster.stop();
      await database.close();
      await redis.stop();
      const admin = new pg.Client({ connectionString: databaseUrlFor('postgres') });
      await admin.connect();
      await admin.query(`drop database if exists ${databaseName} with (force)`);
      await admin.end();
      const connection = await amqp.connect(infrastructure.rabbitmqUrl ?? '');
      const channel = await connection.createChannel();
      for (const service of SERVICES) {
        for (const { consumer } of service.consumers) {
          const topology = consumerTopology(namespace, consumer, DEFAULT_RETRY_POLICY);
          for (const queue of [
            topology.queue,
            topology.deadLetterQueue,
            ...topology.retryQueues.map((q) => q.name),
          ]) {
            await channel.deleteQueue(queue);
          }
          await channel.deleteExchange(topology.deadLetterExchange);
        }
      }
      await channel.deleteExchange(`${namespace}.events`);
      await connection.close();
    },
  };
}

/** The access token requests of this test file carry: the demo owner's, once logged in. */
let accessToken: string | undefined;

/** Makes {@link call} carry this token (a file that starts its own platform logs in itself). */
export function useAccessToken(token: string): void {
  accessToken = token;
}

/** `{ authorization: 'Bearer …' }` with the logged-in token, for hand-made requests. */
export function authorization(): Record<string, string> {
  return accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` };
}

/** JSON over HTTP against the gateway, throwing with the body on an unexpected status. */
export async function call<T>(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  expected: readonly number[] = [200, 201],
): Promise<T> {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...authorization(),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  if (!expected.includes(response.status))
    throw new Error(`${init.method ?? 'GET'} ${url}: ${String(response.status)} ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** A customer to place orders for, through the gateway. */
export async function aCustomer(api: string): Promise<string> {
  const customer = await call<{ id: string }>(`${api}/orders/customers`, {
    body: { email: `e2e-${randomBytes(4).toString('hex')}@example.com`, name: 'E2E Customer' },
  });
  return customer.id;
}

/** The body of an order with two lines. */
export function orderBody(customerId: string): unknown {
  return {
    customerId,
    currency: 'EUR',
    lines: [
      { sku: 'E2E-1', name: 'First', quantity: 2, unitPrice: 1250, taxRateBps: 1900 },
      { sku: 'E2E-2', name: 'Second', quantity: 1, unitPrice: 990, taxRateBps: 700 },
    ],
  };
}

/** How many orders reporting counts, by status, through the gateway. */
export async function reportedOrders(api: string): Promise<number> {
  const kpis = await call<{ ordersByStatus: Record<string, number> }>(`${api}/reporting/reports/kpis`);
  return Object.values(kpis.ordersByStatus).reduce((sum, count) => sum + count, 0);
}

/** Runs `work` for each item with at most `limit` at a time. */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}
