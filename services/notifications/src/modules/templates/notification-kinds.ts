import type { Permission } from '@only/contracts/auth';

/** What a notification is about; each kind has its templates, audience and channels. */
export const NOTIFICATION_KINDS = [
  'order_confirmation',
  'shipment',
  'invoice_issued',
  'payment_refunded',
  'low_stock',
  'password_reset',
  'invitation',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** How a message reaches its recipient. */
export const CHANNELS = ['email', 'sms', 'in_app'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Staff who get a kind: users holding `permission`, on `channels`, each on or off by default. */
export interface StaffAudience {
  readonly permission: Permission;
  readonly defaults: Readonly<Partial<Record<Channel, boolean>>>;
}

/** Who gets each kind and how. */
export interface KindPolicy {
  /** Channels to the order's customer (transactional: customers have no preferences). */
  readonly customer?: readonly Channel[];
  /** In-app (and opt-in email) notices to the tenant's staff; users choose in their preferences. */
  readonly staff?: StaffAudience;
  /** Mails to one user about their own account: always sent, preferences cannot turn them off. */
  readonly account?: readonly Channel[];
  /** The message carries a secret (a single-use link): its body is erased once delivered or given up. */
  readonly sensitive?: boolean;
}

export const KIND_POLICIES: Readonly<Record<NotificationKind, KindPolicy>> = {
  order_confirmation: {
    customer: ['email', 'sms'],
    staff: { permission: 'orders:manage', defaults: { in_app: true, email: false } },
  },
  shipment: { customer: ['email', 'sms'] },
  invoice_issued: { customer: ['email'] },
  payment_refunded: { customer: ['email'] },
  low_stock: { staff: { permission: 'stock:adjust', defaults: { in_app: true, email: false } } },
  password_reset: { account: ['email'], sensitive: true },
  invitation: { account: ['email'], sensitive: true },
};

/** The channels a user can turn on or off for a kind (empty for kinds that are not theirs to choose). */
export function choosableChannels(kind: NotificationKind): Channel[] {
  const staff = KIND_POLICIES[kind].staff;
  return staff === undefined ? [] : (Object.keys(staff.defaults) as Channel[]);
}
