import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import {
  identityActorSchema,
  oneTimeTokenSchema,
  tenantForMessagesSchema,
  userSnapshotSchema,
} from './identity-snapshots.ts';

/**
 * `identity.user.invited` v1: a user was invited. Notifications emails them a link with the
 * single-use verification token; following it verifies the email and sets a first password.
 */
export const userInvitedV1 = defineEvent({
  type: 'identity.user.invited',
  version: 1,
  description:
    'A user was invited: carries the single-use email-verification token (and its expiry) to email them, and the tenant locale to write in.',
  schema: z.object({
    user: userSnapshotSchema,
    verification: oneTimeTokenSchema,
    tenant: tenantForMessagesSchema,
    invitedBy: identityActorSchema,
  }),
});
