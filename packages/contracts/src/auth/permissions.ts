/**
 * Every permission a route can require, as `resource:action`. Roles grant them; access tokens
 * carry them; each route declares exactly one.
 */
export const PERMISSIONS = {
  'customers:read': 'See customers.',
  'customers:write': 'Create, change and delete customers.',
  'orders:read': 'See orders and their history.',
  'orders:create': 'Place orders.',
  'orders:manage': 'Move orders through their lifecycle: confirm, fulfil, complete.',
  'orders:cancel': 'Cancel orders.',
  'reports:read': 'See reports and export them.',
  'products:read': 'See products and categories, and search the catalog.',
  'products:write': 'Create, change and archive products and categories.',
  'stock:read': 'See stock levels, locations, stock movements and reservations.',
  'stock:adjust': 'Adjust stock, transfer it between locations and set reorder points.',
  'stock:reserve': 'Reserve stock for orders, and release or commit reservations.',
  'locations:manage': 'Create and change stock locations.',
  'payments:read': 'See payments, their operations and refunds.',
  'payments:authorize':
    'Take payments: authorize an amount on a payment method and complete its authentication.',
  'payments:capture': 'Capture authorized payments.',
  'payments:void': 'Cancel authorized payments before they are captured.',
  'payments:refund': 'Refund captured payments.',
  'webhooks:manage': 'Create and change webhook endpoints and see their deliveries.',
  'invoices:read': 'See invoices and credit notes, download their PDFs, and see the invoicing settings.',
  'invoices:manage': 'Change invoice numbering and payment terms, and issue credit notes by hand.',
  'notifications:read': 'See notification templates and the delivery log of messages sent.',
  'notifications:manage': "Change the tenant's notification templates.",
  'notifications:inbox':
    'Use your own notification centre: read in-app notifications, follow them live, set your preferences.',
  'tenant:read': "See the tenant's settings.",
  'tenant:manage': "Change the tenant's settings, branding and allowed origins.",
  'users:read': 'See the users of the tenant.',
  'users:manage': 'Invite, change, disable users and assign their roles.',
  'roles:read': 'See roles and their permissions.',
  'roles:manage': 'Create, change and delete custom roles.',
  'clients:manage': 'Create and revoke API clients (machine credentials).',
  'audit:read': 'Read the audit log of security events.',
  'migration:read':
    'See migration runs and their progress, and the legacy rows they quarantined (secret-looking columns masked).',
  'migration:run': 'Start and stop migration runs from legacy systems into the tenant.',
} as const;

/** A permission: `resource:action`. */
export type Permission = keyof typeof PERMISSIONS;

/** Every permission, for validation and for roles that hold them all. */
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

const READS = ALL_PERMISSIONS.filter((p) => p.endsWith(':read') && p !== 'audit:read');

/** The roles every tenant has; tenants add custom roles beside them. */
export const BUILT_IN_ROLES = {
  owner: { description: 'Everything, including the tenant itself.', permissions: ALL_PERMISSIONS },
  admin: {
    description: "Everything but the tenant's own settings.",
    permissions: ALL_PERMISSIONS.filter((p) => p !== 'tenant:manage'),
  },
  manager: {
    description: 'Runs the business: customers, orders, products and stock, payments, reports.',
    permissions: [
      'customers:read',
      'customers:write',
      'orders:read',
      'orders:create',
      'orders:manage',
      'orders:cancel',
      'products:read',
      'products:write',
      'stock:read',
      'stock:adjust',
      'stock:reserve',
      'payments:read',
      'payments:authorize',
      'payments:capture',
      'payments:void',
      'payments:refund',
      'invoices:read',
      'reports:read',
      'notifications:read',
      'notifications:inbox',
      'tenant:read',
      'users:read',
      'roles:read',
      // Fixing quarantined legacy rows is data work; running migrations is not.
      'migration:read',
    ],
  },
  cashier: {
    description: 'Sells at the counter: customers, new orders, the stock they reserve and their payments.',
    permissions: [
      'customers:read',
      'customers:write',
      'orders:read',
      'orders:create',
      'products:read',
      'stock:read',
      'stock:reserve',
      'payments:read',
      'payments:authorize',
      'payments:capture',
      'invoices:read',
      'notifications:inbox',
      'tenant:read',
    ],
  },
  viewer: {
    description: 'Sees everything, changes nothing.',
    // Their own notification centre too: reading notices marks them read, a change of no one else's.
    permissions: [...READS, 'notifications:inbox'],
  },
} as const satisfies Record<string, { description: string; permissions: readonly Permission[] }>;

/** Name of a built-in role. */
export type BuiltInRole = keyof typeof BUILT_IN_ROLES;

/** Whether `name` is one of the built-in roles. */
export function isBuiltInRole(name: string): name is BuiltInRole {
  return Object.hasOwn(BUILT_IN_ROLES, name);
}

/** Whether `value` is a known permission. */
export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}
