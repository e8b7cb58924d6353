import { customerSnapshotSchema } from '@only/contracts/orders';
import { z } from 'zod';
import { idSchema } from '@only/platform/ids';
import { pageQuerySchema, pageSchema } from '@only/platform/http';
import type { CustomerRow } from './customers.table.ts';

const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'Must be an email address' }))
  .transform((value) => value.toLowerCase());
const name = z.string().trim().min(1, 'Must not be empty').max(200);
const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ()./-]{3,30}$/, 'Must be a phone number such as +49 30 1234567');

export const customerIdParams = z.object({ id: idSchema('cus') });

export const createCustomerBody = z
  .object({ email, name, phone: phone.nullish() })
  .strict()
  .meta({ id: 'CreateCustomer' });
export type CreateCustomerInput = z.output<typeof createCustomerBody>;

export const updateCustomerBody = z
  .object({ email: email.optional(), name: name.optional(), phone: phone.nullable().optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'Give at least one of email, name, phone',
    params: { rule: 'not_empty' },
  })
  .meta({ id: 'UpdateCustomer' });
export type UpdateCustomerInput = z.output<typeof updateCustomerBody>;

export const listCustomersQuery = pageQuerySchema.extend({
  q: z.string().trim().min(1).max(100).optional().describe('Text to find in the name or email.'),
});
export type ListCustomersQuery = z.output<typeof listCustomersQuery>;

/** A customer as the API returns it: the same shape its events carry. */
export const customerSchema = customerSnapshotSchema.meta({ id: 'Customer' });
export type Customer = z.output<typeof customerSchema>;

export const customerPageSchema = pageSchema(customerSchema).meta({ id: 'CustomerPage' });

/** The API (and event) view of a stored customer. */
export function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    phone: row.phone,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
