import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { RequestContext } from '@only/platform/context';
import { decodeCursor, toPage } from '@only/platform/http';
import { z } from 'zod';
import { migrationErrors } from '../../errors.ts';
import { prepareMapping, type PreparedMapping } from '../loader/migrate-command.ts';
import { formatPath, MappingCompileError, MappingFileError } from '../mapping/index.ts';
import { RunCapacityError, type LocalRun, type RunExecutor } from './run-executor.ts';
import { toRun, type ListRunsQuery, type Run, type RunSnapshot, type StartRunInput } from './runs.dto.ts';
import { snapshotOf, type RunsRepository } from './runs.repository.ts';
import { probeSource, SourceProbeError, type SourceCatalog, type SourceListing } from './source-catalog.ts';

const cursorSchema = z.object({ id: z.string() });

function notFound(id: string) {
  return migrationErrors.run_not_found(`No migration run ${id}`);
}

/** Who a stop names: the user or API client, as the token says. */
function actorName(ctx: RequestContext): string {
  return ctx.actor.id === null ? ctx.actor.type : `${ctx.actor.type} ${ctx.actor.id}`;
}

/** Options of {@link RunsService}. */
export interface RunsServiceOptions {
  readonly repository: RunsRepository;
  readonly executor: RunExecutor;
  readonly sources: SourceCatalog;
  readonly mappingsDir: string | undefined;
  readonly allowSourceUrls: boolean;
  /** How long a stop waits for the run to finish its batch before answering 202. */
  readonly stopWaitMs: number;
}

/**
 * Migration runs through the API: started from a mapping (inline or a file of the server's
 * mapping directory) and a named source, executed in the background of this process, watched,
 * stopped between batches, listed and read.
 */
export class RunsService {
  private readonly options: RunsServiceOptions;

  constructor(options: RunsServiceOptions) {
    this.options = options;
  }

  /**
   * Checks everything a client can get wrong (mapping, source, a run already running), then
   * starts the run; resolves once it is stored. Nothing is left behind when this throws.
   */
  async start(ctx: RequestContext, input: StartRunInput): Promise<Run> {
    const { executor, repository } = this.options;
    const mapping = await this.mapping(input);
    const sourceUrl = await this.sourceUrl(ctx, input);
    let slot;
    try {
      slot = executor.reserve(ctx.tenantId, input.dryRun);
    } catch (error) {
      if (!(error instanceof RunCapacityError)) throw error;
      if (error.reason === 'process_full') {
        throw migrationErrors.too_many_runs('Every run place of this process is taken; retry shortly.');
      }
      throw migrationErrors.run_in_progress('Another run of this tenant is starting.');
    }
    let run: LocalRun;
    try {
      if (!input.dryRun) {
        const running = await repository.findRunning(ctx.tenantId);
        if (running !== undefined) {
          throw migrationErrors.run_in_progress(`Run ${running.id} of this tenant is running.`, {
            runId: running.id,
          });
        }
      }
      await probeSource(sourceUrl).catch((error: unknown) => {
        if (error instanceof SourceProbeError) throw migrationErrors.source_unavailable(error.message);
        throw error;
      });
      run = await executor.launch(
        {
          tenantId: ctx.tenantId,
          mapping,
          sourceUrl,
          dryRun: input.dryRun,
          resume: input.resume,
          ...(input.batchSize === undefined ? {} : { batchSize: input.batchSize }),
        },
        slot,
      );
    } catch (error) {
      slot.release();
      throw error;
    }
    return toRun(await this.snapshot(ctx, run.id));
  }

  async get(ctx: RequestContext, id: string): Promise<Run> {
    return toRun(await this.snapshot(ctx, id));
  }

  /** The run as stored, or a dry run of this process; 404 for anything else (other tenants' runs too). */
  async snapshot(ctx: RequestContext, id: string): Promise<RunSnapshot> {
    const row = await this.options.repository.find(ctx.tenantId, id);
    if (row !== undefined) return snapshotOf(row);
    const local = this.options.executor.local(ctx.tenantId, id);
    if (local?.dryRun === true) return local.snapshot();
    throw notFound(id);
  }

  /** The run if this process executes it (live events come from it). */
  local(ctx: RequestContext, id: string): LocalRun | undefined {
    return this.options.executor.local(ctx.tenantId, id);
  }

  async list(
    ctx: RequestContext,
    query: ListRunsQuery,
  ): Promise<{ items: Run[]; nextCursor: string | null }> {
    const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema).id;
    const rows = await this.options.repository.list(ctx.tenantId, {
      limit: query.limit,
      ...(before === undefined ? {} : { beforeId: before }),
      ...(query.status === undefined ? {} : { status: query.status }),
    });
    return toPage(
      rows,
      query.limit,
      (row) => toRun(snapshotOf(row)),
      (row) => ({ id: row.id }),
    );
  }

  /**
   * Stops a running run before its next batch: it ends as `failed`, its error naming who stopped
   * it, its checkpoints kept for `resume`. A run executing in another process (or in none: one
   * whose process died) is marked so in the database, and its process stops at its next check.
   * `ended` is false when the run is still finishing its batch.
   */
  async stop(ctx: RequestContext, id: string): Promise<{ run: Run; ended: boolean }> {
    const current = await this.snapshot(ctx, id);
    if (current.status !== 'running') {
      throw migrationErrors.run_not_running(`Run ${id} is ${current.status}.`, {
        currentStatus: current.status,
      });
    }
    const reason = `Stopped by ${actorName(ctx)} at ${new Date().toISOString()}; resume it with "resume": true`;
    const local = this.options.executor.local(ctx.tenantId, id);
    if (local !== undefined) {
      const ended = await this.options.executor.stop(id, reason, this.options.stopWaitMs);
      return { run: await this.get(ctx, id), ended };
    }
    const row = await this.options.repository.markFailed(
      ctx.tenantId,
      id,
      `${reason} (marked in the database for the process running it)`,
    );
    if (row === undefined) {
      // It ended meanwhile.
      const now = await this.snapshot(ctx, id);
      throw migrationErrors.run_not_running(`Run ${id} is ${now.status}.`, { currentStatus: now.status });
    }
    return { run: toRun(snapshotOf(row)), ended: true };
  }

  /** The sources the tenant may name. */
  sources(ctx: RequestContext): Promise<SourceListing[]> {
    return this.options.sources.list(ctx.tenantId);
  }

  private async mapping(input: StartRunInput): Promise<PreparedMapping> {
    let text: string;
    let file: string;
    let field: 'mapping' | 'mappingFile';
    if (input.mapping !== undefined) {
      text = input.mapping;
      file = input.mappingName ?? 'mapping.yaml';
      field = 'mapping';
    } else {
      field = 'mappingFile';
      file = input.mappingFile ?? '';
      const dir = this.options.mappingsDir;
      if (dir === undefined) {
        throw migrationErrors.mapping_files_disabled('This server has no mapping directory.', { field });
      }
      try {
        // The name has no directories (see the body schema): it stays inside `dir`.
        text = await readFile(resolve(dir, file), 'utf8');
      } catch {
        throw migrationErrors.unknown_mapping_file(`No mapping file ${file}.`, { field });
      }
    }
    try {
      return prepareMapping(text, file);
    } catch (error) {
      if (error instanceof MappingFileError) {
        throw migrationErrors.invalid_mapping(error.message, {
          field,
          mappingErrors: error.errors.map((e) => ({
            line: e.line,
            column: e.column,
            path: e.path,
            message: e.message,
          })),
        });
      }
      if (error instanceof MappingCompileError) {
        throw migrationErrors.invalid_mapping(error.message, {
          field,
          mappingErrors: error.problems.map((p) => ({ path: formatPath(p.path), message: p.message })),
        });
      }
      throw error;
    }
  }

  private async sourceUrl(ctx: RequestContext, input: StartRunInput): Promise<string> {
    if (input.source !== undefined) {
      const source = await this.options.sources.find(ctx.tenantId, input.source);
      if (source === undefined) {
        throw migrationErrors.unknown_source(`No source "${input.source}" for this tenant.`, {
          field: 'source',
        });
      }
      return source.url;
    }
    if (!this.options.allowSourceUrls) {
      throw migrationErrors.source_urls_disabled('Name a configured source instead.', { field: 'sourceUrl' });
    }
    return input.sourceUrl ?? '';
  }
}
