import { DEMO_TENANTS } from '@only/identity';
import { InMemoryBus } from '@only/platform/bus';
import { loadConfig } from '@only/platform/config';
import { openDatabase, type DatabaseHandle } from '@only/platform/db';
import { createLogger, redactUrl, type Logger } from '@only/platform/log';
import { databaseCommandConfigSchema } from '../cli-config.ts';
import { seedDemo } from '../embedded.ts';
import { SERVICES } from '../service-registry.ts';

async function withDatabase<T>(
  flags: { databaseUrl?: string; dataDir?: string },
  work: (database: DatabaseHandle, logger: Logger) => Promise<T>,
): Promise<T> {
  const config = loadConfig('only db', databaseCommandConfigSchema);
  const url = flags.databaseUrl ?? config.DATABASE_URL ?? `pglite:${flags.dataDir ?? './data'}/pglite`;
  const logger = createLogger({ service: 'only', level: config.LOG_LEVEL });
  logger.info({ database: url.startsWith('pglite:') ? url : redactUrl(url) }, 'opening database');
  const database = await openDatabase({ url, poolSize: 2, applicationName: 'only-cli' });
  try {
    return await work(database, logger);
  } finally {
    await database.close();
  }
}

/** `only db migrate`: applies every service's pending migrations, in dependency order. */
export async function migrateCommand(flags: { databaseUrl?: string; dataDir?: string }): Promise<void> {
  await withDatabase(flags, async (database, logger) => {
    for (const service of SERVICES) {
      await database.migrate(service.migrations);
      logger.info({ service: service.name, schema: service.migrations.schema }, 'migrations applied');
    }
  });
}

/** `only seed`: creates the demo data through the services (events go to the outbox). */
export async function seedCommand(flags: {
  databaseUrl?: string;
  dataDir?: string;
  issuer?: string;
  /** Seed only these services (e.g. `identity` for tenants and users without demo orders). */
  services?: readonly string[];
}): Promise<void> {
  await withDatabase(flags, async (database, logger) => {
    const bus = new InMemoryBus({ logger });
    const host = { issuer: flags.issuer ?? 'http://localhost:8080/api/identity' };
    const modules = SERVICES.filter((service) => flags.services?.includes(service.name) ?? true).map(
      (service) => service.create({ db: database.db, pingDatabase: database.ping, bus, logger }, host),
    );
    await seedDemo(modules);
    logger.info({ tenants: DEMO_TENANTS.map((t) => t.slug) }, 'demo data created');
    await bus.close();
  });
}
