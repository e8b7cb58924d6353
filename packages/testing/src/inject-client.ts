// Requests to a service's HTTP app through `app.inject()` (no socket), as one tenant, with access
// tokens signed by a TestIssuer. Each service's test client extends or wraps this one and adds only
// its own shortcuts.
import type { TestIssuer } from './test-issuer.ts';

/** The HTTP methods a test sends. */
export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** What {@link InjectClient} hands to `inject()`: the part of light-my-request's options it uses. */
export interface InjectRequest {
  readonly method: Method;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload?: string;
}

/** What `inject()` answers: the part of light-my-request's response that {@link toApiResponse} reads. */
export interface InjectResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  /** The body as text. */
  readonly body: string;
  readonly rawPayload: Buffer;
}

/**
 * The app under test, typed as little as the client needs: a Fastify instance (`HttpApp` of
 * `@only/platform/http`) is one, without this package depending on Fastify.
 */
export interface InjectableApp {
  inject(request: InjectRequest): PromiseLike<InjectResponse>;
}

/** A response as tests look at it. */
export interface ApiResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  /** The body as text. */
  readonly text: string;
  /** The body as bytes (for binary answers such as PDFs). */
  readonly body: Buffer;
  /** One header as a string, repeated values joined by `, ` (undefined when absent). */
  header(name: string): string | undefined;
  /**
   * The body parsed as JSON, checked by `parse` when given (e.g. a Zod schema's `parse`); without
   * `parse` the type argument is taken on trust.
   */
  json<T = unknown>(parse?: (body: unknown) => T): T;
}

/** Query parameters, URL-encoded; `undefined` values are left out, an array repeats its key. */
export type Query = Readonly<Record<string, string | number | readonly string[] | undefined>>;

/** What a request may carry besides method and URL. */
export interface RequestOptions {
  /** Sent as JSON (`content-type: application/json` unless `contentType` says otherwise). */
  readonly body?: unknown;
  /** Sent exactly as given, with `contentType` (default `application/json`); wins over `body`. */
  readonly rawBody?: string;
  readonly contentType?: string;
  readonly query?: Query;
  /** The subject of the access token sent (the actor of changes); default: the client's subject. */
  readonly userId?: string;
  /** Sent as `Idempotency-Key`. */
  readonly idempotencyKey?: string;
  /** Sent as `X-Correlation-Id`. */
  readonly correlationId?: string;
  /** Sent as given, after (and so over) every header the client sets itself. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Send no access token with this request. */
  readonly anonymous?: boolean;
}

/** Who an {@link InjectClient} is within its tenant. */
export interface ClientIdentity {
  /** Roles of its tokens (default owner: every permission). */
  readonly roles?: readonly string[];
  /** Subject of its tokens when a request names no `userId` (default: one fresh user id per client). */
  readonly subject?: string;
  /** Send no access token at all. */
  readonly anonymous?: boolean;
}

/**
 * A caller of one service's HTTP API working in one tenant: every request goes through
 * `app.inject()` with a Bearer token of that tenant, signed by the issuer the app trusts. Tokens
 * are made once per subject and reused.
 *
 * @example
 * const t = new InjectClient(app, issuer, newId('ten'), { roles: ['manager'] });
 * const created = expectStatus(await t.post('/products', { sku: 'A-1' }), 201);
 * await t.get('/products', { query: { limit: 10 } });
 */
export class InjectClient {
  readonly app: InjectableApp;
  readonly issuer: TestIssuer;
  /** The tenant the requests work in (the `tid` of the tokens). */
  readonly tenantId: string;
  readonly identity: ClientIdentity;
  // Keyed by subject; `undefined` stands for the issuer's fresh user id, made once per client.
  private readonly tokens = new Map<string | undefined, Promise<string>>();

  constructor(app: InjectableApp, issuer: TestIssuer, tenantId: string, identity: ClientIdentity = {}) {
    this.app = app;
    this.issuer = issuer;
    this.tenantId = tenantId;
    this.identity = identity;
  }

  /** An access token of this client's tenant and roles for `subject` (also for RPC calls). */
  token(subject: string | undefined = this.identity.subject): Promise<string> {
    let token = this.tokens.get(subject);
    if (token === undefined) {
      token = this.issuer.token({
        tenantId: this.tenantId,
        ...(subject === undefined ? {} : { subject }),
        ...(this.identity.roles === undefined ? {} : { roles: this.identity.roles }),
      });
      this.tokens.set(subject, token);
    }
    return token;
  }

  /** `Bearer …` of `subject` (default: the client's), for requests it does not send itself (a stream). */
  async authorization(subject?: string): Promise<string> {
    return `Bearer ${await this.token(subject)}`;
  }

  async request(method: Method, url: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = {};
    if (this.identity.anonymous !== true && options.anonymous !== true)
      headers.authorization = await this.authorization(options.userId);
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    if (options.correlationId !== undefined) headers['x-correlation-id'] = options.correlationId;
    const payload =
      options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (payload !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    Object.assign(headers, options.headers);
    const response = await this.app.inject({
      method,
      url: withQuery(url, options.query),
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    return toApiResponse(response);
  }

  get(url: string, options: RequestOptions = {}): Promise<ApiResponse> {
    return this.request('GET', url, options);
  }

  post(url: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResponse> {
    return this.request('POST', url, body === undefined ? options : { ...options, body });
  }

  patch(url: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResponse> {
    return this.request('PATCH', url, body === undefined ? options : { ...options, body });
  }

  put(url: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResponse> {
    return this.request('PUT', url, body === undefined ? options : { ...options, body });
  }

  delete(url: string, options: RequestOptions = {}): Promise<ApiResponse> {
    return this.request('DELETE', url, options);
  }
}

/** `url` with `query` appended (after `&` when `url` already has a query). */
function withQuery(url: string, query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (typeof value === 'string' || typeof value === 'number') params.append(key, String(value));
    else for (const item of value) params.append(key, item);
  }
  const search = params.toString();
  if (search === '') return url;
  return `${url}${url.includes('?') ? '&' : '?'}${search}`;
}

/** An `inject()` response as tests look at it (for helpers that call `inject()` themselves). */
export function toApiResponse(response: InjectResponse): ApiResponse {
  const text = response.body;
  return {
    status: response.statusCode,
    headers: response.headers,
    text,
    body: response.rawPayload,
    header(name) {
      const value = response.headers[name.toLowerCase()];
      if (value === undefined) return undefined;
      return Array.isArray(value) ? value.join(', ') : String(value);
    },
    json<T>(parse?: (body: unknown) => T): T {
      const body: unknown = JSON.parse(text);
      return parse === undefined ? (body as T) : parse(body);
    },
  };
}

/**
 * The body (parsed as JSON, checked by `parse` when given; `undefined` when empty) when the status
 * is as expected; otherwise an error showing the status and body that came back.
 */
export function expectStatus<T = unknown>(
  response: ApiResponse,
  status: number,
  parse?: (body: unknown) => T,
): T {
  if (response.status !== status) {
    throw new Error(`Expected HTTP ${status}, got ${response.status}: ${response.text.slice(0, 2000)}`);
  }
  const body: unknown = response.text === '' ? undefined : JSON.parse(response.text);
  return parse === undefined ? (body as T) : parse(body);
}
