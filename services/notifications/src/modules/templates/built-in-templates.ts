import type { NotificationKind } from './notification-kinds.ts';

/** The wording of one kind in one language; parts a kind does not use are absent. */
export interface TemplateParts {
  readonly subject?: string;
  /** HTML of the message body (the tenant's branded layout goes around it); values are escaped. */
  readonly html?: string;
  readonly text?: string;
  readonly sms?: string;
  readonly inAppTitle?: string;
  readonly inAppBody?: string;
}

/** Names of the parts, as the API and the problem documents name them. */
export const TEMPLATE_PARTS = ['subject', 'html', 'text', 'sms', 'inAppTitle', 'inAppBody'] as const;
export type TemplatePart = (typeof TEMPLATE_PARTS)[number];

/** Languages Only ships templates in; tenants add others through the API. */
export const BUILT_IN_LOCALES = ['en', 'de'] as const;

const ORDER_LINES_HTML = `<table role="presentation" width="100%" cellpadding="4">{{#each order.lines}}
<tr><td>{{quantity}} × {{name}}</td><td align="right">{{money total ../order.currency}}</td></tr>{{/each}}
</table>`;
const ORDER_LINES_TEXT = `{{#each order.lines}}{{quantity}} x {{name}}: {{money total ../order.currency}}
{{/each}}`;

const en: Record<NotificationKind, TemplateParts> = {
  order_confirmation: {
    subject: 'Your order {{order.number}} is confirmed',
    html: `<p>Hello {{customer.name}},</p>
<p>thank you for your order at {{tenant.name}}. We have confirmed order <strong>{{order.number}}</strong>.</p>
${ORDER_LINES_HTML}
<p>Total: <strong>{{money order.totals.grandTotal order.currency}}</strong> (including {{money order.totals.tax order.currency}} tax)</p>`,
    text: `Hello {{customer.name}},

thank you for your order at {{tenant.name}}. We have confirmed order {{order.number}}.

${ORDER_LINES_TEXT}
Total: {{money order.totals.grandTotal order.currency}} (including {{money order.totals.tax order.currency}} tax)`,
    sms: '{{tenant.name}}: your order {{order.number}} ({{money order.totals.grandTotal order.currency}}) is confirmed.',
    inAppTitle: 'Order {{order.number}} confirmed',
    inAppBody: '{{customer.name}} — {{money order.totals.grandTotal order.currency}}',
  },
  shipment: {
    subject: 'Your order {{order.number}} is on its way',
    html: `<p>Hello {{customer.name}},</p>
<p>good news: your order <strong>{{order.number}}</strong> from {{tenant.name}} has been shipped.</p>`,
    text: `Hello {{customer.name}},

good news: your order {{order.number}} from {{tenant.name}} has been shipped.`,
    sms: '{{tenant.name}}: your order {{order.number}} has been shipped.',
  },
  invoice_issued: {
    subject: 'Invoice {{invoice.number}} from {{tenant.name}}',
    html: `<p>Hello {{customer.name}},</p>
<p>here is invoice <strong>{{invoice.number}}</strong>{{#if order}} for order {{order.number}}{{/if}} over <strong>{{money invoice.total invoice.currency}}</strong>.</p>
{{#if invoice.dueDate}}<p>Please pay by {{date invoice.dueDate}}.</p>{{/if}}`,
    text: `Hello {{customer.name}},

here is invoice {{invoice.number}}{{#if order}} for order {{order.number}}{{/if}} over {{money invoice.total invoice.currency}}.
{{#if invoice.dueDate}}Please pay by {{date invoice.dueDate}}.{{/if}}`,
  },
  payment_refunded: {
    subject: 'Your refund from {{tenant.name}}',
    html: `<p>Hello {{customer.name}},</p>
<p>we have refunded <strong>{{money payment.amount payment.currency}}</strong>{{#if order}} for order {{order.number}}{{/if}}.</p>`,
    text: `Hello {{customer.name}},

we have refunded {{money payment.amount payment.currency}}{{#if order}} for order {{order.number}}{{/if}}.`,
  },
  low_stock: {
    subject: 'Low stock: {{product.name}} ({{product.sku}})',
    html: `<p>Only <strong>{{stock.available}}</strong> of {{product.name}} ({{product.sku}}) are left, at or below the reorder point of {{stock.reorderPoint}}.</p>`,
    text: 'Only {{stock.available}} of {{product.name}} ({{product.sku}}) are left, at or below the reorder point of {{stock.reorderPoint}}.',
    inAppTitle: 'Low stock: {{product.sku}}',
    inAppBody: '{{stock.available}} of {{product.name}} left (reorder point {{stock.reorderPoint}}).',
  },
  password_reset: {
    subject: 'Reset your {{tenant.name}} password',
    html: `<p>Hello {{user.name}},</p>
<p>someone asked to reset the password of your account at {{tenant.name}}. If it was you, choose a new password:</p>
<p><a href="{{resetUrl}}">Reset my password</a></p>
<p>The link works once, until {{datetime expiresAt}}. If you did not ask, ignore this mail: your password stays as it is.</p>`,
    text: `Hello {{user.name}},

someone asked to reset the password of your account at {{tenant.name}}. If it was you, choose a new password:

{{resetUrl}}

The link works once, until {{datetime expiresAt}}. If you did not ask, ignore this mail: your password stays as it is.`,
  },
  invitation: {
    subject: 'You are invited to {{tenant.name}}',
    html: `<p>Hello {{user.name}},</p>
<p>you have been invited to {{tenant.name}} on Only. Confirm your email address and choose a password:</p>
<p><a href="{{acceptUrl}}">Accept the invitation</a></p>
<p>The link works once, until {{datetime expiresAt}}.</p>`,
    text: `Hello {{user.name}},

you have been invited to {{tenant.name}} on Only. Confirm your email address and choose a password:

{{acceptUrl}}

The link works once, until {{datetime expiresAt}}.`,
  },
};

const de: Record<NotificationKind, TemplateParts> = {
  order_confirmation: {
    subject: 'Ihre Bestellung {{order.number}} ist bestätigt',
    html: `<p>Hallo {{customer.name}},</p>
<p>vielen Dank für Ihre Bestellung bei {{tenant.name}}. Wir haben die Bestellung <strong>{{order.number}}</strong> bestätigt.</p>
${ORDER_LINES_HTML}
<p>Summe: <strong>{{money order.totals.grandTotal order.currency}}</strong> (inklusive {{money order.totals.tax order.currency}} Steuern)</p>`,
    text: `Hallo {{customer.name}},

vielen Dank für Ihre Bestellung bei {{tenant.name}}. Wir haben die Bestellung {{order.number}} bestätigt.

${ORDER_LINES_TEXT}
Summe: {{money order.totals.grandTotal order.currency}} (inklusive {{money order.totals.tax order.currency}} Steuern)`,
    sms: '{{tenant.name}}: Ihre Bestellung {{order.number}} ({{money order.totals.grandTotal order.currency}}) ist bestätigt.',
    inAppTitle: 'Bestellung {{order.number}} bestätigt',
    inAppBody: '{{customer.name}} — {{money order.totals.grandTotal order.currency}}',
  },
  shipment: {
    subject: 'Ihre Bestellung {{order.number}} ist unterwegs',
    html: `<p>Hallo {{customer.name}},</p>
<p>gute Nachricht: Ihre Bestellung <strong>{{order.number}}</strong> bei {{tenant.name}} wurde versandt.</p>`,
    text: `Hallo {{customer.name}},

gute Nachricht: Ihre Bestellung {{order.number}} bei {{tenant.name}} wurde versandt.`,
    sms: '{{tenant.name}}: Ihre Bestellung {{order.number}} wurde versandt.',
  },
  invoice_issued: {
    subject: 'Rechnung {{invoice.number}} von {{tenant.name}}',
    html: `<p>Hallo {{customer.name}},</p>
<p>anbei die Rechnung <strong>{{invoice.number}}</strong>{{#if order}} zur Bestellung {{order.number}}{{/if}} über <strong>{{money invoice.total invoice.currency}}</strong>.</p>
{{#if invoice.dueDate}}<p>Bitte zahlen Sie bis zum {{date invoice.dueDate}}.</p>{{/if}}`,
    text: `Hallo {{customer.name}},

anbei die Rechnung {{invoice.number}}{{#if order}} zur Bestellung {{order.number}}{{/if}} über {{money invoice.total invoice.currency}}.
{{#if invoice.dueDate}}Bitte zahlen Sie bis zum {{date invoice.dueDate}}.{{/if}}`,
  },
  payment_refunded: {
    subject: 'Ihre Erstattung von {{tenant.name}}',
    html: `<p>Hallo {{customer.name}},</p>
<p>wir haben Ihnen <strong>{{money payment.amount payment.currency}}</strong>{{#if order}} für die Bestellung {{order.number}}{{/if}} erstattet.</p>`,
    text: `Hallo {{customer.name}},

wir haben Ihnen {{money payment.amount payment.currency}}{{#if order}} für die Bestellung {{order.number}}{{/if}} erstattet.`,
  },
  low_stock: {
    subject: 'Niedriger Bestand: {{product.name}} ({{product.sku}})',
    html: `<p>Nur noch <strong>{{stock.available}}</strong> von {{product.name}} ({{product.sku}}) vorrätig, höchstens der Meldebestand von {{stock.reorderPoint}}.</p>`,
    text: 'Nur noch {{stock.available}} von {{product.name}} ({{product.sku}}) vorrätig, höchstens der Meldebestand von {{stock.reorderPoint}}.',
    inAppTitle: 'Niedriger Bestand: {{product.sku}}',
    inAppBody: 'Noch {{stock.available}} von {{product.name}} (Meldebestand {{stock.reorderPoint}}).',
  },
  password_reset: {
    subject: 'Ihr Passwort für {{tenant.name}} zurücksetzen',
    html: `<p>Hallo {{user.name}},</p>
<p>jemand möchte das Passwort Ihres Kontos bei {{tenant.name}} zurücksetzen. Wenn Sie das waren, wählen Sie ein neues Passwort:</p>
<p><a href="{{resetUrl}}">Passwort zurücksetzen</a></p>
<p>Der Link gilt einmal, bis {{datetime expiresAt}}. Wenn Sie es nicht waren, ignorieren Sie diese Mail: Ihr Passwort bleibt unverändert.</p>`,
    text: `Hallo {{user.name}},

jemand möchte das Passwort Ihres Kontos bei {{tenant.name}} zurücksetzen. Wenn Sie das waren, wählen Sie ein neues Passwort:

{{resetUrl}}

Der Link gilt einmal, bis {{datetime expiresAt}}. Wenn Sie es nicht waren, ignorieren Sie diese Mail: Ihr Passwort bleibt unverändert.`,
  },
  invitation: {
    subject: 'Einladung zu {{tenant.name}}',
    html: `<p>Hallo {{user.name}},</p>
<p>Sie wurden zu {{tenant.name}} auf Only eingeladen. Bestätigen Sie Ihre E-Mail-Adresse und wählen Sie ein Passwort:</p>
<p><a href="{{acceptUrl}}">Einladung annehmen</a></p>
<p>Der Link gilt einmal, bis {{datetime expiresAt}}.</p>`,
    text: `Hallo {{user.name}},

Sie wurden zu {{tenant.name}} auf Only eingeladen. Bestätigen Sie Ihre E-Mail-Adresse und wählen Sie ein Passwort:

{{acceptUrl}}

Der Link gilt einmal, bis {{datetime expiresAt}}.`,
  },
};

/** Built-in templates by locale, then kind. */
export const BUILT_IN_TEMPLATES: Readonly<Record<string, Readonly<Record<NotificationKind, TemplateParts>>>> =
  {
    en,
    de,
  };

/** Example data of each kind: for previews, and to check that a tenant's template renders. */
export const SAMPLE_DATA: Readonly<Record<NotificationKind, Record<string, unknown>>> = {
  order_confirmation: {
    customer: { name: 'Lin Okafor' },
    order: {
      id: 'ord_01jd5x3b2kf9v8s7w6q4r2m1n0',
      number: '100042',
      currency: 'EUR',
      lines: [
        { sku: 'COF-ESP-250', name: 'Espresso beans 250 g', quantity: 2, unitPrice: 1290, total: 2760 },
      ],
      totals: { subtotal: 2580, tax: 180, grandTotal: 2760 },
    },
  },
  shipment: { customer: { name: 'Lin Okafor' }, order: { number: '100042', currency: 'EUR' } },
  invoice_issued: {
    customer: { name: 'Lin Okafor' },
    invoice: { number: 'INV-2026-000042', total: 2760, currency: 'EUR', dueDate: '2026-02-14T00:00:00.000Z' },
    order: { number: '100042' },
  },
  payment_refunded: {
    customer: { name: 'Lin Okafor' },
    payment: { amount: 1290, currency: 'EUR' },
    order: { number: '100042' },
  },
  low_stock: {
    product: { sku: 'COF-ESP-250', name: 'Espresso beans 250 g' },
    stock: { available: 3, reorderPoint: 5, locationId: 'loc_01jd5x3b2kf9v8s7w6q4r2m1n0' },
  },
  password_reset: {
    user: { name: 'Ada Lovelace', email: 'ada@example.com' },
    resetUrl: 'https://shop.example.com/reset-password?token=example',
    expiresAt: '2026-01-15T10:30:00.000Z',
  },
  invitation: {
    user: { name: 'Ada Lovelace', email: 'ada@example.com' },
    acceptUrl: 'https://shop.example.com/accept-invitation?token=example',
    expiresAt: '2026-01-22T10:00:00.000Z',
  },
};
