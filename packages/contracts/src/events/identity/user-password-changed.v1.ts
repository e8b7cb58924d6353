import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';

/** `identity.user.password_changed` v1: a user's password was set; their sessions were ended. */
export const userPasswordChangedV1 = defineEvent({
  type: 'identity.user.password_changed',
  version: 1,
  description:
    "A user's password was changed (by a reset, or set when accepting an invitation); every refresh token of the user was revoked.",
  schema: z.object({
    userId: z.string(),
    email: z.string(),
    reason: z.enum(['password_reset', 'invitation_accepted']),
    changedAt: z.iso.datetime(),
  }),
});
