import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { apiClientSnapshotSchema } from './identity-snapshots.ts';

/** `identity.client.created` v1: an API client (machine credentials) was created. */
export const apiClientCreatedV1 = defineEvent({
  type: 'identity.client.created',
  version: 1,
  description: 'An API client was created (its secret is never in an event).',
  schema: z.object({ client: apiClientSnapshotSchema }),
});

/** `identity.client.revoked` v1: an API client can no longer get tokens. */
export const apiClientRevokedV1 = defineEvent({
  type: 'identity.client.revoked',
  version: 1,
  description: 'An API client was revoked: it can no longer get access tokens.',
  schema: z.object({ clientId: z.string(), revokedAt: z.iso.datetime() }),
});
