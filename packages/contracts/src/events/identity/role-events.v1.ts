import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { roleSnapshotSchema } from './identity-snapshots.ts';

/** `identity.role.created` v1: a tenant created a custom role. */
export const roleCreatedV1 = defineEvent({
  type: 'identity.role.created',
  version: 1,
  description: 'A custom role was created.',
  schema: z.object({ role: roleSnapshotSchema }),
});

/** `identity.role.updated` v1: the new state and the names of the fields that changed. */
export const roleUpdatedV1 = defineEvent({
  type: 'identity.role.updated',
  version: 1,
  description: "A custom role's name, description or permissions changed; `changed` names the fields.",
  schema: z.object({
    role: roleSnapshotSchema,
    changed: z.array(z.string()).min(1),
    previousName: z.string(),
  }),
});

/** `identity.role.deleted` v1. */
export const roleDeletedV1 = defineEvent({
  type: 'identity.role.deleted',
  version: 1,
  description: 'A custom role (assigned to nobody) was deleted.',
  schema: z.object({ roleId: z.string(), name: z.string(), deletedAt: z.iso.datetime() }),
});
