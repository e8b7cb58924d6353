// One migration API per test file: the standalone app on a throw-away database (PGlite in memory,
// or a fresh PostgreSQL database when DATABASE_URL is set) holding the schemas runs load into,
// listening on 127.0.0.1 for the live event streams, with tokens from a test issuer.
import { catalogMigrations } from '@only/catalog';
import { ordersMigrations } from '@only/orders';
import { InMemoryBus } from '@only/platform/bus';
import { queryRows, type Database } from '@only/platform/db';
import type { HttpApp } from '@only/platform/http';
import { newId } from '@only/platform/ids';
import { createTestDatabase, silentLogger, SseClient, TestIssuer } from '@only/testing';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { buildApp } from '../../src/app.ts';
import { migrationMigrations } from '../../src/migrations.ts';
import type { MigrationModule, MigrationSettings } from '../../src/migration-module.ts';
import { quarantinePageSchema } from '../../src/modules/quarantine/quarantine.dto.ts';
import { runPageSchema, runSchema, sourceListSchema, type Run } from '../../src/modules/runs/runs.dto.ts';

/** A response as tests look at it. */
export interface ApiResponse {
  readonly status: number;
  readonly text: string;
  header(name: string): string | undefined;
  json(): unknown;
  /** The body as a run (checked against the response schema). */
  run(): Run;
  /** The body as a page of runs. */
  runs(): z.output<typeof runPageSchema>;
  /** The body as a page of quarantined rows. */
  quarantined(): z.output<typeof quarantinePageSchema>;
  /** The body as the list of sources. */
  sources(): z.output<typeof sourceListSchema>;
}

/** A caller of the migration API in one tenant, with one set of roles. */
export class MigrationClient {
  private readonly api: MigrationApi;
  private token: Promise<string> | undefined;
  readonly tenantId: string;
  readonly roles: readonly string[];
  readonly userId = newId('usr');

  constructor(api: MigrationApi, tenantId: string, roles: readonly string[]) {
    this.api = api;
    this.tenantId = tenantId;
    this.roles = roles;
  }

  /** The same tenant with other roles. */
  as(roles: readonly string[]): MigrationClient {
    return new MigrationClient(this.api, this.tenantId, roles);
  }

  async headers(): Promise<Record<string, string>> {
    this.token ??= this.api.issuer.token({
      tenantId: this.tenantId,
      subject: this.userId,
      roles: this.roles,
    });
    return { authorization: `Bearer ${await this.token}` };
  }

  async request(method: 'GET' | 'POST', url: string, body?: unknown): Promise<ApiResponse> {
    const response = await this.api.app.inject({
      method,
      url,
      headers: {
        ...(await this.headers()),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return {
      status: response.statusCode,
      text: response.body,
      header(name) {
        const value = response.headers[name.toLowerCase()];
        if (value === undefined) return undefined;
        return Array.isArray(value) ? value.join(', ') : String(value);
      },
      json: () => JSON.parse(response.body) as unknown,
      run: () => runSchema.parse(JSON.parse(response.body)),
      runs: () => runPageSchema.parse(JSON.parse(response.body)),
      quarantined: () => quarantinePageSchema.parse(JSON.parse(response.body)),
      sources: () => sourceListSchema.parse(JSON.parse(response.body)),
    };
  }

  get(url: string): Promise<ApiResponse> {
    return this.request('GET', url);
  }

  post(url: string, body?: unknown): Promise<ApiResponse> {
    return this.request('POST', url, body);
  }

  /** Opens the run's live event stream over real HTTP. */
  async events(runId: string): Promise<SseClient> {
    return SseClient.open(`${this.api.url}/runs/${runId}/events`, await this.headers());
  }
}

/** What a test file gets from {@link startMigrationApi}. */
export interface MigrationApi {
  readonly app: HttpApp;
  readonly module: MigrationModule;
  readonly db: Database;
  readonly issuer: TestIssuer;
  /** Base URL the app listens on. */
  readonly url: string;
  /** A client of a brand-new tenant (owner unless other roles are given). */
  newTenant(roles?: readonly string[]): MigrationClient;
  /** Rows of a table of a tenant. */
  count(table: string, tenantId: string): Promise<number>;
  close(): Promise<void>;
}

/** Starts the migration service for one test file; call `close` in `afterAll`. */
export async function startMigrationApi(settings: MigrationSettings = {}): Promise<MigrationApi> {
  const logger = silentLogger();
  const testDb = await createTestDatabase([ordersMigrations, catalogMigrations, migrationMigrations]);
  const bus = new InMemoryBus({ logger });
  const issuer = await TestIssuer.create();
  const db = testDb.handle.db;
  const { app, module } = await buildApp(
    {
      db,
      pingDatabase: testDb.handle.ping,
      bus,
      logger,
      streamHeartbeatMs: 1_000,
      streamPollIntervalMs: 50,
      stopCheckIntervalMs: 0,
      ...settings,
    },
    issuer.verifier(),
  );
  await module.start();
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const api: MigrationApi = {
    app,
    module,
    db,
    issuer,
    url,
    newTenant: (roles = ['owner']) => new MigrationClient(api, newId('ten'), roles),
    async count(table, tenantId) {
      const [row] = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from ${sql.raw(table)} where tenant_id = ${tenantId}`,
      );
      return row?.n ?? -1;
    },
    async close() {
      await app.close();
      await module.stop();
      await bus.close();
      await testDb.close();
    },
  };
  return api;
}
