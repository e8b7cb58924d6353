import { port, positiveInt } from '@only/platform/config';
import { serviceProcessConfigSchema } from '@only/platform/service';
import { z } from 'zod';
import type { IdentitySettings } from './identity-module.ts';

/** Configuration of the identity service when it runs as its own process. */
export const identityConfigSchema = serviceProcessConfigSchema.extend({
  IDENTITY_PORT: port(3005, 'Port the identity service listens on (distributed mode).'),
  IDENTITY_ISSUER: z
    .url({ protocol: /^https?$/ })
    .transform((url) => url.replace(/\/+$/, ''))
    .describe(
      'Issuer of the access tokens (`iss`) and base URL of the OpenID endpoints, as clients reach it: `<gateway URL>/api/identity`.',
    ),
  IDENTITY_ACCESS_TOKEN_TTL_SECONDS: positiveInt(900, 'Lifetime of access tokens in seconds.'),
  IDENTITY_REFRESH_TOKEN_TTL_DAYS: positiveInt(30, 'Lifetime of each refresh token in days.'),
  IDENTITY_KEY_ROTATION_DAYS: positiveInt(30, 'Age in days after which the signing key is replaced.'),
  IDENTITY_SERVICE_SECRET: z.string().min(32).optional().meta({
    description:
      'Deployment secret from which each platform service’s client secret is derived, for machine tokens (`svc-<service>` at the token endpoint); without it, no service gets one.',
    secret: true,
  }),
});

export type IdentityConfig = z.output<typeof identityConfigSchema>;

/** The module settings a process's configuration gives. */
export function identitySettingsFrom(config: IdentityConfig): IdentitySettings {
  return {
    issuer: config.IDENTITY_ISSUER,
    accessTokenTtlSeconds: config.IDENTITY_ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: config.IDENTITY_REFRESH_TOKEN_TTL_DAYS,
    keyRotationDays: config.IDENTITY_KEY_ROTATION_DAYS,
    ...(config.IDENTITY_SERVICE_SECRET === undefined
      ? {}
      : { serviceSecret: config.IDENTITY_SERVICE_SECRET }),
  };
}
