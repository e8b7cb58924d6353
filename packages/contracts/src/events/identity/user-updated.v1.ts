import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { identityActorSchema, userSnapshotSchema } from './identity-snapshots.ts';

/** `identity.user.updated` v1: the new state and the names of the fields that changed. */
export const userUpdatedV1 = defineEvent({
  type: 'identity.user.updated',
  version: 1,
  description: "A user's name, roles, status or email verification changed; `changed` names the fields.",
  schema: z.object({
    user: userSnapshotSchema,
    changed: z.array(z.string()).min(1),
    actor: identityActorSchema,
  }),
});
