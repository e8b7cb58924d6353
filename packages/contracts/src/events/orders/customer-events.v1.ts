import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { customerSnapshotSchema } from './order-snapshot.ts';

/** `orders.customer.created` v1. */
export const customerCreatedV1 = defineEvent({
  type: 'orders.customer.created',
  version: 1,
  description: 'A customer was created.',
  schema: z.object({ customer: customerSnapshotSchema }),
});

/** `orders.customer.updated` v1: carries the names of the fields that changed and the new state. */
export const customerUpdatedV1 = defineEvent({
  type: 'orders.customer.updated',
  version: 1,
  description: 'A customer was changed; `changed` names the fields.',
  schema: z.object({ customer: customerSnapshotSchema, changed: z.array(z.string()).min(1) }),
});

/** `orders.customer.deleted` v1: the customer was soft-deleted. */
export const customerDeletedV1 = defineEvent({
  type: 'orders.customer.deleted',
  version: 1,
  description: 'A customer was deleted (soft delete: their orders remain).',
  schema: z.object({ customerId: z.string(), deletedAt: z.iso.datetime() }),
});
