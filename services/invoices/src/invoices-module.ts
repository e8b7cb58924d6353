import { systemClock } from '@only/platform/clock';
import { enableIdempotency } from '@only/platform/http';
import {
  createServiceKernel,
  type ServiceDependencies,
  type ServiceKernel,
  type ServiceModule,
} from '@only/platform/service';
import { invoicesPlatformTables } from './db/schema.ts';
import { invoicesConsumers, invoicesHandlers, subscribeInvoices } from './events/subscriptions.ts';
import { invoicesMigrations } from './migrations.ts';
import { CreditNotesRepository } from './modules/credit-notes/credit-notes.repository.ts';
import { creditNotesRoutes } from './modules/credit-notes/credit-notes.routes.ts';
import { CreditNotesService } from './modules/credit-notes/credit-notes.service.ts';
import { InvoicesRepository } from './modules/invoices/invoices.repository.ts';
import { invoicesRoutes } from './modules/invoices/invoices.routes.ts';
import { InvoicesService } from './modules/invoices/invoices.service.ts';
import { IssuingTermsReader } from './modules/invoices/issuing-terms.ts';
import { NumberingRepository } from './modules/numbering/numbering.repository.ts';
import { NumberingService } from './modules/numbering/numbering.service.ts';
import { rpcOrderSource } from './modules/orders/order-source.ts';
import { PaymentsProjection } from './modules/payments/payments.projection.ts';
import { PaymentsRepository } from './modules/payments/payments.repository.ts';
import { LogoLoader } from './modules/pdf/logo-loader.ts';
import { PdfRenderer } from './modules/pdf/pdf-renderer.ts';
import { SettingsRepository } from './modules/settings/settings.repository.ts';
import { settingsRoutes } from './modules/settings/settings.routes.ts';
import { SettingsService } from './modules/settings/settings.service.ts';
import { TenantProfilesProjection } from './modules/tenants/tenant-profiles.projection.ts';
import { TenantProfilesRepository } from './modules/tenants/tenant-profiles.repository.ts';

/** Settings of the invoices service beyond what every service gets; each has a default. */
export interface InvoicesSettings {
  /** How long a PDF waits for a tenant's logo at an http(s) URL before going without; 2 000 ms by default. */
  readonly logoTimeoutMs?: number;
  /** Deadline of the call fetching an order's details; the RPC connector's default for orders when absent. */
  readonly orderFetchTimeoutMs?: number;
  /** Compress PDF content streams; true by default (tests read them uncompressed). */
  readonly compressPdf?: boolean;
}

/** What the invoices service needs from its host: `rpc` reaches the orders service. */
export type InvoicesDependencies = ServiceDependencies & InvoicesSettings;

/** The invoices service as a module, plus its internals for tests. */
export interface InvoicesModule extends ServiceModule {
  readonly kernel: ServiceKernel;
  readonly invoices: InvoicesService;
  readonly creditNotes: CreditNotesService;
  readonly settings: SettingsService;
}

/**
 * Builds the invoices service: invoices issued when orders are confirmed (details through the
 * orders service's RPC), marked paid on capture and credited on refund (payment events), numbered
 * without gaps per tenant, rendered as PDFs in the tenant's branding (identity's tenant events).
 */
export function createInvoicesModule(deps: InvoicesDependencies): InvoicesModule {
  const logger = deps.logger.child({ module: 'invoices' });
  const kernel = createServiceKernel({
    name: 'invoices',
    db: deps.db,
    bus: deps.bus,
    logger,
    tables: invoicesPlatformTables,
  });
  const clock = deps.clock ?? systemClock;
  const { db } = deps;
  const outbox = kernel.outbox;

  const tenantsRepository = new TenantProfilesRepository(db);
  const settingsRepository = new SettingsRepository(db);
  const invoicesRepository = new InvoicesRepository(db);
  const paymentsRepository = new PaymentsRepository(db);
  const terms = new IssuingTermsReader({ settings: settingsRepository, tenants: tenantsRepository });
  const numbering = new NumberingService({ db, repository: new NumberingRepository(db) });
  const pdf = new PdfRenderer({
    tenants: tenantsRepository,
    logos: new LogoLoader({ logger, timeoutMs: deps.logoTimeoutMs ?? 2_000 }),
    compress: deps.compressPdf ?? true,
  });
  const settings = new SettingsService({ db, repository: settingsRepository, clock });
  const creditNotes = new CreditNotesService({
    db,
    notes: new CreditNotesRepository(db),
    invoices: invoicesRepository,
    numbering,
    terms,
    outbox,
    clock,
    pdf,
  });
  const invoices = new InvoicesService({
    db,
    invoices: invoicesRepository,
    payments: paymentsRepository,
    creditNotes,
    numbering,
    terms,
    outbox,
    clock,
    pdf,
  });
  const handlers = invoicesHandlers({
    invoicing: invoices,
    orders: rpcOrderSource(
      deps.rpc,
      deps.orderFetchTimeoutMs === undefined ? {} : { timeoutMs: deps.orderFetchTimeoutMs },
    ),
    payments: new PaymentsProjection({
      db,
      payments: paymentsRepository,
      invoices: invoicesRepository,
      invoicing: invoices,
    }),
    tenants: new TenantProfilesProjection({ repository: tenantsRepository }),
  });

  return {
    name: 'invoices',
    description:
      'Invoices and credit notes from order and payment events, gap-free numbering per tenant, PDF.',
    migrations: invoicesMigrations,
    readinessChecks: [
      {
        name: 'invoices.database',
        check: async () => {
          await deps.pingDatabase();
          return true;
        },
      },
      { name: 'invoices.bus', check: () => deps.bus.isHealthy() },
    ],
    kernel,
    invoices,
    creditNotes,
    settings,
    registerRoutes(app) {
      enableIdempotency(app, kernel.idempotency);
      invoicesRoutes(app, invoices, creditNotes);
      creditNotesRoutes(app, creditNotes);
      settingsRoutes(app, settings);
    },
    consumers: invoicesConsumers,
    subscribe: () => subscribeInvoices({ bus: deps.bus, inbox: kernel.inbox, handlers }),
    start() {
      kernel.start();
      return Promise.resolve();
    },
    stop: () => kernel.stop(),
  };
}
