// The `only` command line: start the platform, migrate databases, seed demo data.
import { ConfigError } from '@only/platform/config';
import { Command } from 'commander';
import { configCommand } from './commands/config-docs.ts';
import { migrateCommand, seedCommand } from './commands/database.ts';
import { busSetupCommand, startDistributedCommand } from './commands/cluster.ts';
import { dlqListCommand, dlqRedriveCommand, dlqShowCommand } from './commands/dlq.ts';
import { replayCommand } from './commands/events.ts';
import { migrateLegacyCommand } from './commands/migrate.ts';
import { reconcileCommand, RECONCILE_EXIT } from './commands/reconcile.ts';
import { startCommand, type StartFlags } from './commands/start.ts';
import { syncCommand, SYNC_EXIT } from './commands/sync.ts';

const program = new Command()
  .name('only')
  .description('Only: order management, and the toolkit to migrate onto it from a legacy system.')
  .showHelpAfterError();

program
  .command('start')
  .description('Start the whole platform in this process (embedded mode: PGlite, in-process bus).')
  .option('--data-dir <dir>', 'where data is kept (env DATA_DIR, default ./data; "memory" keeps nothing)')
  .option('--port <port>', 'gateway port (env GATEWAY_PORT, default 8080)')
  .option('--host <host>', 'interface to listen on (env HOST, default 127.0.0.1)')
  .option('--no-seed', 'do not create demo data on the first start')
  .option(
    '--distributed',
    'every service as its own process (needs DATABASE_URL and RABBITMQ_URL or KAFKA_BROKERS)',
  )
  .option('--replicas <list>', 'with --distributed: processes per service, e.g. orders=2')
  .action((flags: StartFlags & { distributed?: boolean; replicas?: string }) =>
    flags.distributed ? startDistributedCommand(flags) : startCommand(flags),
  );

const db = program.command('db').description('Database commands.');
db.command('migrate')
  .description('Apply pending migrations of every service (DATABASE_URL, or the embedded data dir).')
  .option('--database-url <url>', 'postgres://… or pglite:<dir> (env DATABASE_URL)')
  .option('--data-dir <dir>', 'embedded data dir when no URL is given (default ./data)')
  .action(migrateCommand);

program
  .command('seed')
  .description('Create the demo tenants, their users (one per role), customers and orders.')
  .option('--database-url <url>', 'postgres://… or pglite:<dir> (env DATABASE_URL)')
  .option('--data-dir <dir>', 'embedded data dir when no URL is given (default ./data)')
  .option(
    '--issuer <url>',
    'issuer of access tokens, for the demo web client (default http://localhost:8080/api/identity)',
  )
  .action(seedCommand);

program
  .command('migrate')
  .description('Bulk-load a legacy database into Only by a mapping file (resumable, idempotent).')
  .requiredOption('--mapping <file>', 'mapping file (YAML)')
  .requiredOption(
    '--source <url>',
    'legacy database: mysql://, postgres://, sqlite:, mssql://, oracle://, csv:',
  )
  .option('--tenant <id|slug>', "tenant to load into (default: the mapping's tenant)")
  .option('--dry-run', 'extract, transform and validate only; write nothing')
  .option('--resume', 'continue the last unfinished run from its checkpoints')
  .option('--batch-size <n>', "rows per batch (default: the mapping's)")
  .option('--database-url <url>', 'postgres://… or pglite:<dir> (env DATABASE_URL)')
  .option('--data-dir <dir>', 'embedded data dir when no URL is given (default ./data)')
  .action(migrateLegacyCommand);

program
  .command('reconcile')
  .description(
    'Compare a legacy database, through the mapping, with Only: counts, sums, checksums, field diffs. Exit 0: none differ, 1: discrepancies, 2: usage error, 3: failed.',
  )
  .requiredOption('--mapping <file>', 'mapping file (YAML)')
  .requiredOption(
    '--source <url>',
    'legacy database: mysql://, postgres://, sqlite:, mssql://, oracle://, csv:',
  )
  .option('--tenant <id|slug>', "tenant to compare with (default: the mapping's tenant)")
  .option('--entity <name...>', 'only these entities (repeat or comma-separate; default: all)')
  .option('--report-dir <dir>', 'where the reports are written', 'reconcile-reports')
  .option('--format <list>', 'report formats: json, csv, html (comma-separated)', 'json,csv,html')
  .option('--batch-size <n>', "rows per source page (default: the mapping's batch size)")
  .option('--database-url <url>', 'postgres://… or pglite:<dir> (env DATABASE_URL)')
  .option('--data-dir <dir>', 'embedded data dir when no URL is given (default ./data)')
  // Usage errors (a missing or unknown option) exit 2: 1 means "discrepancies found".
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : RECONCILE_EXIT.usage))
  .action(reconcileCommand);

program
  .command('sync')
  .description(
    'Bring Only up to date with a legacy database by the mapping: changed rows by watermark, the rest by diff; conflicts by policy. Exit 0: synced, 2: usage error, 3: failed.',
  )
  .requiredOption('--mapping <file>', 'mapping file (YAML)')
  .requiredOption(
    '--source <url>',
    'legacy database: mysql://, postgres://, sqlite:, mssql://, oracle://, csv:',
  )
  .option('--tenant <id|slug>', "tenant to sync (default: the mapping's tenant)")
  .option('--entity <name...>', 'only these entities (repeat or comma-separate; default: all)')
  .option('--once', 'sync once and exit (the default)')
  .option('--every <duration>', 'sync continuously: again this long after each sync ends (30s, 5m, 1h)')
  .option('--batch-size <n>', "rows per batch (default: the mapping's)")
  .option('--database-url <url>', 'postgres://… or pglite:<dir> (env DATABASE_URL)')
  .option('--data-dir <dir>', 'embedded data dir when no URL is given (default ./data)')
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : SYNC_EXIT.usage))
  .action(syncCommand);

const events = program.command('events').description("The event log (the services' outboxes).");
events
  .command('replay')
  .description('Re-publish events of a type pattern since a time (consumers dedupe by event id).')
  .requiredOption('--type <pattern>', 'event type or pattern: orders.order.placed, orders.#')
  .requiredOption('--since <time>', 'ISO 8601 time, e.g. 2026-11-01T00:00:00Z')
  .option('--until <time>', 'ISO 8601 time (exclusive)')
  .option('--service <name>', 'only the outbox of this service')
  .option('--database-url <url>', 'postgres://… (env DATABASE_URL)')
  .option('--dry-run', 'count, do not publish')
  .action(replayCommand);

const dlq = program.command('dlq').description('Messages parked after failing every retry (RabbitMQ).');
dlq
  .command('list')
  .description('List the parked messages of a consumer.')
  .requiredOption('--consumer <name>', 'consuming service, e.g. reporting')
  .option('--limit <n>', 'at most this many', '50')
  .action(dlqListCommand);
dlq
  .command('show')
  .description('Show one parked message in full.')
  .requiredOption('--consumer <name>', 'consuming service')
  .requiredOption('--id <eventId>', 'event id')
  .action(dlqShowCommand);
dlq
  .command('redrive')
  .description('Send parked messages back to their consumer for another round of attempts.')
  .requiredOption('--consumer <name>', 'consuming service')
  .option('--id <eventId...>', 'only these events (default: all)')
  .action(dlqRedriveCommand);

program
  .command('bus')
  .description('Event bus commands.')
  .command('setup')
  .description("Declare every service's durable queues and bindings on RabbitMQ (run before first start).")
  .action(busSetupCommand);

program
  .command('config')
  .description('Print every configuration variable with its default and meaning (Markdown).')
  .action(configCommand);

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
