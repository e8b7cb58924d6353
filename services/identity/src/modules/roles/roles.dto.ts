import { isBuiltInRole, isPermission, PERMISSIONS } from '@only/contracts/auth';
import { idSchema } from '@only/platform/ids';
import { z } from 'zod';
import type { RoleRow } from './roles.table.ts';

export const roleIdParams = z.object({ id: idSchema('rol') });

/** A role name: lowercase letters, digits, `-` and `_`, starting with a letter. */
export const roleNameSchema = z
  .string()
  .trim()
  .min(2)
  .max(40)
  .regex(/^[a-z][a-z0-9_-]*$/, 'Lowercase letters, digits, - and _ only, starting with a letter');

const permissionSchema = z.string().refine(isPermission, {
  message: `Unknown permission; one of ${Object.keys(PERMISSIONS).join(', ')}`,
  params: { rule: 'permission' },
});

const permissionsSchema = z
  .array(permissionSchema)
  .min(1, 'A role grants at least one permission')
  .max(100)
  .transform((list) => [...new Set(list)].sort());

const description = z.string().trim().max(500);

export const createRoleBody = z
  .object({
    name: roleNameSchema.refine((name) => !isBuiltInRole(name), {
      message: 'Is the name of a built-in role',
      params: { rule: 'not_built_in' },
    }),
    description: description.default(''),
    permissions: permissionsSchema,
  })
  .strict()
  .meta({ id: 'CreateRole' });
export type CreateRoleInput = z.output<typeof createRoleBody>;

export const updateRoleBody = z
  .object({
    name: roleNameSchema
      .refine((name) => !isBuiltInRole(name), {
        message: 'Is the name of a built-in role',
        params: { rule: 'not_built_in' },
      })
      .optional(),
    description: description.optional(),
    permissions: permissionsSchema.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'Give at least one of name, description, permissions',
    params: { rule: 'not_empty' },
  })
  .meta({ id: 'UpdateRole' });
export type UpdateRoleInput = z.output<typeof updateRoleBody>;

export const roleSchema = z
  .object({
    id: z.string().nullable().describe('Null for built-in roles.'),
    name: z.string(),
    description: z.string(),
    permissions: z.array(z.string()),
    builtIn: z.boolean(),
    createdAt: z.iso.datetime().nullable(),
    updatedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Role' });
export type Role = z.output<typeof roleSchema>;

export const roleListSchema = z.object({ items: z.array(roleSchema) }).meta({ id: 'RoleList' });

/** The API view of a custom role. */
export function toRole(row: RoleRow): Role {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    permissions: [...row.permissions],
    builtIn: false,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The event view of a custom role. */
export function toRoleSnapshot(row: RoleRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    permissions: [...row.permissions],
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
