import { z } from 'zod';
import { NOTIFICATION_KINDS } from './notification-kinds.ts';

export const kindSchema = z.enum(NOTIFICATION_KINDS).describe('What the notification is about.');
export const localeSchema = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Must be a language tag such as en, de or de-AT')
  .describe('Language tag: `en`, `de`, `de-AT`…');

export const templateParams = z.object({ kind: kindSchema, locale: localeSchema });

const part = (max: number, description: string) =>
  z.string().min(1, 'Must not be empty').max(max).nullable().optional().describe(description);

export const putTemplateBody = z
  .object({
    subject: part(500, 'Email subject (plain text).'),
    html: part(100_000, 'Email body as HTML; values are HTML-escaped; the branded layout goes around it.'),
    text: part(100_000, 'Email body as plain text.'),
    sms: part(1_000, 'SMS text.'),
    inAppTitle: part(200, 'Title of the in-app notification.'),
    inAppBody: part(2_000, 'Text of the in-app notification.'),
  })
  .strict()
  .refine((body) => Object.values(body).some((value) => typeof value === 'string'), {
    message: 'Give at least one of subject, html, text, sms, inAppTitle, inAppBody',
    params: { rule: 'not_empty' },
  })
  .meta({ id: 'PutTemplate' });
export type PutTemplateInput = z.output<typeof putTemplateBody>;

const partsSchema = z.object({
  subject: z.string().nullable(),
  html: z.string().nullable(),
  text: z.string().nullable(),
  sms: z.string().nullable(),
  inAppTitle: z.string().nullable(),
  inAppBody: z.string().nullable(),
});

export const templateSchema = z
  .object({
    kind: kindSchema,
    locale: z.string(),
    source: z
      .enum(['tenant', 'built-in'])
      .describe('`tenant` when the tenant has its own template in this language, else `built-in`.'),
    parts: partsSchema.describe('The template as used: the tenant’s parts, the built-in ones for the rest.'),
    overridden: z.array(z.string()).describe('Parts the tenant wrote itself.'),
    version: z.number().int().nullable(),
    updatedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Template' });
export type Template = z.output<typeof templateSchema>;

export const templateListSchema = z
  .object({
    items: z.array(
      z.object({
        kind: kindSchema,
        locale: z.string(),
        source: z.enum(['tenant', 'built-in']),
        updatedAt: z.iso.datetime().nullable(),
      }),
    ),
  })
  .meta({ id: 'TemplateList' });

export const previewBody = z
  .object({
    data: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Values to render with, over the example data of the kind.'),
  })
  .strict()
  .meta({ id: 'PreviewTemplate' });

export const previewSchema = z
  .object({
    subject: z.string().nullable(),
    html: z.string().nullable().describe('The whole mail: body in the tenant’s branded layout.'),
    text: z.string().nullable(),
    sms: z.string().nullable(),
    inAppTitle: z.string().nullable(),
    inAppBody: z.string().nullable(),
  })
  .meta({ id: 'TemplatePreview' });
export type Preview = z.output<typeof previewSchema>;
