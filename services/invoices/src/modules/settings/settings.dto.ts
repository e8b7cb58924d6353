import { z } from 'zod';
import { DEFAULT_FORMATS, formatProblem } from '../numbering/number-format.ts';
import type { InvoiceSettingsRow } from './settings.table.ts';

/** Payment terms when a tenant sets none: due 14 days after the issue date. */
export const DEFAULT_PAYMENT_TERMS_DAYS = 14;

const numberFormat = z
  .string()
  .trim()
  .superRefine((format, ctx) => {
    const problem = formatProblem(format);
    if (problem !== undefined)
      ctx.addIssue({ code: 'custom', message: problem, params: { rule: 'number_format' } });
  });

export const updateSettingsBody = z
  .object({
    invoiceNumberFormat: numberFormat
      .optional()
      .describe(
        'Format of invoice numbers: text with `{YYYY}`, `{YY}`, `{MM}` and one `{SEQ:n}` (the sequence, n digits). Numbering restarts when the period the format shows (month, year) changes.',
      ),
    creditNoteNumberFormat: numberFormat
      .optional()
      .describe('Format of credit note numbers (their own series).'),
    paymentTermsDays: z
      .number()
      .int()
      .min(0)
      .max(365)
      .optional()
      .describe('Days from the issue date to the due date.'),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'Give at least one of invoiceNumberFormat, creditNoteNumberFormat, paymentTermsDays',
    params: { rule: 'not_empty' },
  })
  .meta({ id: 'UpdateInvoiceSettings' });
export type UpdateSettingsInput = z.output<typeof updateSettingsBody>;

export const settingsSchema = z
  .object({
    invoiceNumberFormat: z.string(),
    creditNoteNumberFormat: z.string(),
    paymentTermsDays: z.number().int(),
    version: z.number().int().describe('0 while the tenant uses the defaults.'),
    updatedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'InvoiceSettings' });
export type InvoiceSettings = z.output<typeof settingsSchema>;

/** The settings of a tenant: its own, or the defaults. */
export function toSettings(row: InvoiceSettingsRow | undefined): InvoiceSettings {
  if (row === undefined) {
    return {
      invoiceNumberFormat: DEFAULT_FORMATS.invoice,
      creditNoteNumberFormat: DEFAULT_FORMATS.credit_note,
      paymentTermsDays: DEFAULT_PAYMENT_TERMS_DAYS,
      version: 0,
      updatedAt: null,
    };
  }
  return {
    invoiceNumberFormat: row.invoiceNumberFormat,
    creditNoteNumberFormat: row.creditNoteNumberFormat,
    paymentTermsDays: row.paymentTermsDays,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}
