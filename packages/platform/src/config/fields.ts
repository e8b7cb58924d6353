import { z } from 'zod';

/** A TCP port number from an environment variable. */
export function port(defaultPort: number, description: string) {
  return z.coerce.number().int().min(0).max(65535).default(defaultPort).describe(description);
}

/** A boolean from an environment variable: `true/false`, `1/0`, `yes/no`, `on/off`. */
export function flag(defaultValue: boolean, description: string) {
  return z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
    .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on')
    .default(defaultValue)
    .describe(description);
}

/** A positive whole number, e.g. a size or a duration in milliseconds. */
export function positiveInt(defaultValue: number, description: string) {
  return z.coerce.number().int().positive().default(defaultValue).describe(description);
}

/** A URL with one of the given protocols, optional. */
export function optionalUrl(protocols: readonly string[], description: string) {
  return z
    .url({ protocol: new RegExp(`^(${protocols.join('|')})$`) })
    .optional()
    .describe(description);
}

/**
 * A secret (key, password, token). It never has a default: a deployment must set it. The value is
 * marked so that documentation and config dumps never show it.
 */
export function secret(description: string, minLength = 32) {
  return z.string().min(minLength).meta({ description, secret: true });
}

/** Log level accepted by the logger. */
export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info')
  .describe('Lowest level written to the JSON log.');
