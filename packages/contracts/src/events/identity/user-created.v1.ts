import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { userSnapshotSchema } from './identity-snapshots.ts';

/** `identity.user.created` v1: a user was provisioned with a password (seeding, migration), not invited. */
export const userCreatedV1 = defineEvent({
  type: 'identity.user.created',
  version: 1,
  description: 'A user was provisioned directly with a password and a verified email (no invitation).',
  schema: z.object({ user: userSnapshotSchema }),
});
