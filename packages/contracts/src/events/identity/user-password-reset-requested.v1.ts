import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { oneTimeTokenSchema, tenantForMessagesSchema } from './identity-snapshots.ts';

/**
 * `identity.user.password_reset_requested` v1: someone asked to reset a user's password.
 * Notifications emails the user a link with the single-use reset token.
 */
export const userPasswordResetRequestedV1 = defineEvent({
  type: 'identity.user.password_reset_requested',
  version: 1,
  description:
    'A password reset was requested for an existing, active user: carries the single-use reset token (valid 30 minutes) to email them.',
  schema: z.object({
    user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
    reset: oneTimeTokenSchema,
    tenant: tenantForMessagesSchema,
  }),
});
