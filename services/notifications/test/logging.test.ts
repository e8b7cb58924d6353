// Secrets never reach the logs: not the SMTP password, not the SMS provider's API key, not the
// single-use token of a password-reset link — which the mail itself must carry.
import { capturingLogger } from '@only/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries } from '../src/db/schema.ts';
import { TenantEvents } from './support/events.ts';
import {
  SMS_API_KEY,
  SMTP_LOGIN,
  startNotificationsApi,
  type NotificationsApi,
} from './support/notifications-api.ts';

const capture = capturingLogger('debug');
let api: NotificationsApi;

beforeAll(async () => {
  api = await startNotificationsApi({ logger: capture.logger });
});

afterAll(async () => {
  await api.close();
});

describe('logs', () => {
  it('never contain the SMTP password, the SMS API key or a reset token', async () => {
    const t = new TenantEvents();
    const user = t.user(['manager']);
    const customer = t.customer({ phone: '+4915100000009' });
    const order = t.order(customer.id);
    const token = 'rst-secret-0123456789abcdef0123456789';
    await api.publish(
      t.tenantCreated(),
      t.userCreated(user),
      t.customerCreated(customer),
      t.orderPlaced(order),
    );
    await api.publish(t.passwordResetRequested(user, token), t.orderMoved(order.id, 'pending', 'confirmed'));
    // One failed attempt of each kind too: errors are logged, their secrets are not.
    api.smtp.refuseNext({ code: 451, message: 'try later' });
    api.sms.answerNext(503);
    await api.dispatch();
    api.clock.advance(60 * 60_000);
    await api.dispatch();

    const [mail] = api.smtp.to(user.email);
    expect(mail!.text).toContain(token);
    expect(api.sms.requests.some((r) => r.headers['x-api-key'] === SMS_API_KEY)).toBe(true);

    const lines = capture.lines();
    expect(lines.filter((line) => line.includes('notification delivered')).length).toBeGreaterThanOrEqual(3);
    expect(lines.some((line) => line.includes('notification delivery failed'))).toBe(true);
    for (const secret of [SMTP_LOGIN.password, SMS_API_KEY, token]) {
      expect(lines.filter((line) => line.includes(secret))).toEqual([]);
    }
    // Nor do recipients' addresses or message bodies: the delivery id says which message it was.
    expect(lines.filter((line) => line.includes(user.email) || line.includes('reset-password'))).toEqual([]);
  });

  it('a password-reset mail keeps its link in the database only until it is sent', async () => {
    const t = new TenantEvents();
    const user = t.user(['viewer']);
    await api.publish(t.tenantCreated(), t.userCreated(user));
    await api.publish(t.passwordResetRequested(user, 'rst-erased-0123456789abcdef01234567'));
    const before = await api.db.select().from(deliveries).where(eq(deliveries.tenantId, t.tenantId));
    expect(before[0]!.bodyText).toContain('rst-erased-0123456789abcdef01234567');
    await api.dispatch();
    const after = await api.db.select().from(deliveries).where(eq(deliveries.tenantId, t.tenantId));
    expect(after[0]).toMatchObject({ status: 'sent', bodyText: null, bodyHtml: null });
  });
});
