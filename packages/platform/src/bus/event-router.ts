import type { EventEnvelope } from '@only/contracts/envelope';
import type { Delivery, EventHandler } from './event-bus.ts';

/** Handlers of one consumer by exact event type. */
export type EventHandlers = Readonly<
  Record<string, (event: EventEnvelope, delivery: Delivery) => Promise<void>>
>;

/**
 * Turns a map of handlers by event type into the patterns to bind and one dispatching handler,
 * since a consumer is one queue whatever the number of event types it handles. Events of a type
 * without a handler are acknowledged and ignored.
 */
export function routeEvents(handlers: EventHandlers): { patterns: string[]; handler: EventHandler } {
  return {
    patterns: Object.keys(handlers),
    handler: async (event, delivery) => {
      const handle = handlers[event.type];
      if (handle) await handle(event, delivery);
    },
  };
}
