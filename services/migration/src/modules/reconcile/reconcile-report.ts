// Reports of a stored run: JSON (the run and every discrepancy, as the API returns them), CSV (one
// line per discrepancy) and one self-contained HTML page (summary per entity, then the
// discrepancies with their field differences). Written by streaming the stored discrepancies page
// by page, so a large run never sits in memory; every value in the HTML is escaped.
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from '@only/platform/db';
import { stringify } from 'csv-stringify/sync';
import {
  allDiscrepancies,
  findReconcileRun,
  type Discrepancy,
  type ReconcileRun,
} from './reconcile.repository.ts';
import { ReconcileUsageError, discrepancyTotal } from './reconcile-run.ts';
import { DISCREPANCY_KINDS, type DiffValue, type EntityReconciliation } from './reconcile.table.ts';

export const REPORT_FORMATS = ['json', 'csv', 'html'] as const;
/** A report file format. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** `json,csv,html` → the formats; a usage error names an unknown one. */
export function parseReportFormats(text: string): ReportFormat[] {
  const formats = text
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '');
  const unknown = formats.filter((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (unknown.length > 0 || formats.length === 0) {
    throw new ReconcileUsageError(
      `--format takes ${REPORT_FORMATS.join(', ')} (comma-separated)${unknown.length > 0 ? `, not ${unknown.join(', ')}` : ''}`,
    );
  }
  return [...new Set(formats as ReportFormat[])];
}

/** Writes text in chunks of about 64 KiB. */
class ChunkedWriter {
  private buffer = '';
  private readonly sink: (text: string) => Promise<void>;

  constructor(sink: (text: string) => Promise<void>) {
    this.sink = sink;
  }

  async write(text: string): Promise<void> {
    this.buffer += text;
    if (this.buffer.length >= 65_536) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer === '') return;
    const text = this.buffer;
    this.buffer = '';
    await this.sink(text);
  }
}

/** JSON: `{ "run": …, "discrepancies": [ … ] }`, one discrepancy a line. */
async function writeJson(out: ChunkedWriter, run: ReconcileRun, items: AsyncIterable<Discrepancy>) {
  await out.write(`{\n"run": ${JSON.stringify(run, null, 2)},\n"discrepancies": [`);
  let first = true;
  for await (const item of items) {
    await out.write(`${first ? '\n' : ',\n'}${JSON.stringify(item)}`);
    first = false;
  }
  await out.write(`${first ? '' : '\n'}]\n}\n`);
}

/** Columns of the CSV report. */
export const CSV_COLUMNS = [
  'run_id',
  'entity',
  'kind',
  'legacy_key',
  'only_id',
  'fields',
  'legacy_values',
  'only_values',
  'errors',
] as const;

/** One CSV line (with its line break) of a discrepancy; values as JSON objects by field. */
export function csvLine(item: Discrepancy): string {
  const values = (side: 'legacy' | 'only') =>
    item.fields.length === 0
      ? ''
      : JSON.stringify(Object.fromEntries(item.fields.map((f) => [f.field, f[side]])));
  return stringify([
    [
      item.runId,
      item.entity,
      item.kind,
      item.legacyKey ?? '',
      item.onlyId ?? '',
      item.kind === 'changed' ? item.fields.map((f) => f.field).join(';') : '',
      values('legacy'),
      values('only'),
      (item.errors ?? []).map((e) => `${e.field}: ${e.rule} (${e.message})`).join('; '),
    ],
  ]);
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const h = (value: string | number | boolean | null | undefined): string =>
  escapeHtml(value === null || value === undefined ? '' : String(value));

function cell(value: DiffValue): string {
  return value === null ? '<span class="null">null</span>' : h(value);
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d2530;max-width:1200px}
h1{font-size:1.4rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #d5dbe3;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f5f8}td.n{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#16723a;font-weight:600}.bad{color:#b3261e;font-weight:600}.muted,.null{color:#7a8694}
.kind{font-weight:600}.missing{color:#b3261e}.extra{color:#8a4b00}.changed{color:#1f4fa8}.quarantined{color:#7a8694}
code{font-family:ui-monospace,monospace;font-size:.92em}table.diff{margin:0}table.diff td,table.diff th{border-color:#e3e7ec}
`;

/** The head of the page: run facts and the summary per entity. */
export function htmlSummary(run: ReconcileRun): string {
  const total = discrepancyTotal(run.counts);
  const verdict =
    run.status !== 'completed'
      ? `<span class="bad">${h(run.status)}${run.error === null ? '' : `: ${h(run.error)}`}</span>`
      : total === 0
        ? '<span class="ok">No discrepancies</span>'
        : `<span class="bad">${h(total)} discrepanc${total === 1 ? 'y' : 'ies'}</span>`;
  const facts: [string, string][] = [
    ['Run', `<code>${h(run.id)}</code> (${h(run.trigger)})`],
    ['Tenant', `<code>${h(run.tenantId)}</code>`],
    ['Mapping', `${h(run.mappingName)} <span class="muted">sha256 ${h(run.mappingHash.slice(0, 12))}</span>`],
    ['Source', `<code>${h(run.sourceUrl)}</code>`],
    ['Started', h(run.startedAt)],
    ['Finished', h(run.finishedAt ?? '—')],
  ];
  const rows = run.entities.map((e) => entityRow(e)).join('\n');
  return `<h1>Reconciliation report</h1>
<p>${verdict} · missing ${h(run.counts.missing)} · extra ${h(run.counts.extra)} · changed ${h(run.counts.changed)} · quarantined ${h(run.counts.quarantined)} (not counted)</p>
<table>${facts.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>
<h2>Entities</h2>
<table>
<tr><th>Entity</th><th>Target</th><th>Legacy rows</th><th>Only rows</th><th>Only native</th><th>Compared</th><th>Matched</th><th>Missing</th><th>Extra</th><th>Changed</th><th>Quarantined</th><th>Sums (legacy / Only, minor units)</th></tr>
${rows}
</table>`;
}

function entityRow(e: EntityReconciliation): string {
  if (e.status === 'pending') {
    return `<tr><td>${h(e.entity)}</td><td>${h(e.target)}</td><td colspan="10" class="muted">not compared: ${h(e.reason ?? 'pending')}</td></tr>`;
  }
  const sums = Object.keys(e.legacy.sums)
    .map((field) => {
      const legacy = e.legacy.sums[field] ?? null;
      const only = e.only.sums[field] ?? null;
      return `${h(field)}: ${h(legacy ?? '—')} / ${h(only ?? '—')}`;
    })
    .join('<br>');
  const n = (value: number, flag = false) =>
    `<td class="n${flag && value > 0 ? ' bad' : ''}">${h(value)}</td>`;
  return `<tr><td>${h(e.entity)}</td><td><code>${h(e.target)}</code></td>${n(e.legacy.rows)}${n(e.only.rows)}${n(e.only.native)}${n(e.compared)}${n(e.matched)}${n(e.counts.missing, true)}${n(e.counts.extra, true)}${n(e.counts.changed, true)}${n(e.counts.quarantined)}<td>${sums}</td></tr>`;
}

/** One discrepancy as a table row: kind, keys, then its field differences or errors. */
export function htmlDiscrepancy(item: Discrepancy): string {
  const shown =
    item.kind === 'changed' ? item.fields : item.fields.filter((f) => f.legacy !== null || f.only !== null);
  const diff =
    shown.length === 0
      ? ''
      : `<table class="diff"><tr><th>Field</th><th>Legacy (mapped)</th><th>Only</th></tr>${shown
          .map((f) => `<tr><td>${h(f.field)}</td><td>${cell(f.legacy)}</td><td>${cell(f.only)}</td></tr>`)
          .join('')}</table>`;
  const errors =
    item.errors === null || item.errors.length === 0
      ? ''
      : `<ul>${item.errors.map((e) => `<li><code>${h(e.field)}</code> ${h(e.rule)}: ${h(e.message)}</li>`).join('')}</ul>`;
  return `<tr><td class="kind ${h(item.kind)}">${h(item.kind)}</td><td><code>${h(item.legacyKey ?? '—')}</code></td><td><code>${h(item.onlyId ?? '—')}</code></td><td>${diff}${errors}</td></tr>`;
}

async function writeHtml(
  out: ChunkedWriter,
  run: ReconcileRun,
  perEntity: (entity: string) => AsyncIterable<Discrepancy>,
  limit: number,
) {
  await out.write(
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
      `<title>Reconciliation ${h(run.id)}</title><style>${STYLE}</style></head><body>\n${htmlSummary(run)}\n`,
  );
  let written = 0;
  for (const entity of run.entities) {
    const found = DISCREPANCY_KINDS.reduce((n, kind) => n + entity.counts[kind], 0);
    if (found === 0) continue;
    await out.write(
      `<h2>${h(entity.entity)}</h2>\n<table>\n<tr><th>Kind</th><th>Legacy key</th><th>Only id</th><th>Details</th></tr>\n`,
    );
    for await (const item of perEntity(entity.entity)) {
      if (written >= limit) break;
      await out.write(`${htmlDiscrepancy(item)}\n`);
      written++;
    }
    await out.write('</table>\n');
    if (written >= limit) {
      await out.write(
        `<p class="muted">The page shows the first ${h(limit)} discrepancies; the CSV and JSON reports list all of them.</p>\n`,
      );
      break;
    }
  }
  await out.write('</body></html>\n');
}

/** Options of {@link writeReconcileReports}. */
/** What {@link renderReconcileReport} renders. */
export interface RenderReportOptions {
  readonly db: Database;
  readonly run: ReconcileRun;
  readonly format: ReportFormat;
  /** Discrepancies shown on the HTML page at most (default 10 000). */
  readonly htmlLimit?: number;
}

/** Renders one report of a stored run, handing it to `sink` in chunks of about 64 KiB. */
export async function renderReconcileReport(
  options: RenderReportOptions,
  sink: (text: string) => Promise<void>,
): Promise<void> {
  const { db, run } = options;
  const out = new ChunkedWriter(sink);
  const all = (entity?: string) =>
    allDiscrepancies(db, run.tenantId, run.id, entity === undefined ? {} : { entity });
  switch (options.format) {
    case 'json':
      await writeJson(out, run, all());
      break;
    case 'csv':
      await out.write(stringify([[...CSV_COLUMNS]]));
      for await (const item of all()) await out.write(csvLine(item));
      break;
    case 'html':
      await writeHtml(out, run, all, options.htmlLimit ?? 10_000);
      break;
  }
  await out.flush();
}

/** Media type of each report format. */
export const REPORT_MEDIA_TYPES: Readonly<Record<ReportFormat, string>> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

export interface WriteReportsOptions {
  readonly db: Database;
  readonly tenantId: string;
  readonly runId: string;
  /** Created when missing. */
  readonly dir: string;
  readonly formats: readonly ReportFormat[];
  /** Discrepancies shown on the HTML page at most (default 10 000). */
  readonly htmlLimit?: number;
}

/** Writes `reconcile-<run id>.<format>` files of a stored run; returns their paths by format. */
export async function writeReconcileReports(
  options: WriteReportsOptions,
): Promise<Partial<Record<ReportFormat, string>>> {
  const { db, tenantId, runId } = options;
  const run = await findReconcileRun(db, tenantId, runId);
  if (run === undefined) throw new Error(`no reconciliation run ${runId} for tenant ${tenantId}`);
  await mkdir(options.dir, { recursive: true });
  const paths: Partial<Record<ReportFormat, string>> = {};
  for (const format of options.formats) {
    const path = join(options.dir, `reconcile-${runId}.${format}`);
    const file = await open(path, 'w');
    try {
      await renderReconcileReport(
        { db, run, format, ...(options.htmlLimit === undefined ? {} : { htmlLimit: options.htmlLimit }) },
        async (text) => {
          await file.write(text);
        },
      );
    } finally {
      await file.close();
    }
    paths[format] = path;
  }
  return paths;
}
