import { userStatusSchema, type UserSnapshot } from '@only/contracts/identity';
import { pageQuerySchema, pageSchema } from '@only/platform/http';
import { idSchema } from '@only/platform/ids';
import { z } from 'zod';
import { roleNameSchema } from '../roles/roles.dto.ts';
import type { UserRow } from './users.table.ts';

/** An email address, trimmed and lowercased (emails are unique per tenant regardless of case). */
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'Must be an email address' }))
  .transform((value) => value.toLowerCase());

const name = z.string().trim().min(1, 'Must not be empty').max(200);

const rolesSchema = z
  .array(roleNameSchema)
  .min(1, 'A user needs at least one role')
  .max(20)
  .transform((list) => [...new Set(list)]);

export const userIdParams = z.object({ id: idSchema('usr') });

export const createUserBody = z
  .object({ email: emailSchema, name, roles: rolesSchema })
  .strict()
  .meta({ id: 'InviteUser' });
export type CreateUserInput = z.output<typeof createUserBody>;

export const updateUserBody = z
  .object({ name: name.optional(), roles: rolesSchema.optional(), status: userStatusSchema.optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'Give at least one of name, roles, status',
    params: { rule: 'not_empty' },
  })
  .meta({ id: 'UpdateUser' });
export type UpdateUserInput = z.output<typeof updateUserBody>;

export const listUsersQuery = pageQuerySchema.extend({
  q: z.string().trim().min(1).max(100).optional().describe('Text to find in the name or email.'),
  status: userStatusSchema.optional(),
});
export type ListUsersQuery = z.output<typeof listUsersQuery>;

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    roles: z.array(z.string()),
    status: userStatusSchema,
    emailVerifiedAt: z.iso.datetime().nullable(),
    lockedUntil: z.iso.datetime().nullable().describe('Set while sign-ins are locked after failures.'),
    lastLoginAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });
export type User = z.output<typeof userSchema>;

export const userPageSchema = pageSchema(userSchema).meta({ id: 'UserPage' });

export const meSchema = z
  .object({
    user: userSchema,
    tenant: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    permissions: z.array(z.string()).describe('What the access token used grants.'),
  })
  .meta({ id: 'Me' });
export type Me = z.output<typeof meSchema>;

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    roles: [...row.roles],
    status: row.status,
    emailVerifiedAt: row.emailVerifiedAt?.toISOString() ?? null,
    lockedUntil: row.lockedUntil?.toISOString() ?? null,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The event view of a user: no password hash, no sign-in counters. */
export function toUserSnapshot(row: UserRow): UserSnapshot {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    roles: [...row.roles],
    status: row.status,
    emailVerifiedAt: row.emailVerifiedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
