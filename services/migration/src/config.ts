import { flag, port, positiveInt } from '@only/platform/config';
import { serviceProcessConfigSchema } from '@only/platform/service';
import { z } from 'zod';
import type { MigrationSettings } from './migration-module.ts';
import { parseSourceUrl } from './modules/connectors/index.ts';
import {
  reconcileScheduleConfigSchema,
  reconcileScheduleFrom,
} from './modules/reconcile/reconcile-schedule.ts';
import type { NamedSource } from './modules/runs/source-catalog.ts';

const SOURCE_NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/i;

const sourceEntry = z.union([
  z.string().min(1),
  z
    .object({
      url: z.string().min(1),
      tenants: z.array(z.string().min(1)).min(1).optional(),
      description: z.string().max(200).optional(),
    })
    .strict(),
]);

/**
 * `MIGRATION_SOURCES`: JSON, name → URL or `{ url, tenants, description }`. Every URL is parsed
 * at boot; problems name the source, never its password.
 */
const sources = z
  .string()
  .optional()
  .transform((text, ctx): NamedSource[] => {
    if (text === undefined) return [];
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON: {"<name>": "<source URL>", …}' });
      return z.NEVER;
    }
    const parsed = z.record(z.string(), sourceEntry).safeParse(json);
    if (!parsed.success) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be a JSON object of name → source URL or {"url": …, "tenants": [id or slug, …], "description": …}',
      });
      return z.NEVER;
    }
    const out: NamedSource[] = [];
    for (const [name, entry] of Object.entries(parsed.data)) {
      const url = typeof entry === 'string' ? entry : entry.url;
      if (!SOURCE_NAME.test(name)) {
        ctx.addIssue({
          code: 'custom',
          message: `source name "${name}" must be letters, digits, ".", "_" or "-" (at most 63)`,
        });
        continue;
      }
      try {
        parseSourceUrl(url);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        ctx.addIssue({ code: 'custom', message: `source "${name}": ${reason}` });
        continue;
      }
      out.push({
        name,
        url,
        ...(typeof entry === 'string' || entry.tenants === undefined ? {} : { tenants: entry.tenants }),
        ...(typeof entry === 'string' || entry.description === undefined
          ? {}
          : { description: entry.description }),
      });
    }
    return out;
  })
  .meta({
    description:
      'Legacy sources runs started through the API may read, as JSON: `{"<name>": "<source URL>"}` or `{"<name>": {"url": …, "tenants": ["acme"]}}` to allow only those tenants (ids or slugs). Clients name a source; its credentials stay here.',
    secret: true,
  });

/** The migration variables embedded mode reads as well (everything but the port). */
export const migrationRunsConfigSchema = z.object({
  MIGRATION_SOURCES: sources,
  MIGRATION_MAPPINGS_DIR: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Directory of mapping files runs may name (`mappingFile`); without it, clients send the mapping itself.',
    ),
  MIGRATION_ALLOW_SOURCE_URLS: flag(
    false,
    'Let clients send a source URL (with its credentials) instead of naming a configured source; for trusted set-ups only — sqlite: and csv: URLs read files of this server.',
  ),
  MIGRATION_MAX_RUNS: positiveInt(2, 'Migration runs (dry runs included) one process executes at a time.'),
  MIGRATION_STREAM_HEARTBEAT_MS: positiveInt(
    5_000,
    'Interval of the keep-alive comments on run event streams; keep it below the gateway’s `UPSTREAM_TIMEOUT_MS`.',
  ),
  ...reconcileScheduleConfigSchema.shape,
});

/** Configuration of the migration service when it runs as its own process. */
export const migrationConfigSchema = serviceProcessConfigSchema.extend({
  MIGRATION_PORT: port(3000, 'Port the migration service listens on (distributed mode).'),
  ...migrationRunsConfigSchema.shape,
});

export type MigrationConfig = z.output<typeof migrationConfigSchema>;

/** The module settings a configuration gives. */
export function migrationSettingsFrom(config: z.output<typeof migrationRunsConfigSchema>): MigrationSettings {
  return {
    sources: config.MIGRATION_SOURCES,
    ...(config.MIGRATION_MAPPINGS_DIR === undefined ? {} : { mappingsDir: config.MIGRATION_MAPPINGS_DIR }),
    allowSourceUrls: config.MIGRATION_ALLOW_SOURCE_URLS,
    maxRuns: config.MIGRATION_MAX_RUNS,
    streamHeartbeatMs: config.MIGRATION_STREAM_HEARTBEAT_MS,
    reconcileSchedule: reconcileScheduleFrom(config),
  };
}
