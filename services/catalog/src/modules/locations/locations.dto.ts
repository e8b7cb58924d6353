import { pageQuerySchema, pageSchema } from '@only/platform/http';
import { idSchema } from '@only/platform/ids';
import { z } from 'zod';
import type { LocationRow } from './locations.table.ts';

const code = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'Letters, digits, _ and - only')
  .transform((value) => value.toUpperCase())
  .describe('Short code, unique in the tenant; stored in upper case.');
const name = z.string().trim().min(1, 'Must not be empty').max(200);

export const locationIdParams = z.object({ id: idSchema('loc') });

export const createLocationBody = z
  .object({
    code,
    name,
    isDefault: z
      .boolean()
      .optional()
      .describe('Make it the default location (the first active location of a tenant always is).'),
    active: z.boolean().default(true),
  })
  .strict()
  .meta({ id: 'CreateLocation' });
export type CreateLocationInput = z.output<typeof createLocationBody>;

export const updateLocationBody = z
  .object({
    code: code.optional(),
    name: name.optional(),
    isDefault: z
      .literal(true, { message: 'A location stops being the default when another one becomes it' })
      .optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'Give at least one of code, name, isDefault, active',
    params: { rule: 'not_empty' },
  })
  .meta({ id: 'UpdateLocation' });
export type UpdateLocationInput = z.output<typeof updateLocationBody>;

export const listLocationsQuery = pageQuerySchema;
export type ListLocationsQuery = z.output<typeof listLocationsQuery>;

export const locationSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    isDefault: z.boolean(),
    active: z.boolean(),
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Location' });
export type Location = z.output<typeof locationSchema>;

export const locationPageSchema = pageSchema(locationSchema).meta({ id: 'LocationPage' });

export function toLocation(row: LocationRow): Location {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    isDefault: row.isDefault,
    active: row.active,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
