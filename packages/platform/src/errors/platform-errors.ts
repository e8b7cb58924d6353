import { defineErrors } from './catalogue.ts';

/** Errors every service can answer with; service-specific ones live in each service. */
export const platformErrors = defineErrors('platform', {
  validation_failed: {
    status: 400,
    title: 'The request is not valid',
    description: 'One or more fields broke a rule. `errors` lists each field, the rule and a message.',
  },
  malformed_body: { status: 400, title: 'The request body could not be parsed' },
  idempotency_key_invalid: {
    status: 400,
    title: 'The Idempotency-Key header is not valid',
    description: 'The key must be 1 to 255 visible ASCII characters.',
  },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  forbidden: { status: 403, title: 'Not allowed' },
  route_not_found: { status: 404, title: 'No such route' },
  not_found: { status: 404, title: 'Resource not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: {
    status: 415,
    title: 'Unsupported media type',
    description: 'Send JSON bodies with `Content-Type: application/json`.',
  },
  idempotency_key_reused: {
    status: 422,
    title: 'The Idempotency-Key was already used with a different request',
    description:
      'A key identifies one request. Reusing it with the same method, path and body replays the first response; with anything else it is rejected.',
  },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  bad_gateway: { status: 502, title: 'An upstream service failed' },
  unavailable: { status: 503, title: 'The service is not available right now' },
  upstream_timeout: { status: 504, title: 'An upstream service did not answer in time' },
});
