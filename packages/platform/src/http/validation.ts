import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import type { FieldViolation } from '../errors/app-error.ts';
import { validationError, zodIssuesToViolations } from '../errors/validation.ts';

const LOCATIONS: Record<string, FieldViolation['in']> = {
  body: 'body',
  querystring: 'query',
  params: 'params',
  headers: 'headers',
};

/**
 * Validates each part of a request with its Zod schema and fails with a 400 problem naming every
 * field and the rule it broke (not just the first).
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    // A request without a body is validated as `{}`, so the problem names the missing fields.
    const input: unknown = httpPart === 'body' && (data === null || data === undefined) ? {} : data;
    // `reportInput` lets us tell a missing field ("required") from a wrongly typed one.
    const result = schema.safeParse(input, { reportInput: true });
    if (result.success) return { value: result.data };
    const location = LOCATIONS[httpPart ?? 'body'] ?? 'body';
    return { error: validationError(zodIssuesToViolations(result.error.issues, location)) };
  };
