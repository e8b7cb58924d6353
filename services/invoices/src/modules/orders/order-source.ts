import type { OrderStatus as OrderStatusName } from '@only/contracts/orders';
import { moneyOf, type Money } from '@only/contracts/rpc';
import { OrdersService, OrderStatus, type Order } from '@only/contracts/rpc/orders';
import { isAppError } from '@only/platform/errors';
import type { CallContext, RpcConnector } from '@only/platform/rpc';
import type { PostalAddress } from '../invoices/invoices.table.ts';

/** An order as an invoice needs it; amounts in integer minor units of `currency`. */
export interface OrderDetails {
  readonly id: string;
  readonly number: string;
  readonly status: OrderStatusName | 'failed';
  readonly currency: string;
  readonly customer: {
    readonly id: string;
    readonly name: string;
    readonly email: string;
    readonly billingAddress: PostalAddress | null;
  };
  readonly lines: readonly {
    readonly sku: string;
    readonly name: string;
    readonly quantity: number;
    readonly unitPrice: number;
    readonly taxRateBps: number;
    readonly subtotal: number;
    readonly tax: number;
    readonly total: number;
  }[];
  readonly totals: { readonly subtotal: number; readonly tax: number; readonly total: number };
}

/** Where invoices get order details from. */
export interface OrderSource {
  /** The order, as the orders service has it now; rejects with orders' problem if it cannot say. */
  get(ctx: CallContext, orderId: string): Promise<OrderDetails>;
}

const STATUSES: Partial<Record<OrderStatus, OrderDetails['status']>> = {
  [OrderStatus.PENDING]: 'pending',
  [OrderStatus.CONFIRMED]: 'confirmed',
  [OrderStatus.FULFILLED]: 'fulfilled',
  [OrderStatus.COMPLETED]: 'completed',
  [OrderStatus.CANCELLED]: 'cancelled',
  [OrderStatus.FAILED]: 'failed',
};

/** The order in domain terms; every amount must be in the order's currency. */
export function toOrderDetails(order: Order): OrderDetails {
  const { currency } = order;
  const amount = (money: Money | undefined, what: string) => {
    const value = moneyOf(money, currency);
    if (value.currency !== currency)
      throw new Error(`order ${order.id}: ${what} is in ${value.currency}, the order in ${currency}`);
    return value.amount;
  };
  const status = STATUSES[order.status];
  if (status === undefined)
    throw new Error(`order ${order.id} has an unknown status ${String(order.status)}`);
  const customer = order.customer;
  const address = customer?.billingAddress;
  return {
    id: order.id,
    number: order.number,
    status,
    currency,
    customer: {
      id: customer?.id ?? '',
      name: customer?.name ?? '',
      email: customer?.email ?? '',
      billingAddress:
        address === undefined
          ? null
          : {
              lines: [...address.lines],
              postalCode: address.postalCode,
              city: address.city,
              region: address.region ?? null,
              country: address.country,
            },
    },
    lines: order.lines.map((line, index) => ({
      sku: line.sku,
      name: line.name,
      quantity: line.quantity,
      unitPrice: amount(line.unitPrice, `line ${String(index + 1)} unit price`),
      taxRateBps: line.taxRateBps,
      subtotal: amount(line.subtotal, `line ${String(index + 1)} subtotal`),
      tax: amount(line.tax, `line ${String(index + 1)} tax`),
      total: amount(line.total, `line ${String(index + 1)} total`),
    })),
    totals: {
      subtotal: amount(order.totals?.subtotal, 'subtotal'),
      tax: amount(order.totals?.tax, 'tax'),
      total: amount(order.totals?.grandTotal, 'grand total'),
    },
  };
}

/**
 * Order details through the orders service's `GetOrder` (in-process or gRPC, as the host wired
 * `rpc`). Calls no user started carry the client's machine token.
 */
export function rpcOrderSource(
  rpc: RpcConnector | undefined,
  options: { timeoutMs?: number } = {},
): OrderSource {
  return {
    async get(ctx, orderId) {
      if (rpc === undefined)
        throw new Error('invoices reads orders through internal RPC, and its host gave it no RPC connector');
      const response = await rpc
        .client(OrdersService)
        .getOrder(ctx, { orderId }, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs })
        .catch((error: unknown) => {
          // Event handlers' failures end up in logs and dead letters: say which problem it was.
          if (!isAppError(error)) throw error;
          throw new Error(`GetOrder ${orderId} failed: ${error.code}: ${error.message}`, { cause: error });
        });
      if (response.order === undefined) throw new Error(`GetOrder answered no order for ${orderId}`);
      return toOrderDetails(response.order);
    },
  };
}
