import { BUILT_IN_ROLES, type BuiltInRole } from '@only/contracts/auth';
import { DEMO_TENANT_ID, systemContext, type RequestContext } from '@only/platform/context';
import { NO_REQUEST } from '../request-meta.ts';
import type { ClientsService } from '../modules/clients/clients.service.ts';
import type { CreateTenantInput } from '../modules/tenants/tenants.dto.ts';
import type { TenantsService } from '../modules/tenants/tenants.service.ts';
import type { UsersService } from '../modules/users/users.service.ts';

/** The second demo tenant (the first is `DEMO_TENANT_ID` from `@only/platform/context`). */
export const GLOBEX_TENANT_ID = 'ten_01m80n5wh0fq8bg2x0v9vtay4q';

const LOCAL_ORIGINS = ['http://127.0.0.1:8080', 'http://localhost:8080', 'http://localhost:5173'];

/** A simple square logo with the tenant's initial, so the demo needs no image files. */
function initialLogo(letter: string, background: string, foreground: string): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="${background}"/><text x="32" y="44" font-family="Georgia, serif" font-size="36" font-weight="bold" text-anchor="middle" fill="${foreground}">${letter}</text></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** The two demo tenants, branded differently enough to tell apart at a glance. */
export const DEMO_TENANTS: readonly (CreateTenantInput & { id: string })[] = [
  {
    id: DEMO_TENANT_ID,
    slug: 'acme',
    name: 'Acme Coffee Roasters',
    branding: {
      logoUrl: initialLogo('A', '#6f4e37', '#fdf6ec'),
      colors: { primary: '#6f4e37', secondary: '#c8a27a', background: '#fdf6ec', text: '#2b1d14' },
      fontFamily: "Georgia, 'Times New Roman', serif",
    },
    enabledApps: ['back-office', 'point-of-sale', 'inventory', 'manufacturing', 'migration-console'],
    locale: 'de-DE',
    currency: 'EUR',
    timezone: 'Europe/Berlin',
    allowedOrigins: LOCAL_ORIGINS,
  },
  {
    id: GLOBEX_TENANT_ID,
    slug: 'globex',
    name: 'Globex Outfitters',
    branding: {
      logoUrl: initialLogo('G', '#1d4ed8', '#ffffff'),
      colors: { primary: '#1d4ed8', secondary: '#93c5fd', background: '#ffffff', text: '#0f172a' },
      fontFamily: "'Helvetica Neue', Arial, sans-serif",
    },
    enabledApps: ['back-office', 'point-of-sale', 'inventory'],
    locale: 'en-US',
    currency: 'USD',
    timezone: 'America/New_York',
    allowedOrigins: LOCAL_ORIGINS,
  },
];

const PEOPLE: Readonly<Record<BuiltInRole, string>> = {
  owner: 'Olivia Owner',
  admin: 'Adam Admin',
  manager: 'Maya Manager',
  cashier: 'Carlos Cashier',
  viewer: 'Vera Viewer',
};

/**
 * The password of a demo user: `only-demo-<role>`. DEMO ONLY — these accounts exist only in the
 * demo data (`npm start` on first run), and every one of their passwords is public here.
 */
export function demoPassword(role: BuiltInRole): string {
  return `only-demo-${role}`;
}

/** The email of a demo user: `<role>@<slug>.example`. */
export function demoEmail(role: BuiltInRole, slug: string): string {
  return `${role}@${slug}.example`;
}

/** What the demo seed made (or found already made). */
export interface DemoIdentity {
  readonly tenants: readonly { readonly id: string; readonly slug: string }[];
  readonly users: readonly { readonly tenant: string; readonly email: string; readonly role: BuiltInRole }[];
  readonly webClientId: string;
}

/**
 * Demo tenants `acme` (the demo tenant) and `globex` — or only those given —, each with one user
 * per built-in role (`<role>@<slug>.example`, password `only-demo-<role>`), and the first-party web
 * client `only-web`. Created through the services, so events flow; idempotent: what exists is kept.
 */
export async function seedDemoIdentity(
  correlationId: string,
  services: { tenants: TenantsService; users: UsersService; clients: ClientsService },
  tenants: readonly (typeof DEMO_TENANTS)[number][] = DEMO_TENANTS,
): Promise<DemoIdentity> {
  await services.clients.ensureFirstPartyClients();
  const users: { tenant: string; email: string; role: BuiltInRole }[] = [];
  for (const tenant of tenants) {
    const ctx: RequestContext = systemContext(tenant.id, correlationId);
    const existing =
      (await services.tenants.find(tenant.id)) ?? (await services.tenants.findActiveBySlug(tenant.slug));
    const tenantId = existing?.id ?? (await services.tenants.create(ctx, tenant, NO_REQUEST)).id;
    const tenantCtx = systemContext(tenantId, correlationId);
    for (const role of Object.keys(BUILT_IN_ROLES) as BuiltInRole[]) {
      const email = demoEmail(role, tenant.slug);
      if (!(await services.users.findByEmail(tenantId, email))) {
        await services.users.provision(
          tenantCtx,
          { email, name: PEOPLE[role], roles: [role], password: demoPassword(role) },
          NO_REQUEST,
        );
      }
      users.push({ tenant: tenant.slug, email, role });
    }
  }
  return { tenants: tenants.map(({ id, slug }) => ({ id, slug })), users, webClientId: 'only-web' };
}
