import { idSchema } from '@only/platform/ids';
import { z } from 'zod';
import { roleNameSchema } from '../roles/roles.dto.ts';
import type { ApiClientRow } from './clients.table.ts';

export const clientIdParams = z.object({ id: idSchema('cli') });

export const createClientBody = z
  .object({
    name: z.string().trim().min(1, 'Must not be empty').max(200),
    roles: z
      .array(roleNameSchema)
      .min(1, 'A client needs at least one role')
      .max(20)
      .transform((list) => [...new Set(list)]),
  })
  .strict()
  .meta({ id: 'CreateApiClient' });
export type CreateClientInput = z.output<typeof createClientBody>;

export const apiClientSchema = z
  .object({
    id: z.string().describe('The `client_id` of the client-credentials grant.'),
    name: z.string(),
    roles: z.array(z.string()),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiClient' });
export type ApiClient = z.output<typeof apiClientSchema>;

export const createdApiClientSchema = apiClientSchema
  .extend({
    secret: z
      .string()
      .describe('The `client_secret`. Shown only in this response: store it now; it cannot be read again.'),
  })
  .meta({ id: 'CreatedApiClient' });
export type CreatedApiClient = z.output<typeof createdApiClientSchema>;

export const apiClientListSchema = z
  .object({ items: z.array(apiClientSchema) })
  .meta({ id: 'ApiClientList' });

export function toApiClient(row: ApiClientRow): ApiClient {
  return {
    id: row.id,
    name: row.name,
    roles: [...row.roles],
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}
