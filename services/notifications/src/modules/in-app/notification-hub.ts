import type { StreamNotification } from '../../events/notification-created.v1.ts';

type Listener = (notification: StreamNotification) => void;

/**
 * The live streams this process holds, by tenant and user. Each replica has its own; a new
 * notification reaches every replica through the bus (a broadcast subscription), and each pushes
 * it to the streams it holds.
 */
export class NotificationHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly closers = new Set<() => void>();

  /** Calls `listener` with each new notification of the user until the returned function is called. */
  subscribe(tenantId: string, userId: string, listener: Listener): () => void {
    const key = `${tenantId}\u0000${userId}`;
    let set = this.listeners.get(key);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(key, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  publish(tenantId: string, notification: StreamNotification): void {
    for (const listener of this.listeners.get(`${tenantId}\u0000${notification.userId}`) ?? [])
      listener(notification);
  }

  /** Registers how to end an open stream, so that shutdown does not wait for clients to leave. */
  track(close: () => void): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  /** Streams open in this process. */
  get openStreams(): number {
    return this.closers.size;
  }

  /** Ends every open stream (clients reconnect, to another replica, with `Last-Event-ID`). */
  closeAll(): void {
    for (const close of [...this.closers]) close();
  }
}
