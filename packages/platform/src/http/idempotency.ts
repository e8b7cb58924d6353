import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Database } from '../db/database.ts';
import type { PlatformTables } from '../db/platform-tables.ts';
import { executor, inTransaction } from '../db/transaction.ts';
import { platformErrors } from '../errors/platform-errors.ts';
import type { HttpApp } from './types.ts';

const KEY = /^[\x21-\x7e]{1,255}$/;

/** JSON with object keys sorted, so that equal bodies have equal fingerprints. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  // JSON.stringify gives undefined for undefined and functions; both are null in JSON arrays.
  const json = JSON.stringify(value) as string | undefined;
  return json ?? 'null';
}

/** The outcome of an idempotent execution: the response, and whether it is a replay. */
interface StoredResponse {
  readonly statusCode: number;
  readonly body: unknown;
  /** Response headers that belong to the outcome (e.g. `location`). */
  readonly headers: Record<string, string>;
  readonly replayed: boolean;
}

/** Headers replayed with a stored response: they describe the outcome, not the transport. */
const REPLAYED_HEADERS = ['location'];

/**
 * Stores the first response to each `Idempotency-Key` per tenant, in the same transaction as the
 * request's own changes. A concurrent request with the same key blocks on the key's row until
 * the first commits, then replays its response (PostgreSQL); on PGlite transactions run one at a
 * time, which gives the same result.
 */
export class IdempotencyStore {
  private readonly db: Database;
  private readonly table: PlatformTables['idempotencyKeys'];

  constructor(db: Database, table: PlatformTables['idempotencyKeys']) {
    this.db = db;
    this.table = table;
  }

  async execute(
    request: { tenantId: string; key: string; fingerprint: string; method: string; path: string },
    run: () => Promise<{ statusCode: number; body: unknown; headers: Record<string, string> }>,
  ): Promise<StoredResponse> {
    const t = this.table;
    return inTransaction(this.db, async () => {
      const q = executor(this.db);
      const claimed = await q
        .insert(t)
        .values({
          tenantId: request.tenantId,
          key: request.key,
          fingerprint: request.fingerprint,
          method: request.method,
          path: request.path,
        })
        .onConflictDoNothing()
        .returning({ key: t.key });
      if (claimed.length === 0) {
        const [first] = await q
          .select()
          .from(t)
          .where(and(eq(t.tenantId, request.tenantId), eq(t.key, request.key)));
        if (!first || first.statusCode === null) {
          throw platformErrors.conflict(
            'A request with this Idempotency-Key is still in progress; retry shortly.',
          );
        }
        if (first.fingerprint !== request.fingerprint) {
          throw platformErrors.idempotency_key_reused(
            `Idempotency-Key "${request.key}" was first used for ${first.method} ${first.path} with another body.`,
            { field: 'Idempotency-Key' },
          );
        }
        return {
          statusCode: first.statusCode,
          body: first.responseBody,
          headers: first.responseHeaders,
          replayed: true,
        };
      }
      const response = await run();
      await q
        .update(t)
        .set({
          statusCode: response.statusCode,
          responseBody: response.body,
          responseHeaders: response.headers,
        })
        .where(and(eq(t.tenantId, request.tenantId), eq(t.key, request.key)));
      return { ...response, replayed: false };
    });
  }
}

type Handler = (this: unknown, request: FastifyRequest, reply: FastifyReply) => unknown;

/**
 * Runs one request's `handler` under its `Idempotency-Key` (see {@link enableIdempotency}): without
 * a key it just runs; with one, the first response is stored with the handler's changes and
 * replayed for the same key and request. For routes that opt out of the automatic wrapping
 * (`config: { idempotent: false }`) but use it for some requests. `handler` must return the body.
 */
export async function runIdempotently(
  store: IdempotencyStore,
  request: FastifyRequest,
  reply: FastifyReply,
  handler: () => unknown,
): Promise<unknown> {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return handler();
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw platformErrors.idempotency_key_invalid(
      'Idempotency-Key must be 1 to 255 visible ASCII characters.',
      {
        field: 'Idempotency-Key',
      },
    );
  }
  const fingerprint = createHash('sha256')
    .update(`${request.method} ${request.url}\n${canonicalJson(request.body)}`)
    .digest('base64url');
  const outcome = await store.execute(
    { tenantId: request.ctx.tenantId, key, fingerprint, method: request.method, path: request.url },
    async () => {
      const body = await handler();
      if (reply.sent) throw new Error(`${request.url}: idempotent handlers must return their body`);
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const value = reply.getHeader(name);
        if (typeof value === 'string') headers[name] = value;
      }
      return { statusCode: reply.statusCode, body, headers };
    },
  );
  if (outcome.replayed) void reply.headers({ ...outcome.headers, 'idempotent-replayed': 'true' });
  void reply.code(outcome.statusCode);
  return outcome.body;
}

/**
 * Makes every POST route of `app` (the service's plugin scope) honour `Idempotency-Key`: same key
 * and same request replay the stored first response (`Idempotent-Replayed: true`); same key with
 * a different request is a 422. The handler and the stored response share one transaction, so a
 * failed request stores nothing and may be retried with the same key. Handlers of these routes
 * must return their body rather than call `reply.send`. Opt a route out with
 * `config: { idempotent: false }`. Must be called before the routes are added.
 */
export function enableIdempotency(app: HttpApp, store: IdempotencyStore): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('POST') || route.config?.idempotent === false) return;
    const handler = route.handler as Handler;
    route.handler = function idempotentHandler(request: FastifyRequest, reply: FastifyReply) {
      return runIdempotently(store, request, reply, () => handler.call(this, request, reply));
    };
  });
}
