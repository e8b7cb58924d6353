import { z } from 'zod';
import type { AppError } from './app-error.ts';

/** RFC 9457 problem document, as every Only API renders errors. */
export const problemSchema = z
  .object({
    type: z.string().describe('URI reference that identifies the problem type: `/problems/<code>`.'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional().describe('The request path.'),
    code: z.string().describe('Stable machine-readable code, `<namespace>.<name>`.'),
    requestId: z.string().optional(),
    errors: z
      .array(
        z.object({
          field: z.string(),
          in: z.enum(['body', 'query', 'params', 'headers']),
          rule: z.string(),
          message: z.string(),
        }),
      )
      .optional()
      .describe('For validation problems: every field that broke a rule.'),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem' });

/** A problem document. */
export type Problem = z.infer<typeof problemSchema>;

/** The media type of problem documents. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** Renders an `AppError` as a problem document. */
export function toProblem(error: AppError, instance?: string, requestId?: string): Problem {
  return {
    ...error.extensions,
    type: `/problems/${error.code}`,
    title: error.title,
    status: error.status,
    ...(error.detail === undefined ? {} : { detail: error.detail }),
    ...(instance === undefined ? {} : { instance }),
    code: error.code,
    ...(requestId === undefined ? {} : { requestId }),
  };
}
