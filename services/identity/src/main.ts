// The identity service as its own process (distributed mode).
import { loadConfig } from '@only/platform/config';
import { runServiceProcess } from '@only/platform/service';
import { identityConfigSchema, identitySettingsFrom } from './config.ts';
import { createIdentityModule } from './identity-module.ts';

await runServiceProcess({
  name: 'identity',
  configSchema: identityConfigSchema,
  port: (config) => config.IDENTITY_PORT,
  // runServiceProcess has validated the whole configuration (and exited on errors) before this runs.
  create: (deps) =>
    createIdentityModule({ ...deps, ...identitySettingsFrom(loadConfig('identity', identityConfigSchema)) }),
  // The issuer checks its own tokens with its own keys, not over HTTP.
  verifier: (module) => module.tokenVerifier(),
});
