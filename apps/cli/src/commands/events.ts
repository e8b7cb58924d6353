import { compileTopicPattern, createBus } from '@only/platform/bus';
import { loadConfig } from '@only/platform/config';
import { openDatabase, platformTables } from '@only/platform/db';
import { createLogger } from '@only/platform/log';
import { and, asc, gt, gte, isNotNull, lt } from 'drizzle-orm';
import { pgSchema } from 'drizzle-orm/pg-core';
import { busCommandConfigSchema } from '../cli-config.ts';
import { SERVICES } from '../service-registry.ts';

/** Flags of `only events replay`. */
export interface ReplayFlags {
  readonly type: string;
  readonly since: string;
  readonly until?: string;
  readonly service?: string;
  readonly databaseUrl?: string;
  readonly dryRun?: boolean;
}

const BATCH = 500;

function parseTime(value: string, flag: string): Date {
  const time = new Date(value);
  if (Number.isNaN(time.getTime()))
    throw new Error(`${flag} must be an ISO 8601 time, e.g. 2026-11-01T00:00:00Z`);
  return time;
}

/**
 * `only events replay`: re-publishes events from the services' outboxes — the event log kept for
 * the retention window — matching a type pattern and a time window, oldest first, each with the
 * header `x-replayed: true`. Consumers dedupe by event id, so a consumer that already handled an
 * event is not affected; replay feeds new consumers or ones whose read models were reset.
 */
export async function replayCommand(flags: ReplayFlags): Promise<void> {
  const config = loadConfig('only events', busCommandConfigSchema);
  const databaseUrl = flags.databaseUrl ?? config.DATABASE_URL;
  if (databaseUrl === undefined)
    throw new Error('Set DATABASE_URL (or --database-url): the event log is in the database');
  const since = parseTime(flags.since, '--since');
  const until = flags.until === undefined ? undefined : parseTime(flags.until, '--until');
  const matches = compileTopicPattern(flags.type);
  const services = SERVICES.filter((s) => flags.service === undefined || s.name === flags.service);
  if (services.length === 0) throw new Error(`No service ${flags.service ?? ''}`);

  const logger = createLogger({ service: 'only', level: config.LOG_LEVEL });
  const database = await openDatabase({ url: databaseUrl, poolSize: 2, applicationName: 'only-replay' });
  const bus = flags.dryRun
    ? undefined
    : await createBus({
        rabbitmqUrl: config.RABBITMQ_URL,
        kafkaBrokers: config.KAFKA_BROKERS,
        namespace: config.BUS_NAMESPACE,
        clientName: 'only-replay',
        logger,
      });
  try {
    for (const service of services) {
      const { outbox } = platformTables(pgSchema(service.migrations.schema));
      let replayed = 0;
      let afterId: string | undefined;
      for (;;) {
        const rows = await database.db
          .select({ id: outbox.id, type: outbox.type, envelope: outbox.envelope, headers: outbox.headers })
          .from(outbox)
          .where(
            and(
              isNotNull(outbox.publishedAt),
              gte(outbox.occurredAt, since),
              until === undefined ? undefined : lt(outbox.occurredAt, until),
              afterId === undefined ? undefined : gt(outbox.id, afterId),
            ),
          )
          .orderBy(asc(outbox.id))
          .limit(BATCH);
        for (const row of rows) {
          if (!matches(row.type)) continue;
          await bus?.publish(row.envelope, { ...row.headers, 'x-replayed': 'true' });
          replayed++;
        }
        afterId = rows.at(-1)?.id;
        if (rows.length < BATCH) break;
      }
      process.stdout.write(
        `${service.name}: ${String(replayed)} event(s) ${flags.dryRun ? 'would be replayed' : 'replayed'}\n`,
      );
    }
  } finally {
    await bus?.close();
    await database.close();
  }
}
