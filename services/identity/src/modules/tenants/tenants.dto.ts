import {
  brandingSchema,
  tenantAppSchema,
  tenantSnapshotSchema,
  type TenantSnapshot,
} from '@only/contracts/identity';
import { currencySchema } from '@only/platform/money';
import { z } from 'zod';
import type { TenantRow } from './tenants.table.ts';

/** A tenant slug: the name in URLs and at sign-in. */
export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(2)
  .max(40)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'Lowercase letters, digits and inner hyphens only');

export const slugParams = z.object({ slug: slugSchema });

const hexColor = z
  .string()
  .trim()
  .regex(/^#(?:[0-9a-fA-F]{3}){1,2}$/, 'Must be a hex colour such as #6f4e37')
  .transform((value) => value.toLowerCase());

const logoUrl = z
  .string()
  .trim()
  .max(100_000)
  .refine(
    (value) =>
      /^https?:\/\/[^\s]+$/.test(value) ||
      /^\/[^\s/][^\s]*$/.test(value) ||
      /^data:image\/(?:png|jpeg|webp|gif|svg\+xml)(?:;base64)?,[^\s]+$/.test(value),
    {
      message: 'Must be an http(s) URL, a root-relative path or a data:image URL',
      params: { rule: 'logo_url' },
    },
  );

// Used inside CSS: letters, digits, spaces, quotes, commas and hyphens only, so nothing can escape.
const fontFamily = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\w\s,'"-]+$/, 'Font names, quotes, commas and hyphens only');

const colorsSchema = z.object({
  primary: hexColor,
  secondary: hexColor,
  background: hexColor,
  text: hexColor,
});

export const brandingInput = z
  .object({ logoUrl: logoUrl.nullable(), colors: colorsSchema.strict(), fontFamily: fontFamily.nullable() })
  .strict();

/** A BCP 47 language tag, canonicalized (`de-de` → `de-DE`). */
export const localeSchema = z
  .string()
  .trim()
  .min(2)
  .max(35)
  .refine(
    (value) => {
      try {
        return Intl.getCanonicalLocales(value).length === 1;
      } catch {
        return false;
      }
    },
    { message: 'Must be a BCP 47 language tag such as de-DE', params: { rule: 'locale' } },
  )
  .transform((value) => Intl.getCanonicalLocales(value)[0] ?? value);

/** An IANA time zone such as Europe/Berlin. */
export const timezoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(
    (value) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: value });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'Must be an IANA time zone such as Europe/Berlin', params: { rule: 'timezone' } },
  );

/** A web origin (`https://shop.example.com`): scheme, host and port, nothing else. */
const originSchema = z
  .string()
  .trim()
  .max(255)
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (
          (url.protocol === 'https:' || url.protocol === 'http:') &&
          url.origin === value.replace(/\/$/, '').toLowerCase()
        );
      } catch {
        return false;
      }
    },
    { message: 'Must be an origin such as https://shop.example.com (no path)', params: { rule: 'origin' } },
  )
  .transform((value) => new URL(value).origin);

const enabledAppsSchema = z
  .array(tenantAppSchema)
  .max(tenantAppSchema.options.length)
  .transform((apps) => tenantAppSchema.options.filter((app) => apps.includes(app)));

const allowedOriginsSchema = z
  .array(originSchema)
  .max(20)
  .transform((origins) => [...new Set(origins)]);

const nameSchema = z.string().trim().min(1, 'Must not be empty').max(200);

/** A new tenant (seeding, provisioning). */
export const createTenantInput = z
  .object({
    id: z.string().optional(),
    slug: slugSchema,
    name: nameSchema,
    branding: brandingInput,
    enabledApps: enabledAppsSchema,
    locale: localeSchema,
    currency: currencySchema,
    timezone: timezoneSchema,
    allowedOrigins: allowedOriginsSchema.default([]),
  })
  .strict();
export type CreateTenantInput = z.input<typeof createTenantInput>;

export const updateTenantBody = z
  .object({
    name: nameSchema.optional(),
    branding: z
      .object({
        logoUrl: logoUrl.nullable().optional(),
        colors: colorsSchema.partial().strict().optional(),
        fontFamily: fontFamily.nullable().optional(),
      })
      .strict()
      .optional()
      .describe('Only the members given change.'),
    enabledApps: enabledAppsSchema.optional(),
    locale: localeSchema.optional(),
    currency: currencySchema.optional(),
    timezone: timezoneSchema.optional(),
    allowedOrigins: allowedOriginsSchema.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'Give at least one setting to change',
    params: { rule: 'not_empty' },
  })
  .meta({ id: 'UpdateTenant' });
export type UpdateTenantInput = z.output<typeof updateTenantBody>;

/** A tenant as the API (and its events) show it. */
export const tenantSchema = tenantSnapshotSchema.meta({ id: 'Tenant' });
export type Tenant = TenantSnapshot;

/** What the web app needs before anyone signs in. */
export const tenantBrandingSchema = z
  .object({
    name: z.string(),
    branding: brandingSchema,
    enabledApps: z.array(tenantAppSchema),
    locale: z.string(),
  })
  .meta({ id: 'TenantBranding' });
export type TenantBranding = z.output<typeof tenantBrandingSchema>;

export function toTenant(row: TenantRow): Tenant {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    branding: row.branding,
    enabledApps: [...row.enabledApps],
    locale: row.locale,
    currency: row.currency,
    timezone: row.timezone,
    allowedOrigins: [...row.allowedOrigins],
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toTenantBranding(row: TenantRow): TenantBranding {
  return { name: row.name, branding: row.branding, enabledApps: [...row.enabledApps], locale: row.locale };
}
