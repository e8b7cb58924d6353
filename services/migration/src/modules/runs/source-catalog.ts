// The legacy sources this server lets runs read (MIGRATION_SOURCES): clients name one, its URL and
// credentials never leave the server, and a source can be kept to the tenants it belongs to.
import { queryRows, type Database } from '@only/platform/db';
import { sql } from 'drizzle-orm';
import { openSourceConnector, redactSourceUrl, sourceKindOf, type SourceKind } from '../connectors/index.ts';

/** A configured source. */
export interface NamedSource {
  readonly name: string;
  /** With its credentials: used to connect, never shown. */
  readonly url: string;
  /** Tenant ids or slugs that may use it; every tenant when absent. */
  readonly tenants?: readonly string[];
  readonly description?: string;
}

/** A source as a tenant sees it. */
export interface SourceListing {
  readonly name: string;
  readonly kind: SourceKind;
  readonly description: string | null;
}

/** The configured sources, filtered per tenant. */
export class SourceCatalog {
  private readonly sources: readonly NamedSource[];
  private readonly db: Database;

  constructor(sources: readonly NamedSource[], db: Database) {
    this.sources = sources;
    this.db = db;
  }

  /** The sources `tenantId` may use, by name. */
  async available(tenantId: string): Promise<NamedSource[]> {
    const restricted = this.sources.some((source) => source.tenants !== undefined);
    const slug = restricted ? await tenantSlug(this.db, tenantId) : undefined;
    return this.sources.filter(
      (source) =>
        source.tenants === undefined ||
        source.tenants.some(
          (tenant) =>
            tenant === tenantId || (slug !== undefined && tenant.toLowerCase() === slug.toLowerCase()),
        ),
    );
  }

  /** The named source if `tenantId` may use it. */
  async find(tenantId: string, name: string): Promise<NamedSource | undefined> {
    return (await this.available(tenantId)).find((source) => source.name === name);
  }

  async list(tenantId: string): Promise<SourceListing[]> {
    return (await this.available(tenantId)).map((source) => ({
      name: source.name,
      kind: sourceKindOf(source.url),
      description: source.description ?? null,
    }));
  }
}

/** The tenant's slug, when the identity service's tenants are in this database. */
async function tenantSlug(db: Database, tenantId: string): Promise<string | undefined> {
  const [exists] = await queryRows<{ found: boolean }>(
    db,
    sql`select to_regclass('identity.tenants') is not null as found`,
  );
  if (exists?.found !== true) return undefined;
  const [row] = await queryRows<{ slug: string }>(
    db,
    sql`select slug from identity.tenants where id = ${tenantId}`,
  );
  return row?.slug;
}

/**
 * Opens the source and lists its tables, so that a source that cannot be reached (or a wrong
 * password) is answered at once instead of as a failed run. Errors never contain the password.
 */
export async function probeSource(url: string): Promise<void> {
  try {
    const source = await openSourceConnector(url);
    try {
      await source.listTables();
    } finally {
      await source.close();
    }
  } catch (error) {
    throw new SourceProbeError(withoutPassword(error instanceof Error ? error.message : String(error), url));
  }
}

/** The source could not be opened or read. */
export class SourceProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceProbeError';
  }
}

/** A driver's message with the URL's password (should it quote it) masked. */
export function withoutPassword(message: string, url: string): string {
  let password: string | undefined;
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    password = undefined;
  }
  const withoutUrl = message.replaceAll(url, redactSourceUrl(url));
  return password === undefined || password === '' ? withoutUrl : withoutUrl.replaceAll(password, '***');
}
