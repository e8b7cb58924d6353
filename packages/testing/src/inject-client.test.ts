import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  expectStatus,
  InjectClient,
  toApiResponse,
  type InjectableApp,
  type InjectRequest,
  type InjectResponse,
} from './inject-client.ts';
import { expectProblem, expectValidationProblem } from './problem-expectations.ts';
import { TestIssuer } from './test-issuer.ts';

/** An app that records what it was sent and answers `reply`. */
class RecordingApp implements InjectableApp {
  readonly requests: InjectRequest[] = [];
  reply: Partial<InjectResponse> = {};

  inject(request: InjectRequest): Promise<InjectResponse> {
    this.requests.push(request);
    const body = this.reply.body ?? '';
    return Promise.resolve({
      statusCode: 200,
      headers: {},
      rawPayload: Buffer.from(body),
      ...this.reply,
      body,
    });
  }

  last(): InjectRequest {
    const request = this.requests.at(-1);
    if (request === undefined) throw new Error('nothing was sent');
    return request;
  }
}

const claimsOf = (request: InjectRequest) =>
  decodeJwt(request.headers.authorization?.replace(/^Bearer /, '') ?? '');

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.create();
});

describe('InjectClient', () => {
  it('sends a token of its tenant, roles and subject, made once per subject', async () => {
    const app = new RecordingApp();
    const client = new InjectClient(app, issuer, 'ten_a', { roles: ['viewer'], subject: 'usr_test' });
    await client.get('/x');
    await client.get('/x');
    await client.get('/x', { userId: 'usr_other' });
    const [first, second, third] = app.requests;
    expect(claimsOf(first!)).toMatchObject({ tid: 'ten_a', sub: 'usr_test', roles: ['viewer'] });
    expect(second!.headers.authorization).toBe(first!.headers.authorization);
    expect(claimsOf(third!)).toMatchObject({ tid: 'ten_a', sub: 'usr_other' });
  });

  it('without a subject keeps one fresh user id for the client', async () => {
    const app = new RecordingApp();
    const client = new InjectClient(app, issuer, 'ten_a');
    await client.post('/x');
    await client.delete('/x');
    const [first, second] = app.requests.map(claimsOf);
    expect(first?.sub).toMatch(/^usr_/);
    expect(second?.sub).toBe(first?.sub);
    expect(await client.authorization()).toBe(app.last().headers.authorization);
  });

  it('sends no token when anonymous, for the client or one request', async () => {
    const app = new RecordingApp();
    await new InjectClient(app, issuer, 'ten_a', { anonymous: true }).get('/x');
    await new InjectClient(app, issuer, 'ten_a').get('/x', { anonymous: true });
    expect(app.requests.map((request) => request.headers.authorization)).toEqual([undefined, undefined]);
  });

  it('encodes the query, the body and the headers it is given', async () => {
    const app = new RecordingApp();
    const client = new InjectClient(app, issuer, 'ten_a');
    await client.patch(
      '/orders?status=open',
      { note: 'ä' },
      {
        query: { limit: 5, skip: undefined, sku: ['A 1', 'B'] },
        idempotencyKey: 'key-1',
        correlationId: 'corr-1',
        headers: { 'idempotency-key': 'key-2', 'x-extra': 'yes' },
      },
    );
    expect(app.last()).toMatchObject({
      method: 'PATCH',
      url: '/orders?status=open&limit=5&sku=A+1&sku=B',
      payload: '{"note":"ä"}',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': 'key-2',
        'x-correlation-id': 'corr-1',
        'x-extra': 'yes',
      },
    });
    await client.put('/raw', undefined, { rawBody: 'a,b', contentType: 'text/csv' });
    expect(app.last()).toMatchObject({
      url: '/raw',
      payload: 'a,b',
      headers: { 'content-type': 'text/csv' },
    });
    await client.get('/plain');
    expect(app.last().payload).toBeUndefined();
    expect(app.last().headers['content-type']).toBeUndefined();
  });
});

describe('responses', () => {
  const response = (statusCode: number, body: string, headers: InjectResponse['headers'] = {}) =>
    toApiResponse({ statusCode, body, headers, rawPayload: Buffer.from(body) });

  it('read headers, text, bytes and JSON', () => {
    const res = response(201, '{"id":"x"}', { 'set-cookie': ['a=1', 'b=2'], 'content-length': 10 });
    expect(res.header('Set-Cookie')).toBe('a=1, b=2');
    expect(res.header('content-length')).toBe('10');
    expect(res.header('etag')).toBeUndefined();
    expect(res.body.toString()).toBe('{"id":"x"}');
    expect(res.json((body) => (body as { id: string }).id)).toBe('x');
    expect(expectStatus(res, 201)).toEqual({ id: 'x' });
    expect(expectStatus(response(204, ''), 204)).toBeUndefined();
  });

  it('fail expectStatus with the status and body that came back', () => {
    expect(() => expectStatus(response(409, '{"code":"taken"}'), 201)).toThrow(
      'Expected HTTP 201, got 409: {"code":"taken"}',
    );
  });

  it('check problem documents: status, media type, code and violations', () => {
    const problem = (errors: unknown[], contentType = 'application/problem+json; charset=utf-8') =>
      response(
        400,
        JSON.stringify({
          type: '/problems/platform.validation_failed',
          title: 'Invalid request',
          status: 400,
          code: 'platform.validation_failed',
          errors,
        }),
        { 'content-type': contentType },
      );
    const sku = { field: 'sku', in: 'body', rule: 'too_small', message: 'Too short' };
    expect(expectValidationProblem(problem([sku]), { field: 'sku', in: 'body' }).errors).toEqual([sku]);
    expectValidationProblem(problem([sku]), { field: 'sku', in: 'body', rule: 'too_small' });
    expect(() => expectValidationProblem(problem([sku]), { field: 'sku', in: 'query' })).toThrow(
      /Expected a violation/,
    );
    expect(() => expectValidationProblem(problem([sku]), { field: 'sku', in: 'body', rule: 'x' })).toThrow();
    expect(() => expectProblem(problem([sku]), 400, 'platform.not_found')).toThrow();
    expect(() =>
      expectProblem(problem([sku], 'application/json'), 400, 'platform.validation_failed'),
    ).toThrow();
    expect(() => expectProblem(problem([sku]), 404, 'platform.validation_failed')).toThrow(/got 400/);
  });
});
