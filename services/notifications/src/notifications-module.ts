import { systemClock } from '@only/platform/clock';
import { enableIdempotency } from '@only/platform/http';
import {
  createServiceKernel,
  type ServiceDependencies,
  type ServiceKernel,
  type ServiceModule,
} from '@only/platform/service';
import type { ChannelSender } from './channels/channel.ts';
import { createEmailSender, type EmailSettings } from './channels/email-sender.ts';
import { HttpSmsSender, type SmsSettings } from './channels/sms-sender.ts';
import { notificationsPlatformTables } from './db/schema.ts';
import {
  notificationsConsumers,
  notificationsHandlers,
  subscribeNotifications,
} from './events/subscriptions.ts';
import { NotificationTriggers } from './events/triggers.ts';
import { notificationsMigrations } from './migrations.ts';
import { DeliveriesRepository } from './modules/deliveries/deliveries.repository.ts';
import { deliveriesRoutes } from './modules/deliveries/deliveries.routes.ts';
import { DeliveriesService } from './modules/deliveries/deliveries.service.ts';
import { DeliveryDispatcher } from './modules/deliveries/delivery-dispatcher.ts';
import { Notifier } from './modules/deliveries/notifier.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './modules/deliveries/retry-policy.ts';
import { DirectoryRepository } from './modules/directory/directory.repository.ts';
import { InAppRepository } from './modules/in-app/in-app.repository.ts';
import { inAppRoutes } from './modules/in-app/in-app.routes.ts';
import { InAppService } from './modules/in-app/in-app.service.ts';
import { NotificationHub } from './modules/in-app/notification-hub.ts';
import { PreferencesRepository } from './modules/preferences/preferences.repository.ts';
import { preferencesRoutes } from './modules/preferences/preferences.routes.ts';
import { PreferencesService } from './modules/preferences/preferences.service.ts';
import type { Channel } from './modules/templates/notification-kinds.ts';
import { TemplateRenderer } from './modules/templates/template-renderer.ts';
import { TemplatesRepository } from './modules/templates/templates.repository.ts';
import { templatesRoutes } from './modules/templates/templates.routes.ts';
import { TemplatesService } from './modules/templates/templates.service.ts';

/** Settings of the notifications service beyond what every service gets; each has a default. */
export interface NotificationsSettings {
  /** Base URL of the web app, for links in mails; `http://localhost:8080` by default. */
  readonly appUrl?: string;
  /** Where email goes; without it, emails fail at once as "no email provider is configured". */
  readonly email?: EmailSettings;
  /** The SMS provider; without it, no SMS is queued. */
  readonly sms?: SmsSettings;
  readonly retry?: Partial<RetryPolicy>;
  /** How often due deliveries are looked for; every second by default. */
  readonly dispatchIntervalMs?: number;
  /** Keep-alive comments on live streams; every 5 s by default. */
  readonly streamHeartbeatMs?: number;
}

/** What the notifications service needs from its host. */
export type NotificationsDependencies = ServiceDependencies & NotificationsSettings;

/** The notifications service as a module, plus its internals for tests. */
export interface NotificationsModule extends ServiceModule {
  readonly kernel: ServiceKernel;
  readonly templates: TemplatesService;
  readonly inApp: InAppService;
  readonly preferences: PreferencesService;
  readonly deliveries: DeliveriesService;
  /** Sends queued deliveries (in the background once started; `runOnce` and `drain` for tests). */
  readonly dispatcher: DeliveryDispatcher;
  /** The live streams this process holds. */
  readonly hub: NotificationHub;
}

/** Builds the notifications service: templates, email, SMS, in-app notices, delivery log, preferences. */
export function createNotificationsModule(deps: NotificationsDependencies): NotificationsModule {
  const logger = deps.logger.child({ module: 'notifications' });
  const kernel = createServiceKernel({
    name: 'notifications',
    db: deps.db,
    bus: deps.bus,
    logger,
    tables: notificationsPlatformTables,
  });
  const clock = deps.clock ?? systemClock;
  const { db } = deps;
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...deps.retry };

  const senders: Partial<Record<Channel, ChannelSender>> = {};
  if (deps.email !== undefined) senders.email = createEmailSender(deps.email);
  if (deps.sms !== undefined) senders.sms = new HttpSmsSender(deps.sms);

  const directory = new DirectoryRepository(db);
  const templates = new TemplatesService({
    repository: new TemplatesRepository(db),
    directory,
    renderer: new TemplateRenderer(),
    clock,
    logger,
  });
  const preferencesRepository = new PreferencesRepository(db);
  const preferences = new PreferencesService({ repository: preferencesRepository, clock });
  const inApp = new InAppService({ repository: new InAppRepository(db), outbox: kernel.outbox, clock });
  const deliveriesRepository = new DeliveriesRepository(db);
  const deliveries = new DeliveriesService({ repository: deliveriesRepository });
  const dispatcher = new DeliveryDispatcher({
    db,
    repository: deliveriesRepository,
    senders,
    clock,
    logger,
    retry,
    intervalMs: deps.dispatchIntervalMs ?? 1_000,
  });
  const notifier = new Notifier({
    directory,
    preferences: preferencesRepository,
    templates,
    inApp,
    deliveries: deliveriesRepository,
    clock,
    maxAttempts: retry.maxAttempts,
    smsEnabled: senders.sms !== undefined,
    onQueued: () => {
      dispatcher.kick();
    },
  });
  const triggers = new NotificationTriggers({
    directory,
    notifier,
    appUrl: deps.appUrl ?? 'http://localhost:8080',
  });
  const hub = new NotificationHub();
  const heartbeatMs = deps.streamHeartbeatMs ?? 5_000;

  return {
    name: 'notifications',
    description:
      'Email (SMTP), SMS (HTTP provider) and in-app notifications (SSE) from templates per tenant and language.',
    migrations: notificationsMigrations,
    readinessChecks: [
      {
        name: 'notifications.database',
        check: async () => {
          await deps.pingDatabase();
          return true;
        },
      },
      { name: 'notifications.bus', check: () => deps.bus.isHealthy() },
    ],
    kernel,
    templates,
    inApp,
    preferences,
    deliveries,
    dispatcher,
    hub,
    registerRoutes(app) {
      enableIdempotency(app, kernel.idempotency);
      // Live streams never end by themselves: end them before the server waits for open requests.
      app.addHook('preClose', (done) => {
        hub.closeAll();
        done();
      });
      inAppRoutes(app, inApp, { hub, heartbeatMs });
      preferencesRoutes(app, preferences);
      templatesRoutes(app, templates);
      deliveriesRoutes(app, deliveries);
    },
    consumers: notificationsConsumers,
    subscribe: () =>
      subscribeNotifications({
        bus: deps.bus,
        inbox: kernel.inbox,
        handlers: notificationsHandlers(triggers),
        hub,
      }),
    start() {
      kernel.start();
      dispatcher.start();
      const where = Object.entries(senders).map(([channel, sender]) => `${channel}: ${sender.description}`);
      logger.info({ channels: where }, 'notification channels');
      return Promise.resolve();
    },
    async stop() {
      hub.closeAll();
      await dispatcher.stop();
      await kernel.stop();
      for (const sender of Object.values(senders)) await sender.close();
    },
  };
}
