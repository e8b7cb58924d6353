import type { z } from 'zod';

/** Raised at boot when configuration is invalid; lists every problem at once. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(service: string, problems: readonly string[]) {
    super(`Invalid configuration for ${service}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Environment-like input: variable name → raw string. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses environment variables with a service's Zod schema. Keys of the schema are the variable
 * names. Empty strings count as unset, so `FOO=` falls back to the default or is reported missing.
 * Throws a `ConfigError` naming every invalid or missing variable, not just the first.
 */
export function loadConfig<S extends z.ZodObject>(
  service: string,
  schema: S,
  env: Env = process.env,
): z.output<S> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.') || '(config)';
    const missing = issue.code === 'invalid_type' && input[name] === undefined;
    return `${name}: ${missing ? 'is required but not set' : issue.message}`;
  });
  throw new ConfigError(service, problems);
}

/** One variable of a config schema, for documentation. */
export interface ConfigVariable {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
  readonly default: string | undefined;
  readonly secret: boolean;
}

/** Lists the variables of a config schema with their descriptions and defaults (for the README table). */
export function describeConfig(schema: z.ZodObject): ConfigVariable[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const type = field as z.ZodType;
    const meta = (type.meta() ?? {}) as { description?: string; secret?: boolean };
    const parsed = type.safeParse(undefined);
    const required = !parsed.success;
    const hasDefault = parsed.success && parsed.data !== undefined;
    return {
      name,
      description: meta.description ?? type.description ?? '',
      required,
      default: hasDefault ? JSON.stringify(parsed.data) : undefined,
      secret: meta.secret === true,
    };
  });
}
