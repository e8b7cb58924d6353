import type { TenantBranding } from '../directory/directory.table.ts';
import type { TemplateRenderer } from './template-renderer.ts';

/** Colours and font of mails of a tenant that announced no branding (yet). */
const DEFAULT_BRANDING: TenantBranding = {
  logoUrl: null,
  colors: { primary: '#1f4f8b', secondary: '#e8eef6', background: '#f6f7f9', text: '#1d2530' },
  fontFamily: null,
};

const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const FONT = /^[\w\s,'"-]{1,120}$/;
const LOGO = /^(https?:\/\/|data:image\/(png|jpeg|gif|webp);base64,)/i;

// The tenant's colours and font end up in style attributes: only values of a known shape get there.
const colour = (value: string, fallback: string) => (COLOR.test(value) ? value : fallback);

const LAYOUT = `<!doctype html>
<html lang="{{locale}}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{subject}}</title></head>
<body style="margin:0;padding:0;background:{{colors.background}};font-family:{{font}};color:{{colors.text}}">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:{{colors.background}}"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-radius:6px">
<tr><td class="brand" style="background:{{colors.primary}};color:#ffffff;padding:16px 24px;border-radius:6px 6px 0 0">
{{#if logoUrl}}<img src="{{logoUrl}}" alt="{{tenantName}}" height="32" style="display:block;height:32px">{{else}}<strong style="font-size:18px">{{tenantName}}</strong>{{/if}}
</td></tr>
<tr><td style="padding:24px;line-height:1.5">{{{content}}}</td></tr>
<tr><td style="padding:12px 24px;background:{{colors.secondary}};font-size:12px;border-radius:0 0 6px 6px">{{tenantName}}</td></tr>
</table></td></tr></table>
</body>
</html>`;

/** The tenant's branded frame around an HTML body: logo or name, its colours and font. */
export function wrapInLayout(
  renderer: TemplateRenderer,
  input: {
    content: string;
    subject: string;
    locale: string;
    tenantName: string;
    branding: TenantBranding | null;
  },
): string {
  const branding = input.branding ?? DEFAULT_BRANDING;
  const defaults = DEFAULT_BRANDING.colors;
  return renderer.render(
    LAYOUT,
    {
      content: input.content,
      subject: input.subject,
      locale: input.locale,
      tenantName: input.tenantName,
      logoUrl: branding.logoUrl !== null && LOGO.test(branding.logoUrl) ? branding.logoUrl : null,
      font:
        branding.fontFamily !== null && FONT.test(branding.fontFamily)
          ? `${branding.fontFamily}, Arial, sans-serif`
          : 'Arial, Helvetica, sans-serif',
      colors: {
        primary: colour(branding.colors.primary, defaults.primary),
        secondary: colour(branding.colors.secondary, defaults.secondary),
        background: colour(branding.colors.background, defaults.background),
        text: colour(branding.colors.text, defaults.text),
      },
    },
    { locale: input.locale, escape: true },
  );
}
