import { problemResponses, type HttpApp } from '@only/platform/http';
import { settingsSchema, updateSettingsBody } from './settings.dto.ts';
import type { SettingsService } from './settings.service.ts';

const tags = ['settings'];

/** HTTP routes of the tenant's invoicing settings. */
export function settingsRoutes(app: HttpApp, service: SettingsService): void {
  app.get(
    '/settings',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'Invoice and credit note number formats and payment terms of the tenant',
        response: { 200: settingsSchema },
      },
    },
    (request) => service.get(request.ctx),
  );

  app.patch(
    '/settings',
    {
      config: { permission: 'invoices:manage' },
      schema: {
        tags,
        summary: 'Change number formats or payment terms (for documents issued from now on)',
        description:
          'Formats are text with `{YYYY}`, `{YY}`, `{MM}` and exactly one `{SEQ:n}`, e.g. `INV-{YYYY}-{SEQ:6}` → INV-2026-000001. Each series (invoices, credit notes) counts without gaps and restarts when the period its format shows changes.',
        body: updateSettingsBody,
        response: { 200: settingsSchema, ...problemResponses(400) },
      },
    },
    (request) => service.update(request.ctx, request.body),
  );
}
