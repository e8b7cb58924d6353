import { flag, port, positiveInt } from '@only/platform/config';
import { serviceProcessConfigSchema } from '@only/platform/service';
import { z } from 'zod';
import type { EmailSettings } from './channels/email-sender.ts';
import type { NotificationsSettings } from './notifications-module.ts';

const secretValue = (description: string) => z.string().min(1).optional().meta({ description, secret: true });

/** How notifications reach people: SMTP, the mail directory, the SMS provider, retries, the web app. */
const channelShape = {
  NOTIFICATIONS_APP_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      'Base URL of the web app, for the links in mails (password reset, invitation). Default: the gateway URL (`AUTH_ISSUER` without `/api/identity`).',
    ),
  NOTIFICATIONS_SMTP_HOST: z
    .string()
    .min(1)
    .optional()
    .describe(
      'SMTP server that sends email. Without it, mails are written as `.eml` files (see `NOTIFICATIONS_MAIL_DIR`).',
    ),
  NOTIFICATIONS_SMTP_PORT: port(587, 'Port of the SMTP server.'),
  NOTIFICATIONS_SMTP_SECURE: flag(
    false,
    'TLS from the first byte (usually port 465); otherwise STARTTLS is used when the server offers it.',
  ),
  NOTIFICATIONS_SMTP_USER: z
    .string()
    .min(1)
    .optional()
    .describe('SMTP user name, when the server wants a login.'),
  NOTIFICATIONS_SMTP_PASSWORD: secretValue('SMTP password (with `NOTIFICATIONS_SMTP_USER`).'),
  NOTIFICATIONS_SMTP_TIMEOUT_MS: positiveInt(
    10_000,
    'How long to wait for the SMTP server to connect and answer.',
  ),
  NOTIFICATIONS_EMAIL_FROM: z
    .string()
    .min(3)
    .default('Only <no-reply@localhost>')
    .describe("Sender address of every mail; the tenant's name is shown as the sender's name."),
  NOTIFICATIONS_MAIL_DIR: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Without an SMTP server: directory each mail is written to as an `.eml` file. Embedded mode defaults to `<DATA_DIR>/mail`.',
    ),
  NOTIFICATIONS_SMS_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      'Endpoint of the SMS provider (JSON POST `{to, text, reference, sender}`). Without it, no SMS is sent.',
    ),
  NOTIFICATIONS_SMS_API_KEY: secretValue('API key of the SMS provider, sent as `X-Api-Key`.'),
  NOTIFICATIONS_SMS_SENDER: z
    .string()
    .min(1)
    .optional()
    .describe('Sender name or number SMS show, when the provider supports one.'),
  NOTIFICATIONS_MAX_ATTEMPTS: positiveInt(
    6,
    'Attempts to send a message (the first included) before it is given up as failed.',
  ),
  NOTIFICATIONS_RETRY_BASE_MS: positiveInt(
    30_000,
    'Wait after the first failed attempt; it doubles after each further one (at most an hour).',
  ),
  NOTIFICATIONS_DISPATCH_INTERVAL_MS: positiveInt(
    1_000,
    'How often each process looks for messages due to be sent.',
  ),
  NOTIFICATIONS_STREAM_HEARTBEAT_MS: positiveInt(
    5_000,
    'Interval of the keep-alive comments on live notification streams; keep it below the gateway’s `UPSTREAM_TIMEOUT_MS`.',
  ),
};

type ChannelConfig = z.output<z.ZodObject<typeof channelShape>>;

function checkPairs(config: ChannelConfig, ctx: z.RefinementCtx): void {
  if (config.NOTIFICATIONS_SMS_URL !== undefined && config.NOTIFICATIONS_SMS_API_KEY === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['NOTIFICATIONS_SMS_API_KEY'],
      message: 'is required with NOTIFICATIONS_SMS_URL',
    });
  }
  if (config.NOTIFICATIONS_SMTP_PASSWORD !== undefined && config.NOTIFICATIONS_SMTP_USER === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['NOTIFICATIONS_SMTP_USER'],
      message: 'is required with NOTIFICATIONS_SMTP_PASSWORD',
    });
  }
}

/** The notifications variables embedded mode reads as well (everything but the port). */
export const notificationsChannelConfigSchema = z.object(channelShape).superRefine(checkPairs);

/** Configuration of the notifications service when it runs as its own process. */
export const notificationsConfigSchema = serviceProcessConfigSchema
  .extend({
    NOTIFICATIONS_PORT: port(3006, 'Port the notifications service listens on (distributed mode).'),
    ...channelShape,
  })
  .superRefine(checkPairs);

export type NotificationsConfig = z.output<typeof notificationsConfigSchema>;

/**
 * The module settings a configuration gives. `fallbacks` fill what it leaves open: the web app's
 * URL and, without an SMTP server, the directory mails are written to.
 */
export function notificationsSettingsFrom(
  config: ChannelConfig,
  fallbacks: { appUrl?: string; mailDir?: string } = {},
): NotificationsSettings {
  const from = config.NOTIFICATIONS_EMAIL_FROM;
  const mailDir = config.NOTIFICATIONS_MAIL_DIR ?? fallbacks.mailDir;
  let email: EmailSettings | undefined;
  if (config.NOTIFICATIONS_SMTP_HOST !== undefined) {
    email = {
      kind: 'smtp',
      from,
      smtp: {
        host: config.NOTIFICATIONS_SMTP_HOST,
        port: config.NOTIFICATIONS_SMTP_PORT,
        secure: config.NOTIFICATIONS_SMTP_SECURE,
        timeoutMs: config.NOTIFICATIONS_SMTP_TIMEOUT_MS,
        ...(config.NOTIFICATIONS_SMTP_USER === undefined ? {} : { user: config.NOTIFICATIONS_SMTP_USER }),
        ...(config.NOTIFICATIONS_SMTP_PASSWORD === undefined
          ? {}
          : { password: config.NOTIFICATIONS_SMTP_PASSWORD }),
      },
    };
  } else if (mailDir !== undefined) {
    email = { kind: 'directory', directory: mailDir, from };
  }
  const appUrl = config.NOTIFICATIONS_APP_URL ?? fallbacks.appUrl;
  return {
    ...(appUrl === undefined ? {} : { appUrl }),
    ...(email === undefined ? {} : { email }),
    ...(config.NOTIFICATIONS_SMS_URL === undefined || config.NOTIFICATIONS_SMS_API_KEY === undefined
      ? {}
      : {
          sms: {
            url: config.NOTIFICATIONS_SMS_URL,
            apiKey: config.NOTIFICATIONS_SMS_API_KEY,
            ...(config.NOTIFICATIONS_SMS_SENDER === undefined
              ? {}
              : { sender: config.NOTIFICATIONS_SMS_SENDER }),
          },
        }),
    retry: {
      maxAttempts: config.NOTIFICATIONS_MAX_ATTEMPTS,
      baseDelayMs: config.NOTIFICATIONS_RETRY_BASE_MS,
    },
    dispatchIntervalMs: config.NOTIFICATIONS_DISPATCH_INTERVAL_MS,
    streamHeartbeatMs: config.NOTIFICATIONS_STREAM_HEARTBEAT_MS,
  };
}

/** The web app's URL a service process falls back to: the gateway that issues the tokens. */
export function appUrlFromIssuer(issuer: string | undefined): string | undefined {
  return issuer?.replace(/\/api\/identity\/?$/, '');
}
