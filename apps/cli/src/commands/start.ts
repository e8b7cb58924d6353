import { edgeLimitsFrom } from '@only/gateway';
import { loadConfig } from '@only/platform/config';
import { createLogger } from '@only/platform/log';
import { embeddedConfigSchema } from '../cli-config.ts';
import { startEmbedded } from '../embedded.ts';

/** Flags of `only start`. */
export interface StartFlags {
  readonly dataDir?: string;
  readonly port?: string;
  readonly host?: string;
  readonly seed?: boolean;
}

/** `only start`: the whole platform in this process until Ctrl-C. */
export async function startCommand(flags: StartFlags): Promise<void> {
  const config = loadConfig('only start', embeddedConfigSchema, {
    ...process.env,
    ...(flags.dataDir === undefined ? {} : { DATA_DIR: flags.dataDir }),
    ...(flags.port === undefined ? {} : { GATEWAY_PORT: flags.port }),
    ...(flags.host === undefined ? {} : { HOST: flags.host }),
    ...(flags.seed === false ? { SEED_DEMO_DATA: 'false' } : {}),
  });
  const logger = createLogger({ service: 'only', level: config.LOG_LEVEL });
  const platform = await startEmbedded({
    dataDir: config.DATA_DIR,
    port: config.GATEWAY_PORT,
    host: config.HOST,
    seedDemoData: config.SEED_DEMO_DATA,
    logger,
    ...(config.PUBLIC_URL === undefined ? {} : { publicUrl: config.PUBLIC_URL }),
    limits: edgeLimitsFrom(config),
  });
  platform.lifecycle.handleSignals();
  const url = platform.url.replace('0.0.0.0', '127.0.0.1');
  process.stdout.write(
    [
      '',
      'Only is running (embedded mode: one process, PGlite, in-process bus)',
      `  API          ${url}/api/`,
      `  API docs     ${url}/docs`,
      `  Health       ${url}/health/ready`,
      `  Metrics      ${url}/metrics`,
      `  Sign-in      ${url}/api/identity/.well-known/openid-configuration`,
      `  Data         ${config.DATA_DIR === 'memory' ? 'in memory (nothing kept)' : config.DATA_DIR}`,
      platform.seeded
        ? '  Demo data    created: tenants acme and globex, one user per role — see README "Demo logins"'
        : '',
      'Press Ctrl-C to stop.',
      '',
    ]
      .filter((line, index, lines) => line !== '' || index === 0 || index === lines.length - 1)
      .join('\n') + '\n',
  );
}
