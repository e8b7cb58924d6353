import type { RequestContext } from '@only/platform/context';
import type { Id } from '@only/platform/ids';
import type { CustomersService } from '../modules/customers/customers.service.ts';
import type { OrderAction } from '../modules/orders/order-state-machine.ts';
import type { OrdersService } from '../modules/orders/orders.service.ts';

const CUSTOMERS = [
  ['Ada Lovelace', 'ada@example.com', '+44 20 7946 0001'],
  ['Grace Hopper', 'grace@example.com', '+1 202 555 0102'],
  ['Alan Turing', 'alan@example.com', null],
  ['Katherine Johnson', 'katherine@example.com', '+1 757 555 0104'],
  ['Edsger Dijkstra', 'edsger@example.com', '+31 20 555 0105'],
  ['Barbara Liskov', 'barbara@example.com', null],
  ['Donald Knuth', 'don@example.com', '+1 650 555 0107'],
  ['Margaret Hamilton', 'margaret@example.com', '+1 617 555 0108'],
] as const;

const PRODUCTS = [
  { sku: 'COF-ESP-250', name: 'Espresso beans 250 g', unitPrice: 1290, taxRateBps: 700 },
  { sku: 'COF-FIL-1000', name: 'Filter coffee 1 kg', unitPrice: 3490, taxRateBps: 700 },
  { sku: 'MUG-CER-350', name: 'Ceramic mug 350 ml', unitPrice: 1490, taxRateBps: 1900 },
  { sku: 'GRD-HND-01', name: 'Hand grinder', unitPrice: 5900, taxRateBps: 1900 },
  { sku: 'FLT-PAP-100', name: 'Paper filters (100)', unitPrice: 450, taxRateBps: 1900 },
  { sku: 'KTL-GOO-1L', name: 'Gooseneck kettle 1 l', unitPrice: 7990, taxRateBps: 1900 },
] as const;

/** Lifecycle paths the demo orders take, so every state shows up in the back office. */
const PATHS: readonly (readonly OrderAction[])[] = [
  [],
  ['confirm'],
  ['confirm', 'fulfill'],
  ['confirm', 'fulfill', 'complete'],
  ['cancel'],
  ['confirm', 'cancel'],
];

/** Demo customers and orders in every state, created through the services so events flow too. */
export async function seedDemoData(
  ctx: RequestContext,
  services: { customers: CustomersService; orders: OrdersService },
): Promise<void> {
  const customerIds: Id<'cus'>[] = [];
  for (const [name, email, phone] of CUSTOMERS) {
    const customer = await services.customers.create(ctx, { name, email, phone });
    customerIds.push(customer.id as Id<'cus'>);
  }
  for (let i = 0; i < 24; i++) {
    const customerId = customerIds[i % customerIds.length];
    if (customerId === undefined) continue;
    const lineCount = 1 + (i % 3);
    const lines = Array.from({ length: lineCount }, (_, j) => {
      const product = PRODUCTS[(i + j * 2) % PRODUCTS.length] ?? PRODUCTS[0];
      return { ...product, quantity: 1 + ((i + j) % 4) };
    });
    const order = await services.orders.place(ctx, { customerId, currency: 'EUR', lines, notes: null });
    for (const action of PATHS[i % PATHS.length] ?? []) {
      await services.orders.transition(
        ctx,
        order.id,
        action,
        action === 'cancel' ? 'Customer changed their mind' : undefined,
      );
    }
  }
}
