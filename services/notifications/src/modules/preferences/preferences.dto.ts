import { z } from 'zod';
import { localeSchema } from '../templates/templates.dto.ts';
import { CHANNELS, NOTIFICATION_KINDS } from '../templates/notification-kinds.ts';

const switches = z
  .partialRecord(z.enum(CHANNELS), z.boolean())
  .describe('Channel → on/off; channels left out keep their default.');

export const putPreferencesBody = z
  .object({
    locale: localeSchema
      .nullable()
      .optional()
      .describe('Language of your messages; null (or left out) for the tenant’s language.'),
    kinds: z
      .partialRecord(z.enum(NOTIFICATION_KINDS), switches)
      .default({})
      .describe('Per kind, the channels you turn on or off; kinds left out keep their defaults.'),
  })
  .strict()
  .meta({ id: 'PutPreferences' });
export type PutPreferencesInput = z.output<typeof putPreferencesBody>;

export const preferencesSchema = z
  .object({
    locale: z.string().nullable(),
    kinds: z
      .array(
        z.object({
          kind: z.enum(NOTIFICATION_KINDS),
          channel: z.enum(CHANNELS),
          enabled: z.boolean(),
          mandatory: z.boolean().describe('Always sent: cannot be turned off.'),
        }),
      )
      .describe('Every kind and channel that reaches you, and whether it is on.'),
    updatedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Preferences' });
export type Preferences = z.output<typeof preferencesSchema>;
