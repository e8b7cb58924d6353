/**
 * The identity service: tenants (white-label), users, roles and permissions, API clients,
 * OAuth2/OIDC tokens with rotating signing keys, and the security audit log.
 * @module
 */
export {
  createIdentityModule,
  type IdentityDependencies,
  type IdentityModule,
  type IdentitySettings,
} from './identity-module.ts';
export { buildApp } from './app.ts';
export { identityConfigSchema, identitySettingsFrom, type IdentityConfig } from './config.ts';
export { identityMigrations } from './migrations.ts';
export {
  DEMO_TENANTS,
  GLOBEX_TENANT_ID,
  demoEmail,
  demoPassword,
  seedDemoIdentity,
  type DemoIdentity,
} from './seed/demo-data.ts';
export { WEB_APP_CLIENT } from './modules/clients/clients.service.ts';
export { PasswordHasher, OWASP_ARGON2ID, type Argon2Cost } from './security/password-hasher.ts';
