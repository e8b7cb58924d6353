import type { Clock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import { newId } from '@only/platform/ids';
import type { Logger } from '@only/platform/log';
import { notificationsErrors } from '../../errors.ts';
import type { DirectoryRepository } from '../directory/directory.repository.ts';
import type { TenantProfileRow } from '../directory/directory.table.ts';
import {
  BUILT_IN_LOCALES,
  BUILT_IN_TEMPLATES,
  SAMPLE_DATA,
  TEMPLATE_PARTS,
  type TemplatePart,
  type TemplateParts,
} from './built-in-templates.ts';
import { wrapInLayout } from './email-layout.ts';
import { KIND_POLICIES, NOTIFICATION_KINDS, type NotificationKind } from './notification-kinds.ts';
import { TemplateError, type TemplateRenderer } from './template-renderer.ts';
import type { Preview, PutTemplateInput, Template } from './templates.dto.ts';
import type { TemplatesRepository } from './templates.repository.ts';
import type { TemplateRow } from './templates.table.ts';

/** The parts a kind's messages use: email always; SMS and in-app only where the kind goes there. */
export function partsOf(kind: NotificationKind): TemplatePart[] {
  const policy = KIND_POLICIES[kind];
  const parts: TemplatePart[] = ['subject', 'html', 'text'];
  if (policy.customer?.includes('sms')) parts.push('sms');
  if (policy.staff !== undefined) parts.push('inAppTitle', 'inAppBody');
  return parts;
}

function partsOfRow(row: TemplateRow | undefined): TemplateParts {
  if (row === undefined) return {};
  const parts: Record<string, string> = {};
  for (const name of TEMPLATE_PARTS) {
    const value = row[name];
    if (value !== null) parts[name] = value;
  }
  return parts;
}

/** A message rendered for one recipient in one language. */
export interface RenderedMessage {
  readonly locale: string;
  readonly subject: string;
  /** The whole mail, body inside the tenant's branded layout. */
  readonly html: string;
  readonly text: string;
  readonly sms: string | null;
  readonly inAppTitle: string | null;
  readonly inAppBody: string | null;
}

/** The template to use for a kind in a chain of languages. */
interface ResolvedTemplate {
  readonly locale: string;
  readonly parts: TemplateParts;
  /** The built-in parts of that language (or English): used when a tenant's part fails to render. */
  readonly builtIn: TemplateParts;
  readonly row: TemplateRow | undefined;
}

/**
 * Templates per tenant, kind and language: Only's built-in ones (English, German) and the tenant's
 * own, which replace them part by part. Renders messages with the tenant's branding.
 */
export class TemplatesService {
  private readonly repository: TemplatesRepository;
  private readonly directory: DirectoryRepository;
  private readonly renderer: TemplateRenderer;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(deps: {
    repository: TemplatesRepository;
    directory: DirectoryRepository;
    renderer: TemplateRenderer;
    clock: Clock;
    logger: Logger;
  }) {
    this.repository = deps.repository;
    this.directory = deps.directory;
    this.renderer = deps.renderer;
    this.clock = deps.clock;
    this.logger = deps.logger;
  }

  /** The template of the first language in `chain` that the tenant or Only has one in. */
  async resolve(
    tenantId: string,
    kind: NotificationKind,
    chain: readonly string[],
  ): Promise<ResolvedTemplate> {
    const rows = await this.repository.findIn(tenantId, kind, chain);
    for (const locale of chain) {
      const row = rows.find((r) => r.locale === locale);
      const builtIn = BUILT_IN_TEMPLATES[locale]?.[kind];
      if (row === undefined && builtIn === undefined) continue;
      const fallback = builtIn ?? BUILT_IN_TEMPLATES.en?.[kind] ?? {};
      return { locale, parts: { ...fallback, ...partsOfRow(row) }, builtIn: fallback, row };
    }
    return { locale: 'en', parts: BUILT_IN_TEMPLATES.en?.[kind] ?? {}, builtIn: {}, row: undefined };
  }

  /**
   * Renders a kind for one recipient: the template of the first language of `chain` available,
   * in the tenant's branded layout. A tenant's part that fails at render time (it compiled when
   * saved, but the data lacks what it expects) is replaced by the built-in one and logged.
   */
  async render(
    tenant: { id: string; profile: TenantProfileRow | undefined; name: string },
    kind: NotificationKind,
    chain: readonly string[],
    data: Record<string, unknown>,
  ): Promise<RenderedMessage> {
    const resolved = await this.resolve(tenant.id, kind, chain);
    const { locale } = resolved;
    const values = { ...data, tenant: { name: tenant.name, slug: tenant.profile?.slug ?? null }, locale };
    const part = (name: TemplatePart): string | null => {
      const source = resolved.parts[name];
      if (source === undefined) return null;
      const options = { locale, timeZone: tenant.profile?.timezone, escape: name === 'html' };
      try {
        return this.renderer.render(source, values, options);
      } catch (error) {
        const builtIn = resolved.builtIn[name];
        if (builtIn === undefined || builtIn === source) throw error;
        this.logger.warn(
          { tenantId: tenant.id, kind, locale, part: name, error: (error as Error).message },
          "the tenant's template failed to render; the built-in one was used",
        );
        return this.renderer.render(builtIn, values, options);
      }
    };
    const subject = (part('subject') ?? '').replace(/[\r\n]+/g, ' ').trim();
    return {
      locale,
      subject,
      html: wrapInLayout(this.renderer, {
        content: part('html') ?? '',
        subject,
        locale,
        tenantName: tenant.name,
        branding: tenant.profile?.branding ?? null,
      }),
      text: part('text') ?? '',
      sms: part('sms'),
      inAppTitle: part('inAppTitle'),
      inAppBody: part('inAppBody'),
    };
  }

  async list(ctx: RequestContext): Promise<{ items: ListItem[] }> {
    const rows = await this.repository.list(ctx.tenantId);
    const items: ListItem[] = [];
    for (const kind of NOTIFICATION_KINDS) {
      const locales = new Set<string>([
        ...BUILT_IN_LOCALES,
        ...rows.filter((r) => r.kind === kind).map((r) => r.locale),
      ]);
      for (const locale of [...locales].sort()) {
        const row = rows.find((r) => r.kind === kind && r.locale === locale);
        items.push({
          kind,
          locale,
          source: row === undefined ? 'built-in' : 'tenant',
          updatedAt: row?.updatedAt.toISOString() ?? null,
        });
      }
    }
    return { items };
  }

  async get(ctx: RequestContext, kind: NotificationKind, locale: string): Promise<Template> {
    const row = await this.repository.find(ctx.tenantId, kind, locale);
    if (row === undefined && BUILT_IN_TEMPLATES[locale]?.[kind] === undefined) {
      throw notificationsErrors.template_not_found(
        `No ${kind} template in ${locale}; messages in ${locale} use the next language available (the tenant's, then English).`,
      );
    }
    return this.toTemplate(kind, locale, row);
  }

  /** Creates or replaces the tenant's template; every part must compile and render the example data. */
  async put(
    ctx: RequestContext,
    kind: NotificationKind,
    locale: string,
    input: PutTemplateInput,
  ): Promise<Template> {
    const usable = partsOf(kind);
    const parts: Record<string, string | null> = {};
    for (const name of TEMPLATE_PARTS) {
      const source = input[name];
      if (source === undefined || source === null) {
        parts[name] = null;
        continue;
      }
      if (!usable.includes(name)) {
        throw notificationsErrors.template_part_unused(
          `${kind} messages have no ${name}; they use ${usable.join(', ')}.`,
          {
            field: name,
          },
        );
      }
      this.validate(kind, locale, name, source);
      parts[name] = source;
    }
    const now = this.clock.now();
    const row = await this.repository.upsert({
      id: newId('tpl'),
      tenantId: ctx.tenantId,
      kind,
      locale,
      subject: parts.subject ?? null,
      html: parts.html ?? null,
      text: parts.text ?? null,
      sms: parts.sms ?? null,
      inAppTitle: parts.inAppTitle ?? null,
      inAppBody: parts.inAppBody ?? null,
      createdAt: now,
      updatedAt: now,
    });
    return this.toTemplate(kind, locale, row);
  }

  async delete(ctx: RequestContext, kind: NotificationKind, locale: string): Promise<void> {
    if (!(await this.repository.delete(ctx.tenantId, kind, locale))) {
      throw notificationsErrors.template_not_found(
        `The tenant has no ${kind} template of its own in ${locale}.`,
      );
    }
  }

  /** The template of exactly this language rendered with the kind's example data (and `data` over it). */
  async preview(
    ctx: RequestContext,
    kind: NotificationKind,
    locale: string,
    data: Record<string, unknown> = {},
  ): Promise<Preview> {
    await this.get(ctx, kind, locale);
    const profile = await this.directory.tenant(ctx.tenantId);
    let rendered: RenderedMessage;
    try {
      rendered = await this.render(
        { id: ctx.tenantId, profile, name: profile?.name ?? 'Only' },
        kind,
        [locale],
        { ...SAMPLE_DATA[kind], ...data },
      );
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      throw notificationsErrors.template_invalid(`The template does not render this data: ${error.message}`, {
        field: 'data',
        error: error.message,
      });
    }
    const usable = partsOf(kind);
    return {
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      sms: usable.includes('sms') ? rendered.sms : null,
      inAppTitle: usable.includes('inAppTitle') ? rendered.inAppTitle : null,
      inAppBody: usable.includes('inAppBody') ? rendered.inAppBody : null,
    };
  }

  private validate(kind: NotificationKind, locale: string, name: TemplatePart, source: string): void {
    const escape = name === 'html';
    try {
      this.renderer.check(source, escape);
      this.renderer.render(
        source,
        { ...SAMPLE_DATA[kind], tenant: { name: 'Example', slug: 'example' }, locale },
        {
          locale,
          escape,
        },
      );
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      throw notificationsErrors.template_invalid(`The ${name} template does not compile: ${error.message}`, {
        field: name,
        error: error.message,
      });
    }
  }

  private toTemplate(kind: NotificationKind, locale: string, row: TemplateRow | undefined): Template {
    const usable = partsOf(kind);
    const builtIn = BUILT_IN_TEMPLATES[locale]?.[kind] ?? BUILT_IN_TEMPLATES.en?.[kind] ?? {};
    const own = partsOfRow(row);
    const value = (name: TemplatePart) =>
      usable.includes(name) ? (own[name] ?? builtIn[name] ?? null) : null;
    return {
      kind,
      locale,
      source: row === undefined ? 'built-in' : 'tenant',
      parts: {
        subject: value('subject'),
        html: value('html'),
        text: value('text'),
        sms: value('sms'),
        inAppTitle: value('inAppTitle'),
        inAppBody: value('inAppBody'),
      },
      overridden: TEMPLATE_PARTS.filter((name) => own[name] !== undefined),
      version: row?.version ?? null,
      updatedAt: row?.updatedAt.toISOString() ?? null,
    };
  }
}

interface ListItem {
  readonly kind: NotificationKind;
  readonly locale: string;
  readonly source: 'tenant' | 'built-in';
  readonly updatedAt: string | null;
}
