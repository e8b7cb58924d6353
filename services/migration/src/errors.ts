import { defineErrors } from '@only/platform/errors';

/** Errors of the migration service: `migration.<name>`, documented at `/problems/migration.<name>`. */
export const migrationErrors = defineErrors('migration', {
  run_not_found: {
    status: 404,
    title: 'Migration run not found',
    description: 'No run with this id in the tenant.',
  },
  reconciliation_not_found: {
    status: 404,
    title: 'Reconciliation run not found',
    description: 'No reconciliation run with this id in the tenant.',
  },
  run_not_running: {
    status: 409,
    title: 'The run is not running',
    description: 'Only a running run can be stopped; `currentStatus` tells how it ended.',
  },
  run_in_progress: {
    status: 409,
    title: 'Another migration run of the tenant is running',
    description:
      'A tenant runs one migration at a time (dry runs aside); `runId` names the running one. Wait for it, or stop it.',
  },
  too_many_runs: {
    status: 503,
    title: 'This migration process runs as many migrations as it may',
    description: 'See `MIGRATION_MAX_RUNS`; retry after `Retry-After` seconds.',
  },
  unknown_source: {
    status: 422,
    title: 'No such migration source',
    description:
      '`source` must name one of the sources this server is configured with (`MIGRATION_SOURCES`) that the tenant may use; `GET /sources` lists them.',
  },
  source_urls_disabled: {
    status: 422,
    title: 'This server takes named sources only',
    description:
      'Source URLs in requests are refused unless `MIGRATION_ALLOW_SOURCE_URLS` is on: name a configured `source` instead.',
  },
  mapping_files_disabled: {
    status: 422,
    title: 'This server has no mapping directory',
    description: 'Set `MIGRATION_MAPPINGS_DIR`, or send the mapping itself as `mapping`.',
  },
  unknown_mapping_file: {
    status: 422,
    title: 'No such mapping file',
    description: '`mappingFile` must name a `.yaml` or `.yml` file in the server’s mapping directory.',
  },
  invalid_mapping: {
    status: 422,
    title: 'The mapping is not valid',
    description:
      '`mappingErrors` lists every problem with its line, column and path in the mapping; nothing was started.',
  },
  source_unavailable: {
    status: 502,
    title: 'The legacy source could not be opened',
    description: 'Connecting to or reading the source failed before the run started; nothing was started.',
  },
});
