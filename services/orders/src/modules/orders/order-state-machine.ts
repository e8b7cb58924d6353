import type { AnyOrderStatus } from '@only/contracts/orders';

/** What a caller can do to an order. */
export type OrderAction = 'confirm' | 'fulfill' | 'complete' | 'cancel';

/**
 * Each action: the states it may start from and the state it leads to. The failed placement
 * states (`out_of_stock`, `payment_failed`, `failed`) are terminal like `completed` and
 * `cancelled`: no action starts from them.
 */
const TRANSITIONS: Readonly<Record<OrderAction, { from: readonly AnyOrderStatus[]; to: AnyOrderStatus }>> = {
  confirm: { from: ['pending'], to: 'confirmed' },
  fulfill: { from: ['confirmed'], to: 'fulfilled' },
  complete: { from: ['fulfilled'], to: 'completed' },
  cancel: { from: ['pending', 'confirmed'], to: 'cancelled' },
};

export const ORDER_ACTIONS = Object.keys(TRANSITIONS) as OrderAction[];

/** The state `action` leads to from `current`, or `undefined` when the transition is illegal. */
export function nextStatus(current: AnyOrderStatus, action: OrderAction): AnyOrderStatus | undefined {
  const transition = TRANSITIONS[action];
  return transition.from.includes(current) ? transition.to : undefined;
}

/** Actions possible from a state (none from completed, cancelled or a failed placement). */
export function allowedActions(current: AnyOrderStatus): OrderAction[] {
  return ORDER_ACTIONS.filter((action) => nextStatus(current, action) !== undefined);
}
