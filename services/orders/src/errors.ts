import { defineErrors } from '@only/platform/errors';

/** Errors of the orders service: `orders.<name>`, documented at `/problems/orders.<name>`. */
export const ordersErrors = defineErrors('orders', {
  customer_not_found: { status: 404, title: 'Customer not found' },
  order_not_found: { status: 404, title: 'Order not found' },
  customer_email_taken: {
    status: 409,
    title: 'Another customer already has this email',
    description: 'Emails are unique among the live (not deleted) customers of a tenant.',
  },
  invalid_transition: {
    status: 409,
    title: 'The order cannot make this transition from its current state',
    description:
      'Orders go pending → confirmed → fulfilled → completed, and may be cancelled while pending or confirmed; an order whose placement failed (`out_of_stock`, `payment_failed`, `failed`) allows nothing. `currentState` and `allowedActions` tell what is possible now.',
  },
  unknown_customer: {
    status: 422,
    title: 'The order refers to a customer that does not exist',
    description: 'customerId must name a live customer of the same tenant.',
  },
  amount_too_large: {
    status: 422,
    title: 'An amount is too large to be represented exactly',
  },
  unknown_products: {
    status: 422,
    title: 'Some SKUs are not products of the catalog',
    description: 'A paid order is priced from the catalog; `skus` lists the SKUs it does not know.',
  },
  products_unavailable: {
    status: 422,
    title: 'Some products are not for sale',
    description: '`skus` lists the products that are drafts or archived.',
  },
  price_currency_mismatch: {
    status: 422,
    title: 'Some products are priced in another currency',
    description:
      'A paid order is charged in the currency its products are priced in; `skus` lists those priced in another, `currency` says which.',
  },
  unknown_tax_class: {
    status: 422,
    title: 'No tax rate is configured for a product’s tax class',
    description: '`taxClasses` lists the classes without a rate (see ORDERS_TAX_RATES).',
  },
  nothing_to_pay: {
    status: 422,
    title: 'A paid order must cost more than zero',
  },
  out_of_stock: {
    status: 409,
    title: 'Not enough stock for the order',
    description:
      'The order was recorded in status `out_of_stock` (`orderId`, `orderStatus`); nothing was reserved or charged. `skus` names the short SKUs and `lines` the requested and available quantities.',
  },
  payment_failed: {
    status: 402,
    title: 'The payment was not authorized',
    description:
      'The order was recorded in status `payment_failed` (`orderId`, `orderStatus`) and its stock released. `reason` says why: `card_declined`, `insufficient_funds`, `authentication_required`, `invalid_payment_method`…; `paymentId` names the failed payment. Pay with another card under a new Idempotency-Key.',
  },
  placement_failed: {
    status: 503,
    title: 'The order could not be placed',
    description:
      'A service the placement depends on did not answer, so the order was recorded in status `failed` (`orderId`, `orderStatus`, `reason`: `catalog_unavailable`, `payment_unavailable`, `interrupted`…) and whatever it held is being given back. Try again under a new Idempotency-Key.',
  },
  payments_not_configured: {
    status: 503,
    title: 'Paid orders are not available',
    description: 'This orders service runs without a connection to the catalog and payments services.',
  },
});
