import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, isAppError, type FieldViolation } from '../errors/app-error.ts';
import { platformErrors } from '../errors/platform-errors.ts';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../errors/problem.ts';
import { validationError } from '../errors/validation.ts';

/** Maps what Fastify itself rejects (bad JSON, wrong media type, too large) to catalogued errors. */
function fromFastifyError(error: FastifyError): AppError | undefined {
  const status = error.statusCode;
  if (status === undefined || status >= 500) return undefined;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return platformErrors.payload_too_large(error.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return platformErrors.unsupported_media_type(error.message);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return platformErrors.malformed_body(error.message);
    default:
      break;
  }
  if (error instanceof SyntaxError) return platformErrors.malformed_body('The body is not valid JSON.');
  if (status === 404) return platformErrors.not_found(error.message);
  if (status === 405) return platformErrors.method_not_allowed(error.message);
  if (status === 413) return platformErrors.payload_too_large(error.message);
  if (status === 415) return platformErrors.unsupported_media_type(error.message);
  if (status === 429) return platformErrors.rate_limited(error.message);
  return new AppError(error.code || 'platform.bad_request', { status, title: 'Bad request' }, error.message);
}

function fromSchemaValidation(
  error: FastifyError & { validation: { instancePath: string; keyword: string; message?: string }[] },
) {
  const location: FieldViolation['in'] =
    error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'body');
  return validationError(
    error.validation.map((v) => ({
      field: v.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(root)',
      in: location,
      rule: v.keyword,
      message: v.message ?? v.keyword,
    })),
  );
}

/**
 * The one error handler: every failure leaves as `application/problem+json`. A client's mistake
 * is a 4xx naming what was wrong; anything unexpected is a 500 that reveals nothing but the
 * request id, and is logged with its stack.
 */
export function problemErrorHandler(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  let appError: AppError;
  if (isAppError(error)) appError = error;
  else if (hasZodFastifySchemaValidationErrors(error)) appError = fromSchemaValidation(error);
  else
    appError =
      fromFastifyError(error as FastifyError) ??
      platformErrors.internal('An unexpected error occurred. Quote the request id when reporting it.');

  if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: appError.code, status: appError.status }, 'request rejected');

  const path = request.url.split('?')[0];
  return reply
    .code(appError.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(toProblem(appError, path, request.id));
}

/** 404 for routes that do not exist, as a problem document. */
export function problemNotFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = request.url.split('?')[0];
  const error = platformErrors.route_not_found(`No route ${request.method} ${path}`);
  return reply
    .code(404)
    .type(PROBLEM_CONTENT_TYPE)
    .send(toProblem(error, path, request.id));
}
