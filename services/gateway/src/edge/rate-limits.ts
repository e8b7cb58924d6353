import { platformErrors } from '@only/platform/errors';
import type { HttpApp } from '@only/platform/http';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

/** Budgets of {@link registerRateLimits}, per minute. */
export interface RateLimitOptions {
  /** Requests per minute from one client address. */
  readonly perIpPerMinute: number;
  /** Requests per minute for one tenant's users together, and for each API client. */
  readonly perTenantPerMinute: number;
  /** Shared counters across gateway replicas; in-process counters without it. */
  readonly redis?: Redis;
}

function limiter(name: string, points: number, redis: Redis | undefined): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ keyPrefix: name, points, duration: 60 });
  if (redis === undefined) return memory;
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `only:gateway:rate:${name}`,
    points,
    duration: 60,
    // While Redis is away, each replica counts on its own rather than refusing or waving through.
    insuranceLimiter: memory,
  });
}

/**
 * Two budgets per minute: one per client address, and one per tenant for its users together (an
 * API client has one of its own). Over either, the answer is 429 with `Retry-After`. Runs after
 * token verification, so the tenant is the token's.
 */
export function registerRateLimits(app: HttpApp, options: RateLimitOptions): void {
  const perIp = limiter('ip', options.perIpPerMinute, options.redis);
  const perTenant = limiter('tenant', options.perTenantPerMinute, options.redis);
  app.addHook('onRequest', async (request, reply) => {
    try {
      await perIp.consume(request.ip);
      const principal = request.principal;
      if (principal !== undefined) {
        await perTenant.consume(
          principal.kind === 'client' ? `client:${principal.subject}` : `tenant:${principal.tenantId}`,
        );
      }
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      void reply.header('retry-after', String(seconds));
      throw platformErrors.rate_limited(`Too many requests; try again in ${String(seconds)} s.`, {
        retryAfter: seconds,
      });
    }
  });
}
