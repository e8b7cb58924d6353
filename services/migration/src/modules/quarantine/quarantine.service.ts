import type { RequestContext } from '@only/platform/context';
import { decodeCursor, toPage } from '@only/platform/http';
import { z } from 'zod';
import { decodeLegacyKey } from '../mapping/index.ts';
import type { RunsService } from '../runs/runs.service.ts';
import type { QuarantineRow } from '../runs/runs.table.ts';
import type { ListQuarantineQuery, QuarantinedRow } from './quarantine.dto.ts';
import type { QuarantineRepository } from './quarantine.repository.ts';
import { maskSecretValues } from './mask-values.ts';

const cursorSchema = z.object({ id: z.string() });

type SourceValue = string | number | boolean | null;

function toQuarantinedRow(row: QuarantineRow): QuarantinedRow {
  return {
    id: row.id,
    runId: row.runId,
    entity: row.entity,
    sourceKey: row.legacyKey === null ? null : decodeLegacyKey(row.legacyKey),
    reasons: row.errors.map((e) => ({
      field: e.field,
      rule: e.rule,
      message: e.message,
      ...(e.columns === undefined ? {} : { columns: [...e.columns] }),
    })),
    values: maskSecretValues(row.sourceRow as Record<string, SourceValue>),
    quarantinedAt: row.quarantinedAt.toISOString(),
  };
}

/** The rows runs rejected, with their reasons, to be fixed at the source (or in the mapping). */
export class QuarantineService {
  private readonly repository: QuarantineRepository;
  private readonly runs: RunsService;

  constructor(deps: { repository: QuarantineRepository; runs: RunsService }) {
    this.repository = deps.repository;
    this.runs = deps.runs;
  }

  /** A page of quarantined rows; a run of another tenant (or none) is a 404. */
  async list(
    ctx: RequestContext,
    query: ListQuarantineQuery,
  ): Promise<{ items: QuarantinedRow[]; nextCursor: string | null }> {
    if (query.runId !== undefined) await this.runs.snapshot(ctx, query.runId);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema).id;
    const rows = await this.repository.list(
      ctx.tenantId,
      {
        ...(query.runId === undefined ? {} : { runId: query.runId }),
        ...(query.entity === undefined ? {} : { entity: query.entity }),
      },
      { limit: query.limit, ...(after === undefined ? {} : { afterId: after }) },
    );
    return toPage(rows, query.limit, toQuarantinedRow, (row) => ({ id: row.id }));
  }
}
