// Requests to the invoices API as one tenant, through `app.inject()`, with a token of that tenant.
import { InjectClient, type InjectableApp, type TestIssuer } from '@only/testing';

export { expectStatus } from '@only/testing';

/** A caller of the invoices API working in one tenant. */
export class TenantClient extends InjectClient {
  constructor(app: InjectableApp, issuer: TestIssuer, tenantId: string, roles?: readonly string[]) {
    super(app, issuer, tenantId, roles === undefined ? {} : { roles });
  }

  /** The same tenant with other roles. */
  as(roles: readonly string[]): TenantClient {
    return new TenantClient(this.app, this.issuer, this.tenantId, roles);
  }
}
