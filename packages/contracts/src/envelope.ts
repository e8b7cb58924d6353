import { z } from 'zod';

/**
 * The envelope every event travels in, whatever the transport. `data` is validated separately
 * against the schema of `type`@`version`.
 */
export const eventEnvelopeSchema = z.object({
  id: z.uuid({ version: 'v7' }).describe('Event id (UUIDv7): unique, time-ordered; consumers dedupe on it.'),
  type: z
    .string()
    .regex(/^[a-z]+(\.[a-z_]+){2}$/)
    .describe('`<service>.<aggregate>.<what happened>`, e.g. `orders.order.placed`.'),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: false }).describe('UTC time the change was committed.'),
  source: z.string().min(1).describe('Service that emitted the event.'),
  tenantId: z.string().min(1),
  aggregateId: z
    .string()
    .min(1)
    .describe('Id of the entity the event is about; the ordering and partition key.'),
  correlationId: z.string().min(1).describe('Shared by everything caused by one original request.'),
  causationId: z.string().nullable().describe('Id of the event or request that directly caused this one.'),
  data: z.unknown(),
});

/** An event as it travels: envelope plus its (already validated) data. */
export interface EventEnvelope<TType extends string = string, TData = unknown> {
  readonly id: string;
  readonly type: TType;
  readonly version: number;
  readonly occurredAt: string;
  readonly source: string;
  readonly tenantId: string;
  readonly aggregateId: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly data: TData;
}

/** The schema and identity of one event type at one version. */
export interface EventDefinition<TType extends string = string, TSchema extends z.ZodType = z.ZodType> {
  readonly type: TType;
  readonly version: number;
  readonly schema: TSchema;
  /** What happened, for generated documentation. */
  readonly description: string;
}

/** The data type carried by an event definition. */
export type EventData<D extends EventDefinition> = z.output<D['schema']>;

/** An envelope typed by its definition. */
export type EventOf<D extends EventDefinition> = EventEnvelope<D['type'], EventData<D>>;

/** Declares an event type at a version; one file per event version. */
export function defineEvent<const TType extends string, TSchema extends z.ZodType>(definition: {
  type: TType;
  version: number;
  schema: TSchema;
  description: string;
}): EventDefinition<TType, TSchema> {
  return definition;
}

/** True when `envelope` is an event of `definition` (type and version), narrowing its data type. */
export function isEvent<D extends EventDefinition>(
  definition: D,
  envelope: EventEnvelope,
): envelope is EventOf<D> {
  return envelope.type === definition.type && envelope.version === definition.version;
}
