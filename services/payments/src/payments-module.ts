import { systemClock } from '@only/platform/clock';
import { enableIdempotency } from '@only/platform/http';
import {
  createServiceKernel,
  type ServiceDependencies,
  type ServiceKernel,
  type ServiceModule,
} from '@only/platform/service';
import { paymentsPlatformTables } from './db/schema.ts';
import { paymentsMigrations } from './migrations.ts';
import { PaymentEvents } from './modules/payments/payment-events.ts';
import { PaymentsRepository } from './modules/payments/payments.repository.ts';
import { paymentsRoutes } from './modules/payments/payments.routes.ts';
import { paymentsRpc } from './modules/payments/payments.rpc.ts';
import { PaymentsService } from './modules/payments/payments.service.ts';
import type { PaymentProvider } from './modules/providers/payment-provider.ts';
import { ProviderRegistry } from './modules/providers/provider-registry.ts';
import { TestPaymentProvider } from './modules/providers/test-provider.ts';
import { WebhookDeliverer, type WebhookDeliverySettings } from './modules/webhooks/webhook-deliverer.ts';
import { WebhooksRepository } from './modules/webhooks/webhooks.repository.ts';
import { webhooksRoutes } from './modules/webhooks/webhooks.routes.ts';
import { WebhooksService } from './modules/webhooks/webhooks.service.ts';

/** Settings of the payments service beyond what every service gets; each has a default. */
export interface PaymentsSettings {
  /**
   * Provider adapters besides (or replacing, by name) the built-in `test` provider: a real
   * processor's adapter is registered here.
   */
  readonly providers?: readonly PaymentProvider[];
  /** The adapter of payments that name none; `test` by default. */
  readonly defaultProvider?: string;
  /** How long a provider call may take before its outcome counts as unknown; 2 000 ms by default. */
  readonly providerTimeoutMs?: number;
  /** Webhook delivery: timeout 5 s, 10 attempts, backoff 30 s doubling up to 6 h, polled every 1 s. */
  readonly webhooks?: Partial<WebhookDeliverySettings>;
}

/** What the payments service needs from its host. */
export type PaymentsDependencies = ServiceDependencies & PaymentsSettings;

/** The payments service as a module, plus its internals for tests. */
export interface PaymentsModule extends ServiceModule {
  readonly kernel: ServiceKernel;
  readonly payments: PaymentsService;
  readonly webhooks: WebhooksService;
  /** Sends due webhook deliveries (periodically once started). */
  readonly deliverer: WebhookDeliverer;
  readonly providers: ProviderRegistry;
}

const DEFAULT_WEBHOOK_SETTINGS: WebhookDeliverySettings = {
  timeoutMs: 5_000,
  maxAttempts: 10,
  retryBaseMs: 30_000,
  retryMaxMs: 6 * 60 * 60 * 1000,
  pollIntervalMs: 1_000,
  batchSize: 20,
};

/** Builds the payments service: payment intents through provider adapters, and signed webhooks. */
export function createPaymentsModule(deps: PaymentsDependencies): PaymentsModule {
  const logger = deps.logger.child({ module: 'payments' });
  const kernel = createServiceKernel({
    name: 'payments',
    db: deps.db,
    bus: deps.bus,
    logger,
    tables: paymentsPlatformTables,
  });
  const clock = deps.clock ?? systemClock;
  const { db } = deps;

  const providers = new ProviderRegistry(
    [new TestPaymentProvider(), ...(deps.providers ?? [])],
    deps.defaultProvider ?? 'test',
  );
  const webhooksRepository = new WebhooksRepository(db);
  const webhooks = new WebhooksService({ db, repository: webhooksRepository, clock });
  const deliverer = new WebhookDeliverer({
    db,
    repository: webhooksRepository,
    clock,
    logger,
    settings: { ...DEFAULT_WEBHOOK_SETTINGS, ...deps.webhooks },
  });
  const payments = new PaymentsService({
    db,
    repository: new PaymentsRepository(db),
    providers,
    events: new PaymentEvents({ outbox: kernel.outbox, webhooks }),
    clock,
    logger,
    providerTimeoutMs: deps.providerTimeoutMs ?? 2_000,
  });

  return {
    name: 'payments',
    description:
      'Payment intents: authorize, capture, void and refund through provider adapters; signed webhooks.',
    migrations: paymentsMigrations,
    readinessChecks: [
      {
        name: 'payments.database',
        check: async () => {
          await deps.pingDatabase();
          return true;
        },
      },
      { name: 'payments.bus', check: () => deps.bus.isHealthy() },
    ],
    rpc: [paymentsRpc(payments)],
    kernel,
    payments,
    webhooks,
    deliverer,
    providers,
    registerRoutes(app) {
      enableIdempotency(app, kernel.idempotency);
      paymentsRoutes(app, payments);
      webhooksRoutes(app, webhooks);
    },
    start() {
      kernel.start();
      deliverer.start();
      return Promise.resolve();
    },
    async stop() {
      await deliverer.stop();
      await kernel.stop();
    },
  };
}
