// Requests to the notifications API as one user of one tenant, through `app.inject()`.
import type { NotificationsApi } from './notifications-api.ts';

/** A response as tests look at it. */
export interface ApiResponse {
  readonly status: number;
  readonly text: string;
  header(name: string): string | undefined;
  /** The parsed body, checked by `parse` when given. */
  json<T = Record<string, unknown>>(parse?: (body: unknown) => T): T;
}

export class TenantClient {
  private readonly api: NotificationsApi;
  private token: Promise<string> | undefined;
  readonly tenantId: string;
  readonly userId: string;
  readonly roles: readonly string[];

  constructor(api: NotificationsApi, tenantId: string, userId: string, roles: readonly string[] = ['owner']) {
    this.api = api;
    this.tenantId = tenantId;
    this.userId = userId;
    this.roles = roles;
  }

  /** `Bearer …` of this user. */
  authorization(): Promise<string> {
    this.token ??= this.api.issuer
      .token({ tenantId: this.tenantId, subject: this.userId, roles: this.roles })
      .then((token) => `Bearer ${token}`);
    return this.token;
  }

  async request(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
  ): Promise<ApiResponse> {
    const response = await this.api.app.inject({
      method,
      url,
      headers: {
        authorization: await this.authorization(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return {
      status: response.statusCode,
      text: response.body,
      header(name) {
        const value = response.headers[name.toLowerCase()];
        return value === undefined ? undefined : String(value);
      },
      json: <T>(parse?: (body: unknown) => T) => {
        const body: unknown = JSON.parse(response.body);
        return parse === undefined ? (body as T) : parse(body);
      },
    };
  }

  get(url: string) {
    return this.request('GET', url);
  }

  post(url: string, body?: unknown) {
    return this.request('POST', url, body);
  }

  put(url: string, body?: unknown) {
    return this.request('PUT', url, body);
  }

  delete(url: string) {
    return this.request('DELETE', url);
  }
}

/** The parsed body when the status is as expected; otherwise an error showing what came back. */
export function expectStatus<T = Record<string, unknown>>(
  response: ApiResponse,
  status: number,
  parse?: (body: unknown) => T,
): T {
  if (response.status !== status) {
    throw new Error(`Expected HTTP ${String(status)}, got ${String(response.status)}: ${response.text}`);
  }
  const body: unknown = response.text === '' ? undefined : JSON.parse(response.text);
  return parse === undefined ? (body as T) : parse(body);
}
