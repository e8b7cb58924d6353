import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { productSnapshotSchema } from './catalog-snapshots.ts';

/** `catalog.product.updated` v1: the new state and the names of the fields that changed. */
export const productUpdatedV1 = defineEvent({
  type: 'catalog.product.updated',
  version: 1,
  description:
    'A product was changed (archiving included: `status` becomes `archived`); `changed` names the fields.',
  schema: z.object({ product: productSnapshotSchema, changed: z.array(z.string()).min(1) }),
});
