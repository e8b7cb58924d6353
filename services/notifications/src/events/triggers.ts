import type { EventOf } from '@only/contracts/envelope';
import type { stockLowV1 } from '@only/contracts/catalog';
import type {
  roleCreatedV1,
  tenantCreatedV1,
  userCreatedV1,
  userInvitedV1,
  userPasswordResetRequestedV1,
} from '@only/contracts/identity';
import type { invoiceIssuedV1 } from '@only/contracts/invoices';
import type { customerCreatedV1, orderPlacedV1, orderStatusChangedV1 } from '@only/contracts/orders';
import type { paymentRefundedV1 } from '@only/contracts/payments';
import type { DirectoryRepository } from '../modules/directory/directory.repository.ts';
import type { OrderSummaryRow } from '../modules/directory/directory.table.ts';
import type { Notifier, SourceEvent } from '../modules/deliveries/notifier.ts';

type TenantSnapshot = EventOf<typeof tenantCreatedV1>['data']['tenant'];
type UserSnapshot = EventOf<typeof userCreatedV1>['data']['user'];
type RoleSnapshot = EventOf<typeof roleCreatedV1>['data']['role'];
type CustomerSnapshot = EventOf<typeof customerCreatedV1>['data']['customer'];

function source(event: { id: string; type: string; correlationId: string }): SourceEvent {
  return { id: event.id, type: event.type, correlationId: event.correlationId };
}

/** The order as templates see it. */
function orderData(order: OrderSummaryRow) {
  return {
    id: order.orderId,
    number: order.number,
    currency: order.currency,
    lines: order.lines,
    totals: order.totals,
    placedAt: order.placedAt.toISOString(),
  };
}

/** The state a later event needs but an earlier one has not brought yet: thrown to be retried. */
export class NotYetKnownError extends Error {
  constructor(what: string) {
    super(`${what} is not known yet; the event is retried`);
    this.name = 'NotYetKnownError';
  }
}

/**
 * What each consumed event does: keeps the directory of tenants, users, roles, customers and
 * orders, and turns the events that concern someone into notifications. Runs inside the inbox
 * transaction of each event.
 */
export class NotificationTriggers {
  private readonly directory: DirectoryRepository;
  private readonly notifier: Notifier;
  /** Base URL of the web app, for the links in account mails. */
  private readonly appUrl: string;

  constructor(deps: { directory: DirectoryRepository; notifier: Notifier; appUrl: string }) {
    this.directory = deps.directory;
    this.notifier = deps.notifier;
    this.appUrl = deps.appUrl.replace(/\/$/, '');
  }

  async tenantChanged(tenant: TenantSnapshot): Promise<void> {
    await this.directory.upsertTenant({
      tenantId: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      locale: tenant.locale,
      timezone: tenant.timezone,
      branding: tenant.branding,
      updatedAt: new Date(tenant.updatedAt),
    });
  }

  async userChanged(tenantId: string, user: UserSnapshot): Promise<void> {
    await this.directory.upsertUser({
      tenantId,
      userId: user.id,
      email: user.email,
      name: user.name,
      roles: user.roles,
      status: user.status,
      updatedAt: new Date(user.updatedAt),
    });
  }

  async roleChanged(tenantId: string, role: RoleSnapshot): Promise<void> {
    await this.directory.upsertRole({
      tenantId,
      roleId: role.id,
      name: role.name,
      permissions: role.permissions,
      updatedAt: new Date(role.updatedAt),
    });
  }

  roleDeleted(tenantId: string, roleId: string): Promise<void> {
    return this.directory.deleteRole(tenantId, roleId);
  }

  private link(path: string, slug: string, token: string): string {
    const query = new URLSearchParams({ tenant: slug, token });
    return `${this.appUrl}${path}?${query.toString()}`;
  }

  async userInvited(event: EventOf<typeof userInvitedV1>): Promise<void> {
    const { user, verification, tenant } = event.data;
    await this.userChanged(event.tenantId, user);
    await this.notifier.notify({
      tenantId: event.tenantId,
      kind: 'invitation',
      event: source(event),
      account: { userId: user.id, email: user.email, name: user.name },
      tenantHint: tenant,
      data: {
        user: { name: user.name, email: user.email },
        acceptUrl: this.link('/accept-invitation', tenant.slug, verification.token),
        expiresAt: verification.expiresAt,
      },
    });
  }

  async passwordResetRequested(event: EventOf<typeof userPasswordResetRequestedV1>): Promise<void> {
    const { user, reset, tenant } = event.data;
    await this.notifier.notify({
      tenantId: event.tenantId,
      kind: 'password_reset',
      event: source(event),
      account: { userId: user.id, email: user.email, name: user.name },
      tenantHint: tenant,
      data: {
        user: { name: user.name, email: user.email },
        resetUrl: this.link('/reset-password', tenant.slug, reset.token),
        expiresAt: reset.expiresAt,
      },
    });
  }

  async customerChanged(tenantId: string, customer: CustomerSnapshot): Promise<void> {
    await this.directory.upsertCustomer({
      tenantId,
      customerId: customer.id,
      email: customer.email,
      name: customer.name,
      phone: customer.phone,
      updatedAt: new Date(customer.updatedAt),
    });
  }

  customerDeleted(tenantId: string, customerId: string, deletedAt: string): Promise<void> {
    return this.directory.deleteCustomer(tenantId, customerId, new Date(deletedAt));
  }

  async orderPlaced(event: EventOf<typeof orderPlacedV1>): Promise<void> {
    const { order } = event.data;
    await this.directory.upsertOrder({
      tenantId: event.tenantId,
      orderId: order.id,
      number: order.number,
      customerId: order.customerId,
      currency: order.currency,
      totals: order.totals,
      lines: order.lines.map((line) => ({
        sku: line.sku,
        name: line.name,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        total: line.total,
      })),
      placedAt: new Date(order.placedAt),
    });
    // An order placed already confirmed (paid at once) gets its confirmation now.
    if (order.status === 'confirmed') await this.orderNotice(event, order.id, 'order_confirmation');
  }

  async orderStatusChanged(event: EventOf<typeof orderStatusChangedV1>): Promise<void> {
    const { orderId, to } = event.data;
    if (to === 'confirmed') await this.orderNotice(event, orderId, 'order_confirmation');
    // Orders has no "shipped" state: an order is fulfilled when it has been shipped.
    else if (to === 'fulfilled') await this.orderNotice(event, orderId, 'shipment');
  }

  private async orderNotice(
    event: { id: string; type: string; correlationId: string; tenantId: string },
    orderId: string,
    kind: 'order_confirmation' | 'shipment',
  ): Promise<void> {
    const order = await this.directory.order(event.tenantId, orderId);
    if (order === undefined) throw new NotYetKnownError(`order ${orderId}`);
    // A deleted customer gets no mail (the notifier skips them); staff are still told.
    const customer = await this.directory.customer(event.tenantId, order.customerId);
    if (customer === undefined) throw new NotYetKnownError(`customer ${order.customerId}`);
    await this.notifier.notify({
      tenantId: event.tenantId,
      kind,
      event: source(event),
      customer,
      data: { order: orderData(order), customer: { name: customer.name } },
      link: `/orders/${orderId}`,
    });
  }

  async invoiceIssued(event: EventOf<typeof invoiceIssuedV1>): Promise<void> {
    const { invoice } = event.data;
    const known = await this.directory.customer(event.tenantId, invoice.customer.id);
    // The invoice names its customer as the order did: enough to mail them even if unseen here.
    const customer = known ?? {
      tenantId: event.tenantId,
      customerId: invoice.customer.id,
      email: invoice.customer.email,
      name: invoice.customer.name,
      phone: null,
      locale: null,
      updatedAt: new Date(invoice.issuedAt),
      deletedAt: null,
    };
    await this.notifier.notify({
      tenantId: event.tenantId,
      kind: 'invoice_issued',
      event: source(event),
      customer: { ...customer, email: invoice.customer.email || customer.email },
      data: {
        customer: { name: invoice.customer.name },
        invoice: {
          id: invoice.id,
          number: invoice.number,
          total: invoice.totals.total,
          tax: invoice.totals.tax,
          currency: invoice.currency,
          issueDate: invoice.issueDate,
          dueDate: invoice.dueDate,
          lines: invoice.lines,
        },
        order: { id: invoice.orderId, number: invoice.orderNumber },
      },
      link: `/invoices/${invoice.id}`,
    });
  }

  async paymentRefunded(event: EventOf<typeof paymentRefundedV1>): Promise<void> {
    const { data } = event;
    const order = await this.directory.order(event.tenantId, data.orderId);
    const customerId = data.customerId ?? order?.customerId;
    if (customerId === undefined) throw new NotYetKnownError(`the customer of order ${data.orderId}`);
    const customer = await this.directory.customer(event.tenantId, customerId);
    if (customer === undefined) throw new NotYetKnownError(`customer ${customerId}`);
    await this.notifier.notify({
      tenantId: event.tenantId,
      kind: 'payment_refunded',
      event: source(event),
      customer,
      data: {
        customer: { name: customer.name },
        payment: {
          amount: data.amount.amount,
          currency: data.amount.currency,
          fullyRefunded: data.fullyRefunded,
        },
        order: order === undefined ? null : { id: order.orderId, number: order.number },
      },
    });
  }

  async stockLow(event: EventOf<typeof stockLowV1>): Promise<void> {
    const { level, name } = event.data;
    await this.notifier.notify({
      tenantId: event.tenantId,
      kind: 'low_stock',
      event: source(event),
      data: {
        product: { id: level.productId, sku: level.sku, name },
        stock: {
          available: level.available,
          onHand: level.onHand,
          reorderPoint: level.reorderPoint,
          locationId: level.locationId,
        },
      },
      link: `/products/${level.productId}`,
    });
  }
}
