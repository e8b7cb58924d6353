import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { tenantSnapshotSchema } from './identity-snapshots.ts';

/** `identity.tenant.created` v1. */
export const tenantCreatedV1 = defineEvent({
  type: 'identity.tenant.created',
  version: 1,
  description: 'A tenant (white-label client) was created.',
  schema: z.object({ tenant: tenantSnapshotSchema }),
});

/** `identity.tenant.updated` v1: the new state and the names of the fields that changed. */
export const tenantUpdatedV1 = defineEvent({
  type: 'identity.tenant.updated',
  version: 1,
  description: "A tenant's settings, branding or allowed origins changed; `changed` names the fields.",
  schema: z.object({ tenant: tenantSnapshotSchema, changed: z.array(z.string()).min(1) }),
});
