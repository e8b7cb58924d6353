import type { Clock } from '@only/platform/clock';
import { afterCommit } from '@only/platform/db';
import { newId } from '@only/platform/ids';
import type { DirectoryRepository } from '../directory/directory.repository.ts';
import type { CustomerContactRow } from '../directory/directory.table.ts';
import type { InAppService } from '../in-app/in-app.service.ts';
import type { PreferencesRepository } from '../preferences/preferences.repository.ts';
import { isEnabled } from '../preferences/preferences.service.ts';
import { KIND_POLICIES, type Channel, type NotificationKind } from '../templates/notification-kinds.ts';
import { localeChain } from '../templates/template-renderer.ts';
import type { RenderedMessage, TemplatesService } from '../templates/templates.service.ts';
import type { DeliveriesRepository } from './deliveries.repository.ts';
import type { DeliveryRow } from './deliveries.table.ts';

/** The event a notification answers: deliveries are unique per event, channel and recipient. */
export interface SourceEvent {
  readonly id: string;
  readonly type: string;
  readonly correlationId: string;
}

/** One notification to send: what it is about and to whom. */
export interface NotifyRequest {
  readonly tenantId: string;
  readonly kind: NotificationKind;
  readonly event: SourceEvent;
  /** Template values (`order`, `invoice`, `product`…); `tenant` and `recipient` are added. */
  readonly data: Record<string, unknown>;
  /** The customer of the kind's customer channels. */
  readonly customer?: CustomerContactRow;
  /** The user a mail about their own account goes to. */
  readonly account?: { readonly userId: string; readonly email: string; readonly name: string };
  /** What the event says of the tenant, for a tenant not seen yet. */
  readonly tenantHint?: { readonly name: string; readonly locale: string };
  /** Where an in-app notice leads in the web app. */
  readonly link?: string | null;
}

interface Recipient {
  readonly type: 'customer' | 'user';
  readonly id: string;
  readonly name: string;
  readonly chain: string[];
}

/**
 * Turns a notification into deliveries, inside the event handler's transaction (the inbox's):
 * renders each recipient's message in their language, stores in-app notices at once, and queues
 * emails and SMS for the dispatcher, which sends them after the commit. Nothing here talks to a
 * provider, so a slow one never holds the transaction open.
 */
export class Notifier {
  private readonly deps: {
    directory: DirectoryRepository;
    preferences: PreferencesRepository;
    templates: TemplatesService;
    inApp: InAppService;
    deliveries: DeliveriesRepository;
    clock: Clock;
    maxAttempts: number;
    /** Channels with a provider: an SMS is queued only when one is configured. */
    smsEnabled: boolean;
    /** Called after a commit that queued deliveries. */
    onQueued: () => void;
  };

  constructor(deps: Notifier['deps']) {
    this.deps = deps;
  }

  async notify(request: NotifyRequest): Promise<void> {
    const { directory, templates } = this.deps;
    const policy = KIND_POLICIES[request.kind];
    const profile = await directory.tenant(request.tenantId);
    const tenant = {
      id: request.tenantId,
      profile,
      name: profile?.name ?? request.tenantHint?.name ?? 'Only',
    };
    const tenantLocale = profile?.locale ?? request.tenantHint?.locale;
    const rendered = new Map<string, RenderedMessage>();
    const render = async (recipient: Recipient) => {
      const key = `${recipient.type}:${recipient.chain.join(',')}:${recipient.type === 'user' ? '' : recipient.id}`;
      let message = rendered.get(key);
      if (message === undefined) {
        message = await templates.render(tenant, request.kind, recipient.chain, {
          ...request.data,
          recipient: { name: recipient.name },
        });
        rendered.set(key, message);
      }
      return message;
    };
    let queued = false;

    const customer = request.customer;
    if (policy.customer !== undefined && customer !== undefined && customer.deletedAt === null) {
      const recipient: Recipient = {
        type: 'customer',
        id: customer.customerId,
        name: customer.name,
        chain: localeChain(customer.locale, tenantLocale),
      };
      const message = await render(recipient);
      for (const channel of policy.customer) {
        const address = channel === 'email' ? customer.email : channel === 'sms' ? customer.phone : null;
        if (address === null || address === '' || (channel === 'sms' && !this.deps.smsEnabled)) continue;
        queued = (await this.queue(request, recipient, channel, address, message, tenant.name)) || queued;
      }
    }

    if (policy.account !== undefined && request.account !== undefined) {
      const account = request.account;
      const choices = await this.deps.preferences.findMany(request.tenantId, [account.userId]);
      const recipient: Recipient = {
        type: 'user',
        id: account.userId,
        name: account.name,
        chain: localeChain(choices[0]?.locale, request.tenantHint?.locale ?? tenantLocale),
      };
      const message = await render(recipient);
      for (const channel of policy.account) {
        if (channel !== 'email') continue;
        queued =
          (await this.queue(request, recipient, channel, account.email, message, tenant.name)) || queued;
      }
    }

    if (policy.staff !== undefined) {
      const users = await directory.usersWithPermission(request.tenantId, policy.staff.permission);
      const choices = new Map(
        (
          await this.deps.preferences.findMany(
            request.tenantId,
            users.map((u) => u.userId),
          )
        ).map((row) => [row.userId, row]),
      );
      for (const user of users) {
        const choice = choices.get(user.userId);
        const recipient: Recipient = {
          type: 'user',
          id: user.userId,
          name: user.name,
          chain: localeChain(choice?.locale, tenantLocale),
        };
        for (const channel of Object.keys(policy.staff.defaults) as Channel[]) {
          const address = channel === 'email' ? user.email : user.userId;
          if (!isEnabled(choice, request.kind, channel)) {
            // Recorded only when the user turned it off; channels off by default are opt-in.
            if (choice?.channels[request.kind]?.[channel] === false)
              await this.skip(request, recipient, channel, address, (await render(recipient)).locale);
            continue;
          }
          const message = await render(recipient);
          if (channel === 'in_app') await this.deliverInApp(request, recipient, message);
          else
            queued = (await this.queue(request, recipient, channel, address, message, tenant.name)) || queued;
        }
      }
    }

    if (queued) afterCommit(this.deps.onQueued);
  }

  private base(
    request: NotifyRequest,
    recipient: Recipient,
    channel: Channel,
    address: string,
    locale: string,
  ) {
    const now = this.deps.clock.now();
    return {
      id: newId('dlv'),
      tenantId: request.tenantId,
      kind: request.kind,
      channel,
      recipientType: recipient.type,
      recipientId: recipient.id,
      address,
      locale,
      maxAttempts: this.deps.maxAttempts,
      sourceEventId: request.event.id,
      sourceEventType: request.event.type,
      createdAt: now,
      updatedAt: now,
    } satisfies Partial<DeliveryRow>;
  }

  private queue(
    request: NotifyRequest,
    recipient: Recipient,
    channel: Channel,
    address: string,
    message: RenderedMessage,
    tenantName: string,
  ): Promise<boolean> {
    const base = this.base(request, recipient, channel, address, message.locale);
    return this.deps.deliveries.insert({
      ...base,
      status: 'queued',
      fromName: tenantName,
      subject: channel === 'email' ? message.subject : null,
      bodyText: channel === 'sms' ? (message.sms ?? message.text) : message.text,
      bodyHtml: channel === 'email' ? message.html : null,
      nextAttemptAt: base.createdAt,
    });
  }

  private async skip(
    request: NotifyRequest,
    recipient: Recipient,
    channel: Channel,
    address: string,
    locale: string,
  ): Promise<void> {
    await this.deps.deliveries.insert({
      ...this.base(request, recipient, channel, address, locale),
      status: 'skipped',
      lastError: 'turned off in the recipient’s preferences',
    });
  }

  private async deliverInApp(
    request: NotifyRequest,
    recipient: Recipient,
    message: RenderedMessage,
  ): Promise<void> {
    const base = this.base(request, recipient, 'in_app', recipient.id, message.locale);
    const id = newId('ntf');
    const title = message.inAppTitle ?? message.subject;
    // The delivery first: an event seen again (replayed after the inbox forgot it) adds nothing.
    const fresh = await this.deps.deliveries.insert({
      ...base,
      status: 'sent',
      attempts: 1,
      subject: title,
      providerMessageId: id,
      sentAt: base.createdAt,
    });
    if (!fresh) return;
    await this.deps.inApp.create({
      id,
      tenantId: request.tenantId,
      userId: recipient.id,
      kind: request.kind,
      title,
      body: message.inAppBody ?? message.text,
      link: request.link ?? null,
      sourceEventId: request.event.id,
      correlationId: request.event.correlationId,
    });
  }
}
