import type { FastifyReply, FastifyRequest } from 'fastify';
import { counter, histogram } from '../metrics/index.ts';

const requests = counter('http_requests_total', 'HTTP requests served, by route and status.', [
  'method',
  'route',
  'status_code',
]);
const duration = histogram(
  'http_request_duration_seconds',
  'Time to serve HTTP requests, by route and status.',
  ['method', 'route', 'status_code'],
  [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
);

/**
 * Records one request: counter and duration histogram labelled by route template (never the raw
 * URL, so ids do not explode cardinality), plus one access-log line.
 */
export function recordRequest(request: FastifyRequest, reply: FastifyReply): void {
  const route = request.routeOptions.url ?? 'unmatched';
  const labels = { method: request.method, route, status_code: String(reply.statusCode) };
  const seconds = reply.elapsedTime / 1000;
  requests.inc(labels);
  duration.observe(labels, seconds);
  request.log.info(
    {
      method: request.method,
      route,
      path: request.url.split('?')[0],
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 100) / 100,
    },
    'request completed',
  );
}
