import { loadConfig } from '@only/platform/config';
import { Lifecycle } from '@only/platform/lifecycle';
import { createLogger, redactUrl } from '@only/platform/log';
import { busCommandConfigSchema, clusterConfigSchema } from '../cli-config.ts';
import { provisionConsumers, startCluster } from '../cluster/cluster.ts';
import { SERVICES } from '../service-registry.ts';

/** `--replicas orders=2,reporting=1` → `{ orders: 2, reporting: 1 }`. */
export function parseReplicas(value: string | undefined): Record<string, number> {
  const replicas: Record<string, number> = {};
  for (const part of (value ?? '').split(',').filter(Boolean)) {
    const [name, count] = part.split('=');
    const replicaCount = Number(count);
    if (
      !name ||
      !SERVICES.some((s) => s.name === name) ||
      !Number.isInteger(replicaCount) ||
      replicaCount < 1
    ) {
      throw new Error(
        `--replicas: "${part}" is not <service>=<count> with a service among ${SERVICES.map((s) => s.name).join(', ')}`,
      );
    }
    replicas[name] = replicaCount;
  }
  return replicas;
}

/** The variables every process of the cluster gets from the launcher's environment. */
function processEnvironment(): Record<string, string> {
  const names = [
    'DATABASE_URL',
    'RABBITMQ_URL',
    'KAFKA_BROKERS',
    'REDIS_URL',
    'BUS_NAMESPACE',
    'CACHE_PREFIX',
    'LOG_LEVEL',
  ];
  // Each service reads its own settings (SMTP server, SMS provider…) from the same environment.
  const own = Object.keys(process.env).filter((name) => name.startsWith('NOTIFICATIONS_'));
  return Object.fromEntries(
    [...names, ...own].flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
  );
}

/** `only start --distributed`: every service (and replicas) and the gateway as their own processes. */
export async function startDistributedCommand(flags: { port?: string; replicas?: string }): Promise<void> {
  const config = loadConfig('only start --distributed', clusterConfigSchema, {
    ...process.env,
    ...(flags.port === undefined ? {} : { GATEWAY_PORT: flags.port }),
  });
  const replicas = parseReplicas(flags.replicas);
  const logger = createLogger({ service: 'only', level: config.LOG_LEVEL });
  logger.info({ database: redactUrl(config.DATABASE_URL), replicas }, 'starting the cluster');
  const cluster = await startCluster({
    services: SERVICES,
    env: processEnvironment(),
    gatewayPort: config.GATEWAY_PORT,
    replicas,
    output: (line) => process.stdout.write(`${line}\n`),
  });
  const lifecycle = new Lifecycle(logger, 30_000);
  lifecycle.onStop('cluster', () => cluster.stop());
  lifecycle.handleSignals();
  const services = Object.entries(cluster.serviceUrls)
    .map(([name, urls]) => `  ${name.padEnd(12)} ${urls.join(', ')}`)
    .join('\n');
  process.stdout.write(
    `\nOnly is running (distributed mode: a process per service, PostgreSQL, ${config.RABBITMQ_URL ? 'RabbitMQ' : 'Kafka'}${config.REDIS_URL ? ', Redis' : ''})\n` +
      `  API          ${cluster.url}/api/\n  API docs     ${cluster.url}/docs\n  Health       ${cluster.url}/health/ready\n${services}\nPress Ctrl-C to stop.\n\n`,
  );
}

/** `only bus setup`: declares every service's durable consumer queues and bindings on RabbitMQ. */
export async function busSetupCommand(): Promise<void> {
  const config = loadConfig('only bus setup', busCommandConfigSchema);
  if (config.RABBITMQ_URL === undefined)
    throw new Error('Queues are provisioned on RabbitMQ: set RABBITMQ_URL');
  await provisionConsumers(SERVICES, config.RABBITMQ_URL, config.BUS_NAMESPACE);
  process.stdout.write(
    `consumers provisioned: ${SERVICES.flatMap((s) => s.consumers.map((c) => c.consumer)).join(', ') || 'none'}\n`,
  );
}
