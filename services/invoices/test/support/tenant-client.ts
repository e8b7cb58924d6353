// Requests to the invoices API as one tenant, through `app.inject()`, with a token of that tenant.
import type { HttpApp } from '@only/platform/http';
import type { TestIssuer } from '@only/testing';
import { expect } from 'vitest';

/** A response as tests look at it. */
export interface ApiResponse {
  readonly status: number;
  readonly text: string;
  readonly body: Buffer;
  header(name: string): string | undefined;
  json(): unknown;
}

/** A caller of the invoices API working in one tenant. */
export class TenantClient {
  private readonly app: HttpApp;
  private readonly issuer: TestIssuer;
  private readonly roles: readonly string[] | undefined;
  private token: Promise<string> | undefined;
  readonly tenantId: string;

  constructor(app: HttpApp, issuer: TestIssuer, tenantId: string, roles?: readonly string[]) {
    this.app = app;
    this.issuer = issuer;
    this.tenantId = tenantId;
    this.roles = roles;
  }

  /** The same tenant with other roles. */
  as(roles: readonly string[]): TenantClient {
    return new TenantClient(this.app, this.issuer, this.tenantId, roles);
  }

  async request(
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    options: { body?: unknown; headers?: Record<string, string>; anonymous?: boolean } = {},
  ): Promise<ApiResponse> {
    this.token ??= this.issuer.token({
      tenantId: this.tenantId,
      ...(this.roles === undefined ? {} : { roles: this.roles }),
    });
    const headers: Record<string, string> = { ...options.headers };
    if (options.anonymous !== true) headers.authorization = `Bearer ${await this.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.app.inject({
      method,
      url,
      headers,
      ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
    });
    return {
      status: response.statusCode,
      text: response.body,
      body: response.rawPayload,
      header(name) {
        const value = response.headers[name.toLowerCase()];
        if (value === undefined) return undefined;
        return Array.isArray(value) ? value.join(', ') : String(value);
      },
      json: () => JSON.parse(response.body) as unknown,
    };
  }

  get(url: string): Promise<ApiResponse> {
    return this.request('GET', url);
  }

  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse> {
    return this.request('POST', url, {
      ...(body === undefined ? {} : { body }),
      ...(headers ? { headers } : {}),
    });
  }

  patch(url: string, body: unknown): Promise<ApiResponse> {
    return this.request('PATCH', url, { body });
  }
}

/** Asserts the status (showing the body when it differs) and returns the parsed JSON body. */
export function expectStatus(response: ApiResponse, status: number): unknown {
  expect({ status: response.status, body: response.text.slice(0, 2000) }).toMatchObject({ status });
  return response.status === 204 ? undefined : response.json();
}
