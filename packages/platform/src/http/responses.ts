import { problemSchema } from '../errors/problem.ts';

/**
 * Problem responses to declare on a route, so that the docs show them: pass the status codes the
 * route can fail with, e.g. `...problemResponses(400, 404, 409)`.
 */
export function problemResponses<const S extends readonly number[]>(
  ...statuses: S
): { [K in S[number]]: typeof problemSchema } {
  return Object.fromEntries(statuses.map((status) => [status, problemSchema])) as {
    [K in S[number]]: typeof problemSchema;
  };
}
