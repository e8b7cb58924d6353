import type { Logger } from '@only/platform/log';

const REFRESH_MS = 60_000;

/**
 * Every tenant's allowed web origins as the identity service publishes them
 * (`GET /tenants/allowed-origins`), refreshed once a minute; the last known set is kept while
 * identity cannot be reached, and none are allowed before it first answered.
 */
export function remoteAllowedOrigins(
  identityUrl: string | undefined,
  logger: Logger,
): () => Promise<ReadonlySet<string>> {
  let known: ReadonlySet<string> = new Set();
  let fetchedAt = 0;
  let inFlight: Promise<ReadonlySet<string>> | undefined;
  const refresh = async (): Promise<ReadonlySet<string>> => {
    if (identityUrl === undefined) return known;
    try {
      const response = await fetch(`${identityUrl.replace(/\/$/, '')}/tenants/allowed-origins`, {
        signal: AbortSignal.timeout(2_000),
      });
      if (!response.ok) throw new Error(`identity answered ${String(response.status)}`);
      const body = (await response.json()) as { origins?: unknown };
      if (Array.isArray(body.origins)) known = new Set(body.origins.filter((o) => typeof o === 'string'));
      fetchedAt = Date.now();
    } catch (error) {
      logger.warn({ err: error }, 'allowed origins could not be refreshed; keeping the last known');
      fetchedAt = Date.now() - REFRESH_MS + 5_000; // retry in a few seconds, not on every request
    }
    return known;
  };
  return () => {
    if (Date.now() - fetchedAt < REFRESH_MS) return Promise.resolve(known);
    inFlight ??= refresh().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
