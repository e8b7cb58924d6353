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
  'tenant:read': "See the tenant's settings.",
  'tenant:manage': "Change the tenant's settings, branding and allowed origins.",
  'users:read': 'See the users of the tenant.',
  'users:manage': 'Invite, change, disable users and assign their roles.',
  'roles:read': 'See roles and their permissions.',
  'roles:manage': 'Create, change and delete custom roles.',
  'clients:manage': 'Create and revoke API clients (machine credentials).',
  'audit:read': 'Read the audit log of security events.',
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
    description: 'Runs the business: customers, orders, reports.',
    permissions: [
      'customers:read',
      'customers:write',
      'orders:read',
      'orders:create',
      'orders:manage',
      'orders:cancel',
      'reports:read',
      'tenant:read',
      'users:read',
      'roles:read',
    ],
  },
  cashier: {
    description: 'Sells at the counter: customers and new orders.',
    permissions: ['customers:read', 'customers:write', 'orders:read', 'orders:create', 'tenant:read'],
  },
  viewer: { description: 'Sees everything, changes nothing.', permissions: READS },
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
