// The in-app notification centre: each user's list (newest first, cursor pages), unread count,
// mark read, and the live stream (Server-Sent Events over a real listening server) with resume
// from Last-Event-ID; nobody sees another user's or another tenant's notifications.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantEvents } from './support/events.ts';
import { startNotificationsApi, type NotificationsApi } from './support/notifications-api.ts';
import { SseClient } from '@only/testing';
import { expectStatus } from './support/tenant-client.ts';

let api: NotificationsApi;
let baseUrl: string;

beforeAll(async () => {
  api = await startNotificationsApi();
  baseUrl = await api.app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await api.close();
});

interface Notification {
  id: string;
  kind: string;
  title: string;
  readAt: string | null;
}

/** A tenant with two stock keepers (owner, manager) who are told about low stock. */
async function world() {
  const t = new TenantEvents();
  const owner = t.user(['owner']);
  const manager = t.user(['manager']);
  await api.publish(t.tenantCreated(), t.userCreated(owner), t.userCreated(manager));
  return { t, owner: api.client(t.tenantId, owner.id), manager: api.client(t.tenantId, manager.id) };
}

describe('the list', () => {
  it('is the user’s own, newest first, in cursor pages, with unread count and mark read', async () => {
    const { t, owner, manager } = await world();
    for (const sku of ['SKU-1', 'SKU-2', 'SKU-3']) await api.publish(t.stockLow(sku));

    const first = expectStatus<{ items: Notification[]; nextCursor: string }>(
      await owner.get('/notifications?limit=2'),
      200,
    );
    expect(first.items.map((n) => n.title)).toEqual(['Low stock: SKU-3', 'Low stock: SKU-2']);
    const second = expectStatus<{ items: Notification[]; nextCursor: null }>(
      await owner.get(`/notifications?limit=2&cursor=${first.nextCursor}`),
      200,
    );
    expect(second).toMatchObject({ items: [{ title: 'Low stock: SKU-1' }], nextCursor: null });
    expect(expectStatus(await owner.get('/notifications/unread-count'), 200)).toEqual({ unread: 3 });

    const target = first.items[0]!;
    api.clock.advance(1_000);
    const read = expectStatus<Notification>(await owner.post(`/notifications/${target.id}/read`), 200);
    expect(read.readAt).toBe(api.clock.now().toISOString());
    // Marking again keeps the first time it was read.
    api.clock.advance(1_000);
    expect(expectStatus<Notification>(await owner.post(`/notifications/${target.id}/read`), 200).readAt).toBe(
      read.readAt,
    );
    expect(expectStatus(await owner.get('/notifications/unread-count'), 200)).toEqual({ unread: 2 });
    const unread = expectStatus<{ items: Notification[] }>(
      await owner.get('/notifications?unread=true'),
      200,
    );
    expect(unread.items.map((n) => n.title)).toEqual(['Low stock: SKU-2', 'Low stock: SKU-1']);

    // The manager's notifications are theirs: the owner's reads did not touch them.
    expect(expectStatus(await manager.get('/notifications/unread-count'), 200)).toEqual({ unread: 3 });
    expect(expectStatus(await manager.post('/notifications/read-all'), 200)).toEqual({ marked: 3 });
    expect(expectStatus(await manager.get('/notifications/unread-count'), 200)).toEqual({ unread: 0 });
    expect(expectStatus(await owner.get('/notifications/unread-count'), 200)).toEqual({ unread: 2 });
  });

  it('answers 404 for another user’s or another tenant’s notification, and changes nothing', async () => {
    const { t, owner, manager } = await world();
    await api.publish(t.stockLow());
    const [mine] = expectStatus<{ items: Notification[] }>(await owner.get('/notifications'), 200).items;
    const stranger = api.client((await world()).t.tenantId, 'usr_stranger');
    for (const client of [manager, stranger]) {
      expect((await client.get(`/notifications/${mine!.id}`)).status).toBe(404);
      expect((await client.post(`/notifications/${mine!.id}/read`)).status).toBe(404);
    }
    expect(expectStatus<Notification>(await owner.get(`/notifications/${mine!.id}`), 200).readAt).toBeNull();
  });

  it('is for users: an API client gets 403', async () => {
    const { t } = await world();
    const machine = api.client(t.tenantId, 'cli_01jd5x3b2kf9v8s7w6q4r2m1n0');
    const response = await machine.get('/notifications');
    expect(response.status).toBe(403);
    expect(response.json()).toMatchObject({ code: 'notifications.not_a_user' });
  });
});

describe('the live stream', () => {
  it('pushes new notifications as they are created, with keep-alive comments', async () => {
    const { t, owner } = await world();
    const stream = await SseClient.open(`${baseUrl}/notifications/stream`, {
      authorization: await owner.authorization(),
    });
    try {
      expect(stream.status).toBe(200);
      expect(stream.contentType).toBe('text/event-stream; charset=utf-8');
      await stream.until(() => stream.comments.includes('connected'));

      await api.publish(t.stockLow('LIVE-1'));
      await api.settle();
      await stream.until(() => stream.events.length === 1);
      const [event] = stream.events;
      const data = JSON.parse(event!.data) as Notification;
      expect(event).toMatchObject({ event: 'notification', id: data.id });
      expect(data).toMatchObject({ kind: 'low_stock', title: 'Low stock: LIVE-1', readAt: null });
      await stream.until(() => stream.comments.includes('heartbeat'));
    } finally {
      await stream.close();
    }
  });

  it('resumes after Last-Event-ID with what was missed, in order, then goes on live', async () => {
    const { t, owner, manager } = await world();
    await api.publish(t.stockLow('OLD-1'));
    const [seen] = expectStatus<{ items: Notification[] }>(await owner.get('/notifications'), 200).items;
    await api.publish(t.stockLow('MISSED-1'), t.stockLow('MISSED-2'));
    await api.settle();
    // The two events may be handled concurrently: what was missed is the notifications created
    // after `seen`, oldest first — the order the stream must replay them in.
    const listed = expectStatus<{ items: Notification[] }>(await owner.get('/notifications'), 200).items;
    const missed = listed.filter((n) => n.id > seen!.id).reverse();
    expect(missed.map((n) => n.title).sort()).toEqual(['Low stock: MISSED-1', 'Low stock: MISSED-2']);

    const authorization = await owner.authorization();
    const stream = await SseClient.open(`${baseUrl}/notifications/stream`, {
      authorization,
      'last-event-id': seen!.id,
    });
    const other = await SseClient.open(`${baseUrl}/notifications/stream`, {
      authorization: await manager.authorization(),
    });
    try {
      await stream.until(() => stream.events.length === 2);
      await api.publish(t.stockLow('LIVE-2'));
      await api.settle();
      await stream.until(() => stream.events.length === 3);
      const titles = stream.events.map((e) => (JSON.parse(e.data) as Notification).title);
      expect(titles).toEqual([...missed.map((n) => n.title), 'Low stock: LIVE-2']);
      expect(stream.events.slice(0, 2).map((e) => e.id)).toEqual(missed.map((n) => n.id));
      // The manager's stream (no Last-Event-ID) carries only what is new, and only theirs.
      await other.until(() => other.events.length === 1);
      const [theirs] = other.events;
      expect((JSON.parse(theirs!.data) as Notification).title).toBe('Low stock: LIVE-2');
      expect(theirs!.id).not.toBe(stream.events[2]!.id);
    } finally {
      await stream.close();
      await other.close();
    }
  });

  it('refuses a Last-Event-ID that is not a notification id, and callers without a token', async () => {
    const { owner } = await world();
    const bad = await owner.get('/notifications/stream?lastEventId=nope');
    expect(bad.status).toBe(400);
    const anonymous = await SseClient.open(`${baseUrl}/notifications/stream`, {});
    expect(anonymous.status).toBe(401);
    await anonymous.close();
  });
});
