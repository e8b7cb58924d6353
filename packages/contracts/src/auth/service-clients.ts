import type { Permission } from './permissions.ts';

/**
 * What each platform service may do in the other services on a tenant's behalf when no user is
 * acting — an event handler, a scheduled job. Its machine tokens carry exactly these permissions;
 * a service absent here gets no machine token at all.
 */
export const SERVICE_PERMISSIONS: Readonly<Record<string, readonly Permission[]>> = {
  // The order saga's asynchronous steps: commit, release or return reservations; capture, void or
  // refund payments; and, to recover an authorization whose outcome a crash left unknown, repeat
  // it under its idempotency key (payments answers the first outcome) before voiding it.
  orders: [
    'products:read',
    'stock:reserve',
    'payments:authorize',
    'payments:capture',
    'payments:void',
    'payments:refund',
  ],
  // Order details for the invoice.
  invoices: ['orders:read'],
};
