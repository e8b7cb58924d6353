// Responses of `app.inject()` as tests look at them, and assertions on problem documents.
import { problemSchema, type Problem } from '@only/platform/errors';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

/** A response as tests look at it. */
export interface ApiResponse {
  readonly status: number;
  readonly text: string;
  /** One header as a string (undefined when absent). */
  header(name: string): string | undefined;
  /** The body parsed as JSON. */
  json(): unknown;
}

export function toApiResponse(response: LightMyRequestResponse): ApiResponse {
  const text = response.body;
  return {
    status: response.statusCode,
    text,
    header(name) {
      const value = response.headers[name.toLowerCase()];
      if (value === undefined) return undefined;
      return Array.isArray(value) ? value.join(', ') : String(value);
    },
    json: () => JSON.parse(text) as unknown,
  };
}

/** Asserts the status (showing the body when it differs) and returns the parsed body. */
export function expectStatus(response: ApiResponse, status: number): unknown {
  expect({ status: response.status, body: response.text }).toMatchObject({ status });
  return response.text === '' ? undefined : response.json();
}

/** Asserts a problem+json response with this status and code, and returns the problem. */
export function expectProblem(response: ApiResponse, status: number, code: string): Problem {
  expect({ status: response.status, body: response.text }).toMatchObject({ status });
  expect(response.header('content-type')).toMatch(/^application\/problem\+json/);
  const problem = problemSchema.parse(response.json());
  expect(problem).toMatchObject({ status, code, type: `/problems/${code}` });
  return problem;
}

/** Asserts an OAuth error (RFC 6749 §5.2) rendered as a problem, and returns it. */
export function expectOAuthError(response: ApiResponse, status: number, error: string): Problem {
  const problem = expectProblem(response, status, `identity.${error}`);
  expect(problem).toMatchObject({ error, error_description: expect.any(String) as string });
  return problem;
}
