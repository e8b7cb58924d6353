import { RabbitBus } from '@only/platform/bus';
import { loadConfig } from '@only/platform/config';
import { createLogger } from '@only/platform/log';
import { busCommandConfigSchema } from '../cli-config.ts';

async function withRabbit<T>(work: (bus: RabbitBus) => Promise<T>): Promise<T> {
  const config = loadConfig('only dlq', busCommandConfigSchema);
  if (config.RABBITMQ_URL === undefined) {
    throw new Error(
      'Dead-letter tools work on RabbitMQ: set RABBITMQ_URL (on Kafka, read the only.dlq.<consumer> topic)',
    );
  }
  const bus = await RabbitBus.connect({
    url: config.RABBITMQ_URL,
    namespace: config.BUS_NAMESPACE,
    connectionName: 'only-dlq',
    logger: createLogger({ service: 'only', level: config.LOG_LEVEL }),
    initialConnectRetries: 2,
  });
  try {
    return await work(bus);
  } finally {
    await bus.close();
  }
}

/** `only dlq list`: the messages parked for a consumer, oldest first (they stay parked). */
export async function dlqListCommand(flags: { consumer: string; limit?: string }): Promise<void> {
  await withRabbit(async (bus) => {
    const total = await bus.deadLetterCount(flags.consumer);
    const letters = await bus.deadLetters(flags.consumer, Number(flags.limit ?? 50));
    process.stdout.write(`${String(total)} message(s) parked for ${flags.consumer}\n`);
    for (const letter of letters) {
      process.stdout.write(
        `${letter.event.id}  ${letter.event.type}  attempts=${String(letter.attempts)}  at=${letter.deadLetteredAt}  error=${letter.error}\n`,
      );
    }
  });
}

/** `only dlq show`: one parked message in full (envelope, headers, error). */
export async function dlqShowCommand(flags: { consumer: string; id: string }): Promise<void> {
  await withRabbit(async (bus) => {
    const letter = (await bus.deadLetters(flags.consumer, 10_000)).find((l) => l.event.id === flags.id);
    if (!letter) throw new Error(`No parked message ${flags.id} for ${flags.consumer}`);
    process.stdout.write(`${JSON.stringify(letter, null, 2)}\n`);
  });
}

/** `only dlq redrive`: moves parked messages (all, or the given ids) back for another round. */
export async function dlqRedriveCommand(flags: { consumer: string; id?: string[] }): Promise<void> {
  await withRabbit(async (bus) => {
    const moved = await bus.redrive(flags.consumer, flags.id);
    process.stdout.write(`${String(moved)} message(s) sent back to ${flags.consumer}\n`);
  });
}
