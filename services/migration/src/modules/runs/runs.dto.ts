import { pageQuerySchema, pageSchema } from '@only/platform/http';
import { idSchema } from '@only/platform/ids';
import { z } from 'zod';
import { parseSourceUrl } from '../connectors/index.ts';
import type { EntityCounts, RunStatus } from './runs.table.ts';

const MAPPING_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.ya?ml$/;

export const runIdParams = z.object({ id: idSchema('mrun') });

export const startRunBody = z
  .object({
    mapping: z
      .string()
      .min(1)
      .max(512 * 1024)
      .optional()
      .describe('The mapping itself (YAML, as in a mapping file). Give this or `mappingFile`.'),
    mappingFile: z
      .string()
      .regex(MAPPING_FILE, 'Must be the name of a .yaml or .yml file, without directories')
      .optional()
      .describe('Name of a mapping file in the server’s mapping directory (`MIGRATION_MAPPINGS_DIR`).'),
    mappingName: z
      .string()
      .regex(MAPPING_FILE, 'Must look like a file name ending in .yaml or .yml')
      .optional()
      .describe(
        'Name the run keeps for an inline `mapping` (default `mapping.yaml`); `resume` continues the last unfinished run of the same name.',
      ),
    source: z
      .string()
      .min(1)
      .max(63)
      .optional()
      .describe('Name of a source configured on the server (`GET /sources`). Give this or `sourceUrl`.'),
    sourceUrl: z
      .string()
      .min(1)
      .max(2_000)
      .optional()
      .describe(
        'A source URL with its credentials (`mysql://…`, `postgres://…`, `sqlite:…`, `csv:…`); only where the server allows it (`MIGRATION_ALLOW_SOURCE_URLS`).',
      ),
    dryRun: z
      .boolean()
      .default(false)
      .describe(
        'Extract, transform and validate only: nothing is written, and the run is kept in this process’s memory only (not listed).',
      ),
    resume: z
      .boolean()
      .default(false)
      .describe(
        'Continue the tenant’s last unfinished run of this mapping from its checkpoints (a new run when there is none).',
      ),
    batchSize: z
      .number()
      .int()
      .min(1)
      .max(50_000)
      .optional()
      .describe('Rows per batch, instead of the mapping’s.'),
  })
  .strict()
  .superRefine((body, ctx) => {
    if ((body.mapping === undefined) === (body.mappingFile === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['mapping'],
        message: 'Give exactly one of mapping and mappingFile',
        params: { rule: 'exactly_one' },
      });
    }
    if (body.mappingName !== undefined && body.mapping === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['mappingName'],
        message: 'Only an inline mapping takes a name; a mapping file is named by its file',
        params: { rule: 'only_with_mapping' },
      });
    }
    if ((body.source === undefined) === (body.sourceUrl === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['source'],
        message: 'Give exactly one of source and sourceUrl',
        params: { rule: 'exactly_one' },
      });
    }
    if (body.sourceUrl !== undefined) {
      try {
        parseSourceUrl(body.sourceUrl);
      } catch (error) {
        // The connector's messages never contain the password.
        ctx.addIssue({
          code: 'custom',
          path: ['sourceUrl'],
          message: error instanceof Error ? error.message : 'Not a source URL',
          params: { rule: 'source_url' },
        });
      }
    }
    if (body.dryRun && body.resume) {
      ctx.addIssue({
        code: 'custom',
        path: ['resume'],
        message: 'A dry run stores nothing, so there is nothing to resume',
        params: { rule: 'not_with_dry_run' },
      });
    }
  })
  .meta({ id: 'StartMigrationRun' });
export type StartRunInput = z.output<typeof startRunBody>;

export const runStatuses = ['running', 'completed', 'failed'] as const satisfies readonly RunStatus[];

export const listRunsQuery = pageQuerySchema.extend({
  status: z.enum(runStatuses).optional().describe('Only runs in this status.'),
});
export type ListRunsQuery = z.output<typeof listRunsQuery>;

export const entityCountsSchema = z
  .object({
    read: z.number().int(),
    loaded: z.number().int(),
    quarantined: z.number().int(),
    skipped: z.number().int().describe('Accepted rows identical to what was stored already.'),
  })
  .meta({ id: 'MigrationEntityCounts' });

export const runSchema = z
  .object({
    id: z.string(),
    status: z
      .enum(runStatuses)
      .describe(
        '`failed` also for a stopped run (its `error` says who stopped it); a failed run can be resumed.',
      ),
    dryRun: z.boolean(),
    mappingName: z.string(),
    mappingHash: z.string().describe('SHA-256 of the mapping text the run (last) ran with.'),
    source: z.string().describe('The source URL without its password.'),
    counts: z
      .record(z.string(), entityCountsSchema)
      .describe('Per entity of the mapping, as far as the run got (entities not started are absent).'),
    totals: entityCountsSchema,
    error: z.string().nullable(),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
    durationMs: z.number().int().nullable().describe('Null while running.'),
  })
  .meta({ id: 'MigrationRun' });
export type Run = z.output<typeof runSchema>;

export const runPageSchema = pageSchema(runSchema).meta({ id: 'MigrationRunPage' });

export const sourceListSchema = z
  .object({
    items: z.array(
      z.object({
        name: z.string(),
        kind: z.enum(['mysql', 'postgres', 'sqlite', 'mssql', 'oracle', 'csv']),
        description: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'MigrationSourceList' });

/** A run as the service knows it: from the database, or from memory for a dry run. */
export interface RunSnapshot {
  readonly id: string;
  readonly tenantId: string;
  readonly status: RunStatus;
  readonly dryRun: boolean;
  readonly mappingName: string;
  readonly mappingHash: string;
  readonly sourceUrl: string;
  readonly counts: Readonly<Record<string, EntityCounts>>;
  readonly error: string | null;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
}

export function toRun(run: RunSnapshot): Run {
  const totals = { read: 0, loaded: 0, quarantined: 0, skipped: 0 };
  for (const counts of Object.values(run.counts)) {
    totals.read += counts.read;
    totals.loaded += counts.loaded;
    totals.quarantined += counts.quarantined;
    totals.skipped += counts.skipped;
  }
  return {
    id: run.id,
    status: run.status,
    dryRun: run.dryRun,
    mappingName: run.mappingName,
    mappingHash: run.mappingHash,
    source: run.sourceUrl,
    counts: { ...run.counts },
    totals,
    error: run.error,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    durationMs: run.finishedAt === null ? null : run.finishedAt.getTime() - run.startedAt.getTime(),
  };
}
