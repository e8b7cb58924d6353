// Requests to the notifications API as one user of one tenant, through `app.inject()`.
import { InjectClient } from '@only/testing';
import type { NotificationsApi } from './notifications-api.ts';

export { expectStatus } from '@only/testing';

/** A caller of the notifications API: user `userId` of one tenant, owner unless `roles` say otherwise. */
export class TenantClient extends InjectClient {
  constructor(api: NotificationsApi, tenantId: string, userId: string, roles: readonly string[] = ['owner']) {
    super(api.app, api.issuer, tenantId, { subject: userId, roles });
  }
}
