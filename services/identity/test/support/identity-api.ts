// One identity API per test file: the standalone app on a throw-away database (PGlite in memory,
// or a fresh PostgreSQL database when DATABASE_URL is set), an in-memory bus with an event
// recorder, and a manual clock set to the real time (access tokens are checked against the real
// time, so tests move the clock to make tokens that are already expired). Tests isolate
// themselves by working in a fresh tenant rather than a fresh database.
import type { EventEnvelope } from '@only/contracts/envelope';
import { InMemoryBus } from '@only/platform/bus';
import { systemContext } from '@only/platform/context';
import type { Database } from '@only/platform/db';
import type { HttpApp } from '@only/platform/http';
import type { Logger } from '@only/platform/log';
import { createTestDatabase, EventRecorder, ManualClock, silentLogger } from '@only/testing';
import { randomBytes } from 'node:crypto';
import { buildApp } from '../../src/app.ts';
import type { IdentityModule, IdentitySettings } from '../../src/identity-module.ts';
import { NO_REQUEST } from '../../src/request-meta.ts';
import { toApiResponse, type ApiResponse } from './api-response.ts';

export const TEST_ISSUER = 'http://only.test/api/identity';

/** Tokens of a successful token request. */
export interface Tokens {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly expires_in: number;
  readonly token_type: string;
  readonly scope?: string;
  readonly id_token?: string;
}

/** A user a test can sign in as. */
export interface TestUser {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly roles: readonly string[];
}

/** What a request may carry. */
export interface RequestOptions {
  readonly token?: string;
  readonly body?: unknown;
  /** Sent form-encoded (`application/x-www-form-urlencoded`). */
  readonly form?: Readonly<Record<string, string>>;
  /** Sent exactly as given (set its content type in `headers`). */
  readonly rawBody?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number>>;
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

let sequence = 0;

/** A short token unique within the test run. */
export function unique(prefix = 'x'): string {
  sequence += 1;
  return `${prefix}-${String(sequence)}-${randomBytes(3).toString('hex')}`;
}

/** A fresh tenant with an owner, and shortcuts to add users and sign in. */
export class TestTenant {
  private readonly api: IdentityApi;
  readonly id: string;
  readonly slug: string;
  readonly owner: TestUser;

  constructor(api: IdentityApi, id: string, slug: string, owner: TestUser) {
    this.api = api;
    this.id = id;
    this.slug = slug;
    this.owner = owner;
  }

  /** Adds an active user with these roles and a known password. */
  async addUser(roles: readonly string[] = ['viewer'], name = 'Test User'): Promise<TestUser> {
    const email = `${unique('user')}@${this.slug}.test`;
    const password = `pw-${randomBytes(12).toString('hex')}`;
    const user = await this.api.module.users.provision(
      systemContext(this.id, unique('setup')),
      { email, name, roles, password },
      NO_REQUEST,
    );
    return { id: user.id, email, password, roles };
  }

  /** Signs in with the password grant (expects 200). */
  async login(user: TestUser = this.owner, extra: Record<string, string> = {}): Promise<Tokens> {
    const response = await this.api.passwordGrant(this.slug, user.email, user.password, extra);
    if (response.status !== 200) throw new Error(`login failed: ${String(response.status)} ${response.text}`);
    return response.json() as Tokens;
  }

  /** An access token of a new user with these roles. */
  async tokenOf(roles: readonly string[]): Promise<string> {
    return (await this.login(await this.addUser(roles))).access_token;
  }
}

/** What a test file gets from {@link startIdentityApi}. */
export interface IdentityApi {
  readonly app: HttpApp;
  readonly module: IdentityModule;
  readonly db: Database;
  readonly dbKind: 'pglite' | 'postgres';
  readonly bus: InMemoryBus;
  readonly recorder: EventRecorder;
  readonly clock: ManualClock;
  /** Publishes every outbox row that is due and waits until the bus delivered it. */
  settle(): Promise<void>;
  /** Published events of one tenant, after {@link settle}. */
  eventsOf(tenantId: string, type?: string): Promise<EventEnvelope[]>;
  request(method: Method, url: string, options?: RequestOptions): Promise<ApiResponse>;
  /** POST /oauth/token, form-encoded. */
  tokenRequest(
    form: Readonly<Record<string, string>>,
    headers?: Readonly<Record<string, string>>,
  ): Promise<ApiResponse>;
  passwordGrant(
    tenant: string,
    email: string,
    password: string,
    extra?: Record<string, string>,
  ): Promise<ApiResponse>;
  refreshGrant(refreshToken: string): Promise<ApiResponse>;
  /** A brand-new tenant with an owner. */
  newTenant(): Promise<TestTenant>;
  close(): Promise<void>;
}

/** Starts the identity service for one test file; call `close` in `afterAll`. */
export async function startIdentityApi(
  options: { logger?: Logger; settings?: Partial<IdentitySettings> } = {},
): Promise<IdentityApi> {
  const logger = options.logger ?? silentLogger();
  const testDb = await createTestDatabase();
  const bus = new InMemoryBus({ logger });
  // Attached before anything can be published, so that no event is missed.
  const recorder = await EventRecorder.attach(bus);
  const clock = new ManualClock(new Date());
  const db = testDb.handle.db;
  const { app, module } = await buildApp({
    db,
    pingDatabase: testDb.handle.ping,
    bus,
    logger,
    clock,
    issuer: TEST_ISSUER,
    ...options.settings,
  });
  await testDb.handle.migrate(module.migrations);
  await app.ready();
  await module.clients.ensureFirstPartyClients();

  const settle = async (): Promise<void> => {
    await module.kernel.relay.flush();
    await bus.drain();
  };

  const request = async (method: Method, url: string, req: RequestOptions = {}): Promise<ApiResponse> => {
    const headers: Record<string, string> = {};
    if (req.token !== undefined) headers.authorization = `Bearer ${req.token}`;
    let payload: string | undefined;
    if (req.rawBody !== undefined) {
      payload = req.rawBody;
    } else if (req.form !== undefined) {
      payload = new URLSearchParams(req.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (req.body !== undefined) {
      payload = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    Object.assign(headers, req.headers);
    const query =
      req.query === undefined
        ? ''
        : `?${new URLSearchParams(Object.entries(req.query).map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
    return toApiResponse(
      await app.inject({
        method,
        url: `${url}${query}`,
        headers,
        ...(payload === undefined ? {} : { payload }),
      }),
    );
  };

  const tokenRequest: IdentityApi['tokenRequest'] = (form, headers = {}) =>
    request('POST', '/oauth/token', { form, headers });

  const api: IdentityApi = {
    app,
    module,
    db,
    dbKind: testDb.kind,
    bus,
    recorder,
    clock,
    settle,
    async eventsOf(tenantId, type) {
      await settle();
      return recorder.events(type).filter((event) => event.tenantId === tenantId);
    },
    request,
    tokenRequest,
    passwordGrant: (tenant, email, password, extra = {}) =>
      tokenRequest({
        grant_type: 'password',
        client_id: 'only-web',
        tenant,
        username: email,
        password,
        ...extra,
      }),
    refreshGrant: (refreshToken) =>
      tokenRequest({ grant_type: 'refresh_token', client_id: 'only-web', refresh_token: refreshToken }),
    async newTenant() {
      const slug = unique('t').toLowerCase();
      const tenant = await module.tenants.create(
        systemContext('ten_00000000000000000000000000', unique('setup')),
        {
          slug,
          name: `Tenant ${slug}`,
          branding: {
            logoUrl: null,
            colors: { primary: '#112233', secondary: '#445566', background: '#ffffff', text: '#000000' },
            fontFamily: null,
          },
          enabledApps: ['back-office'],
          locale: 'en-GB',
          currency: 'GBP',
          timezone: 'Europe/London',
          allowedOrigins: [`https://${slug}.shop.test`],
        },
        NO_REQUEST,
      );
      const email = `owner@${slug}.test`;
      const password = `owner-${randomBytes(12).toString('hex')}`;
      const owner = await module.users.provision(
        systemContext(tenant.id, unique('setup')),
        { email, name: 'Tenant Owner', roles: ['owner'], password },
        NO_REQUEST,
      );
      return new TestTenant(api, tenant.id, slug, { id: owner.id, email, password, roles: ['owner'] });
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
