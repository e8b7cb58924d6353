import { jsonb, primaryKey, text, unique } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { notificationsSchema } from '../../db/notifications-schema.ts';

/** How a tenant's messages look: kept from identity's tenant events (white label). */
export interface TenantBranding {
  readonly logoUrl: string | null;
  readonly colors: { primary: string; secondary: string; background: string; text: string };
  readonly fontFamily: string | null;
}

/** Each tenant's name, language and branding, as identity last announced them. */
export const tenantProfiles = notificationsSchema.table('tenant_profiles', {
  tenantId: text('tenant_id').primaryKey(),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  locale: text('locale').notNull(),
  timezone: text('timezone').notNull().default('UTC'),
  branding: jsonb('branding').$type<TenantBranding>(),
  updatedAt: timestamptz('updated_at').notNull(),
});

/** The tenant's users (staff), to address account mails and staff notices. */
export const staffUsers = notificationsSchema.table(
  'staff_users',
  {
    tenantId: text('tenant_id').notNull(),
    userId: text('user_id').notNull(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    roles: text('roles').array().notNull(),
    status: text('status').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (t) => [primaryKey({ name: 'staff_users_pk', columns: [t.tenantId, t.userId] })],
);

/** The tenant's custom roles, to know which users hold a permission through them. */
export const staffRoles = notificationsSchema.table(
  'staff_roles',
  {
    tenantId: text('tenant_id').notNull(),
    roleId: text('role_id').notNull(),
    name: text('name').notNull(),
    permissions: text('permissions').array().notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'staff_roles_pk', columns: [t.tenantId, t.roleId] }),
    unique('staff_roles_tenant_name_key').on(t.tenantId, t.name),
  ],
);

/** Customers' contact details, kept from orders' customer events. */
export const customerContacts = notificationsSchema.table(
  'customer_contacts',
  {
    tenantId: text('tenant_id').notNull(),
    customerId: text('customer_id').notNull(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    phone: text('phone'),
    /** Orders' events carry no language of the customer yet; the tenant's is used meanwhile. */
    locale: text('locale'),
    updatedAt: timestamptz('updated_at').notNull(),
    deletedAt: timestamptz('deleted_at'),
  },
  (t) => [primaryKey({ name: 'customer_contacts_pk', columns: [t.tenantId, t.customerId] })],
);

/** An order line as messages show it. */
export interface OrderLineSummary {
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly total: number;
}

/** What messages about an order need of it, kept from `orders.order.placed`. */
export const orderSummaries = notificationsSchema.table(
  'order_summaries',
  {
    tenantId: text('tenant_id').notNull(),
    orderId: text('order_id').notNull(),
    number: text('number').notNull(),
    customerId: text('customer_id').notNull(),
    currency: text('currency').notNull(),
    totals: jsonb('totals').$type<{ subtotal: number; tax: number; grandTotal: number }>().notNull(),
    lines: jsonb('lines').$type<OrderLineSummary[]>().notNull(),
    placedAt: timestamptz('placed_at').notNull(),
  },
  (t) => [primaryKey({ name: 'order_summaries_pk', columns: [t.tenantId, t.orderId] })],
);

export type TenantProfileRow = typeof tenantProfiles.$inferSelect;
export type StaffUserRow = typeof staffUsers.$inferSelect;
export type CustomerContactRow = typeof customerContacts.$inferSelect;
export type OrderSummaryRow = typeof orderSummaries.$inferSelect;
