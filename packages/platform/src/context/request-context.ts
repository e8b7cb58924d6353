/** Who is acting: a signed-in user, a machine client, the platform itself, or nobody known. */
export interface Actor {
  readonly type: 'user' | 'client' | 'system' | 'anonymous';
  readonly id: string | null;
}

/** What every service call knows about the request it serves. */
export interface RequestContext {
  /** Tenant whose data the call may see and change; every query is scoped to it. */
  readonly tenantId: string;
  readonly actor: Actor;
  /** Id of this request (echoed as `x-request-id`). */
  readonly requestId: string;
  /** Shared by every request and event caused by one original request. */
  readonly correlationId: string;
}

/** The first demo tenant, which `npm start` seeds on its first run. */
export const DEMO_TENANT_ID = 'ten_01m80n5wh0fq8bg2x0v9vtay4p';

/** The platform acting on its own (seeding, relays, scheduled jobs). */
export const SYSTEM_ACTOR: Actor = { type: 'system', id: null };

/** A context for work that no request started: seeding, jobs, CLI commands. */
export function systemContext(tenantId: string, correlationId: string): RequestContext {
  return { tenantId, actor: SYSTEM_ACTOR, requestId: correlationId, correlationId };
}
