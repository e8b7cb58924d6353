import type { EventEnvelope } from '@only/contracts/envelope';
import type { EventBus } from '@only/platform/bus';

/** Records every event published on a bus, to assert what a change emitted. */
export class EventRecorder {
  private readonly received: EventEnvelope[] = [];

  /** Subscribes to every event type on `bus` under a consumer name of its own. */
  static async attach(bus: EventBus, consumer = 'test-recorder'): Promise<EventRecorder> {
    const recorder = new EventRecorder();
    await bus.subscribe({
      consumer,
      patterns: ['#'],
      handler: (event) => {
        recorder.received.push(event);
        return Promise.resolve();
      },
    });
    return recorder;
  }

  /** Events received so far, optionally of one type, in arrival order. */
  events(type?: string): EventEnvelope[] {
    return type === undefined ? [...this.received] : this.received.filter((e) => e.type === type);
  }

  /** Events about one aggregate (e.g. an order id). */
  eventsFor(aggregateId: string): EventEnvelope[] {
    return this.received.filter((e) => e.aggregateId === aggregateId);
  }

  clear(): void {
    this.received.length = 0;
  }
}
