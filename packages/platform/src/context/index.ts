/**
 * Request context: tenant, actor and correlation of the call being served.
 * @module
 */
export {
  DEMO_TENANT_ID,
  SYSTEM_ACTOR,
  systemContext,
  type Actor,
  type RequestContext,
} from './request-context.ts';
