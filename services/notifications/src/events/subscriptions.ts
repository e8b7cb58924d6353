import type { EventData, EventDefinition, EventEnvelope, EventOf } from '@only/contracts/envelope';
import { stockLowV1 } from '@only/contracts/catalog';
import {
  roleCreatedV1,
  roleDeletedV1,
  roleUpdatedV1,
  tenantCreatedV1,
  tenantUpdatedV1,
  userCreatedV1,
  userInvitedV1,
  userPasswordResetRequestedV1,
  userUpdatedV1,
} from '@only/contracts/identity';
import { invoiceIssuedV1 } from '@only/contracts/invoices';
import {
  customerCreatedV1,
  customerDeletedV1,
  customerUpdatedV1,
  orderPlacedV1,
  orderStatusChangedV1,
} from '@only/contracts/orders';
import { paymentRefundedV1 } from '@only/contracts/payments';
import type { EventBus, EventHandlers } from '@only/platform/bus';
import { consumeEvents, type Inbox } from '@only/platform/inbox';
import type { NotificationHub } from '../modules/in-app/notification-hub.ts';
import { inAppNotificationCreatedV1 } from './notification-created.v1.ts';
import type { NotificationTriggers } from './triggers.ts';

/** The consumer (queue) name of the notifications service. */
export const NOTIFICATIONS_CONSUMER = 'notifications';
/** The per-replica (broadcast) subscription that feeds the live streams. */
export const NOTIFICATIONS_STREAM_CONSUMER = 'notifications-stream';

const CONSUMED = [
  tenantCreatedV1,
  tenantUpdatedV1,
  userCreatedV1,
  userInvitedV1,
  userUpdatedV1,
  userPasswordResetRequestedV1,
  roleCreatedV1,
  roleUpdatedV1,
  roleDeletedV1,
  customerCreatedV1,
  customerUpdatedV1,
  customerDeletedV1,
  orderPlacedV1,
  orderStatusChangedV1,
  stockLowV1,
  invoiceIssuedV1,
  paymentRefundedV1,
] as const;

/** The event types notifications consumes: what its queue is provisioned with before it first starts. */
export const notificationsConsumers = [
  { consumer: NOTIFICATIONS_CONSUMER, patterns: CONSUMED.map((definition) => definition.type) },
] as const;

/**
 * A handler for one event definition: the data is checked against that version's schema, and an
 * unknown version fails (to be retried, then dead-lettered) rather than being read wrongly.
 */
function on<D extends EventDefinition>(
  definition: D,
  handle: (event: EventOf<D>) => Promise<void>,
): (event: EventEnvelope) => Promise<void> {
  return async (event) => {
    if (event.version !== definition.version) {
      throw new Error(
        `notifications handles ${definition.type} v${definition.version}, not v${event.version}`,
      );
    }
    const data = definition.schema.parse(event.data) as EventData<D>;
    await handle({ ...event, type: definition.type, data });
  };
}

/** The events notifications consumes and what each one does. */
export function notificationsHandlers(triggers: NotificationTriggers): EventHandlers {
  return {
    [tenantCreatedV1.type]: on(tenantCreatedV1, (e) => triggers.tenantChanged(e.data.tenant)),
    [tenantUpdatedV1.type]: on(tenantUpdatedV1, (e) => triggers.tenantChanged(e.data.tenant)),
    [userCreatedV1.type]: on(userCreatedV1, (e) => triggers.userChanged(e.tenantId, e.data.user)),
    [userUpdatedV1.type]: on(userUpdatedV1, (e) => triggers.userChanged(e.tenantId, e.data.user)),
    [userInvitedV1.type]: on(userInvitedV1, (e) => triggers.userInvited(e)),
    [userPasswordResetRequestedV1.type]: on(userPasswordResetRequestedV1, (e) =>
      triggers.passwordResetRequested(e),
    ),
    [roleCreatedV1.type]: on(roleCreatedV1, (e) => triggers.roleChanged(e.tenantId, e.data.role)),
    [roleUpdatedV1.type]: on(roleUpdatedV1, (e) => triggers.roleChanged(e.tenantId, e.data.role)),
    [roleDeletedV1.type]: on(roleDeletedV1, (e) => triggers.roleDeleted(e.tenantId, e.data.roleId)),
    [customerCreatedV1.type]: on(customerCreatedV1, (e) =>
      triggers.customerChanged(e.tenantId, e.data.customer),
    ),
    [customerUpdatedV1.type]: on(customerUpdatedV1, (e) =>
      triggers.customerChanged(e.tenantId, e.data.customer),
    ),
    [customerDeletedV1.type]: on(customerDeletedV1, (e) =>
      triggers.customerDeleted(e.tenantId, e.data.customerId, e.data.deletedAt),
    ),
    [orderPlacedV1.type]: on(orderPlacedV1, (e) => triggers.orderPlaced(e)),
    [orderStatusChangedV1.type]: on(orderStatusChangedV1, (e) => triggers.orderStatusChanged(e)),
    [stockLowV1.type]: on(stockLowV1, (e) => triggers.stockLow(e)),
    [invoiceIssuedV1.type]: on(invoiceIssuedV1, (e) => triggers.invoiceIssued(e)),
    [paymentRefundedV1.type]: on(paymentRefundedV1, (e) => triggers.paymentRefunded(e)),
  };
}

/**
 * Subscribes notifications' handlers through the inbox (each handler's writes and the record that
 * the event was processed commit together: a redelivered event queues no second message), and
 * the broadcast subscription that pushes new in-app notifications to this replica's live streams.
 */
export async function subscribeNotifications(options: {
  bus: EventBus;
  inbox: Inbox;
  handlers: EventHandlers;
  hub: NotificationHub;
}): Promise<void> {
  await consumeEvents({
    bus: options.bus,
    inbox: options.inbox,
    consumer: NOTIFICATIONS_CONSUMER,
    handlers: options.handlers,
  });
  await options.bus.subscribe({
    consumer: NOTIFICATIONS_STREAM_CONSUMER,
    patterns: [inAppNotificationCreatedV1.type],
    broadcast: true,
    handler: (event) => {
      const { notification } = inAppNotificationCreatedV1.schema.parse(event.data);
      options.hub.publish(event.tenantId, notification);
      return Promise.resolve();
    },
  });
}
