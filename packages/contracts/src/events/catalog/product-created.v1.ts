import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { productSnapshotSchema } from './catalog-snapshots.ts';

/** `catalog.product.created` v1. */
export const productCreatedV1 = defineEvent({
  type: 'catalog.product.created',
  version: 1,
  description: 'A product was created. Carries the whole product.',
  schema: z.object({ product: productSnapshotSchema }),
});
