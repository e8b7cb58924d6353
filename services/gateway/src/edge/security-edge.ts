import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { TokenVerifier } from '@only/platform/auth';
import { defineErrors } from '@only/platform/errors';
import { authenticate, type HttpApp } from '@only/platform/http';
import { ipAllowed, type IpRule } from './ip-rules.ts';
import { registerRateLimits, type RateLimitOptions } from './rate-limits.ts';

const gatewayErrors = defineErrors('gateway', {
  ip_denied: {
    status: 403,
    title: 'Your address may not reach this route',
    description: 'The gateway allows or denies routes by client address; ask the operator.',
  },
  origin_not_allowed: {
    status: 403,
    title: 'This web origin is not allowed',
    description: "Browsers may call the API only from one of a tenant's allowed origins.",
  },
});

/** Options of {@link registerSecurityEdge}. */
export interface SecurityEdgeOptions extends RateLimitOptions {
  readonly verifier: TokenVerifier;
  readonly ipRules: readonly IpRule[];
  /** Web origins browsers may call from: every tenant's allowed origins. */
  readonly allowedOrigins: () => Promise<ReadonlySet<string>>;
}

/**
 * The gateway's edge, in front of every route: client address rules, secure headers, CORS from the
 * tenants' allowed origins, access-token verification (a present but invalid token is a 401 here,
 * before any service sees it), and rate limits per address and per tenant answering 429 with
 * `Retry-After` — counted in Redis when given, so that every gateway replica shares them.
 */
export async function registerSecurityEdge(app: HttpApp, options: SecurityEdgeOptions): Promise<void> {
  app.addHook('onRequest', (request, _reply, done) => {
    const path = request.url.split('?')[0] ?? '/';
    done(
      ipAllowed(options.ipRules, path, request.ip)
        ? undefined
        : gatewayErrors.ip_denied(`${request.ip} may not reach ${path}.`),
    );
  });

  await app.register(helmet, {
    // The API docs page (Swagger UI) runs inline scripts and styles of its own.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'https:'],
      },
    },
    crossOriginResourcePolicy: { policy: 'same-site' },
  });

  await app.register(cors, {
    origin: (origin, callback) => {
      if (origin === undefined) {
        callback(null, false); // not a browser's cross-origin request: nothing to add
        return;
      }
      options.allowedOrigins().then(
        (allowed) => {
          callback(null, allowed.has(origin));
        },
        (error: unknown) => {
          callback(error instanceof Error ? error : new Error(String(error)), false);
        },
      );
    },
    credentials: true,
    methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-correlation-id', 'cache-control'],
    exposedHeaders: ['location', 'retry-after', 'x-request-id', 'idempotent-replayed'],
    maxAge: 600,
  });

  // Verify the token once here; rate limits key on its tenant, and mounted services reuse it.
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/api/')) await authenticate(request, reply, options.verifier);
  });

  registerRateLimits(app, options);
}
