import { z } from 'zod';

/** The apps of the Only web client a tenant can enable. */
export const tenantAppSchema = z.enum([
  'back-office',
  'point-of-sale',
  'inventory',
  'manufacturing',
  'migration-console',
]);
export type TenantApp = z.infer<typeof tenantAppSchema>;

/** Lifecycle of a tenant: a suspended tenant's users cannot sign in. */
export const tenantStatusSchema = z.enum(['active', 'suspended']);

/** How the web app looks for a tenant (white label). */
export const brandingSchema = z.object({
  /** An http(s) URL, a root-relative path, or a `data:image/…` URL; null for the name as text. */
  logoUrl: z.string().nullable(),
  colors: z.object({
    primary: z.string(),
    secondary: z.string(),
    background: z.string(),
    text: z.string(),
  }),
  fontFamily: z.string().nullable(),
});
export type Branding = z.infer<typeof brandingSchema>;

/** A tenant as events carry it. */
export const tenantSnapshotSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  branding: brandingSchema,
  enabledApps: z.array(tenantAppSchema),
  locale: z.string(),
  currency: z.string().length(3),
  timezone: z.string(),
  allowedOrigins: z.array(z.string()),
  status: tenantStatusSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TenantSnapshot = z.infer<typeof tenantSnapshotSchema>;

/** Whether a user may sign in. */
export const userStatusSchema = z.enum(['active', 'disabled']);

/** A user as events carry it: never a password or its hash. */
export const userSnapshotSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  status: userStatusSchema,
  emailVerifiedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type UserSnapshot = z.infer<typeof userSnapshotSchema>;

/** What a message to a user needs to know about their tenant (language, name for the greeting). */
export const tenantForMessagesSchema = z.object({
  slug: z.string(),
  name: z.string(),
  locale: z.string(),
});

/**
 * A single-use token sent to a user by email. It travels in the event because the notifications
 * service must put it into a link; the identity service itself keeps only its SHA-256 hash.
 */
export const oneTimeTokenSchema = z.object({
  token: z.string().min(32),
  expiresAt: z.iso.datetime(),
});

/** A custom role as events carry it. */
export const roleSnapshotSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  permissions: z.array(z.string()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

/** An API client as events carry it: never its secret. */
export const apiClientSnapshotSchema = z.object({
  id: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  createdAt: z.iso.datetime(),
});

/** Who made a change. */
export const identityActorSchema = z.object({
  type: z.enum(['user', 'client', 'system', 'anonymous']),
  id: z.string().nullable(),
});
