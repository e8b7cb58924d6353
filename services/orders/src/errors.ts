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
      'Orders go pending → confirmed → fulfilled → completed, and may be cancelled while pending or confirmed. `currentState` and `allowedActions` tell what is possible now.',
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
});
