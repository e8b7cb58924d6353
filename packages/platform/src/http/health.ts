import { z } from 'zod';
import type { HttpApp } from './types.ts';

/** One dependency whose health decides readiness (database, broker, cache, upstream service). */
export interface ReadinessCheck {
  readonly name: string;
  /** Resolves when healthy, rejects (or returns false) when not. */
  readonly check: () => Promise<boolean | undefined> | boolean;
  /** When false, a failure is reported but does not make the service unready (e.g. a cache with a fallback). */
  readonly critical?: boolean;
}

const checkResultSchema = z.object({
  status: z.enum(['up', 'down']),
  critical: z.boolean(),
  ms: z.number(),
  error: z.string().optional(),
});
const readySchema = z.object({
  status: z.enum(['ready', 'unavailable']),
  checks: z.record(z.string(), checkResultSchema),
});

async function runCheck(
  check: ReadinessCheck,
  timeoutMs: number,
): Promise<z.infer<typeof checkResultSchema>> {
  const started = performance.now();
  const critical = check.critical ?? true;
  let timer: NodeJS.Timeout | undefined;
  try {
    const ok = await Promise.race([
      Promise.resolve(check.check()),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`no answer within ${timeoutMs} ms`));
        }, timeoutMs);
      }),
    ]);
    const ms = Math.round(performance.now() - started);
    return ok === false ? { status: 'down', critical, ms } : { status: 'up', critical, ms };
  } catch (error) {
    const ms = Math.round(performance.now() - started);
    return { status: 'down', critical, ms, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/health/live`: the process serves requests. `/health/ready`: every critical dependency
 * answers; 503 otherwise, so load balancers and Kubernetes stop routing here.
 */
export function registerHealthRoutes(
  app: HttpApp,
  checks: readonly ReadinessCheck[],
  timeoutMs = 2_000,
): void {
  app.get(
    '/health/live',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process is up',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    () => ({ status: 'ok' as const }),
  );
  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: every critical dependency answers',
        response: { 200: readySchema, 503: readySchema },
      },
    },
    async (_request, reply) => {
      const results = await Promise.all(
        checks.map(async (c) => [c.name, await runCheck(c, timeoutMs)] as const),
      );
      const ready = results.every(([, r]) => r.status === 'up' || !r.critical);
      reply.code(ready ? 200 : 503);
      return {
        status: ready ? ('ready' as const) : ('unavailable' as const),
        checks: Object.fromEntries(results),
      };
    },
  );
}
