/**
 * Configuration: one Zod schema per service, parsed from the environment with every problem
 * reported at once. No secret ever has a default.
 * @module
 */
export { loadConfig, describeConfig, ConfigError, type Env, type ConfigVariable } from './load-config.ts';
export { port, flag, positiveInt, optionalUrl, secret, logLevel } from './fields.ts';
