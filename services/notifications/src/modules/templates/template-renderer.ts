import { formatMoney, isCurrency } from '@only/platform/money';
import Handlebars from 'handlebars';

/** The helpers templates may call; any other helper is refused when the template is compiled. */
const HELPERS = ['money', 'date', 'datetime'] as const;

/** What a render needs besides the data: the language and time zone numbers and dates are shown in. */
export interface RenderOptions {
  readonly locale: string;
  readonly timeZone?: string;
  /** HTML-escape values (HTML bodies); plain-text parts (subject, text, SMS, in-app) are not escaped. */
  readonly escape: boolean;
}

/** A template that does not compile or does not render; `message` is Handlebars' own. */
export class TemplateError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TemplateError';
  }
}

interface HelperOptions {
  readonly data?: { readonly root?: unknown; readonly locale?: string; readonly timeZone?: string };
}

function localeOf(options: HelperOptions): string {
  return options.data?.locale ?? 'en';
}

function formatDate(value: unknown, options: HelperOptions, style: Intl.DateTimeFormatOptions): string {
  if (typeof value !== 'string' && !(value instanceof Date)) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  // A calendar date (a due date) is the same day everywhere: never shift it into a time zone.
  const calendar = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  if (calendar) return new Intl.DateTimeFormat(localeOf(options), { ...style, timeZone: 'UTC' }).format(date);
  try {
    return new Intl.DateTimeFormat(localeOf(options), {
      ...style,
      timeZone: options.data?.timeZone ?? 'UTC',
    }).format(date);
  } catch {
    // An unknown zone or language from a tenant's settings must not stop the message.
    return new Intl.DateTimeFormat('en', { ...style, timeZone: 'UTC' }).format(date);
  }
}

/**
 * Compiles and renders Handlebars templates in an environment of their own: only the `money`,
 * `date` and `datetime` helpers, no partials, HTML escaping for HTML parts. Compiled templates are
 * cached by source, since the same few templates render again and again.
 */
export class TemplateRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();
  private readonly maxCached: number;

  constructor(maxCached = 500) {
    this.maxCached = maxCached;
    this.handlebars.registerHelper('money', (amount: unknown, currency: unknown, options: HelperOptions) => {
      if (typeof amount !== 'number' || typeof currency !== 'string' || !isCurrency(currency)) return '';
      return formatMoney(amount, currency, localeOf(options));
    });
    this.handlebars.registerHelper('date', (value: unknown, options: HelperOptions) =>
      formatDate(value, options, { dateStyle: 'long' }),
    );
    this.handlebars.registerHelper('datetime', (value: unknown, options: HelperOptions) =>
      formatDate(value, options, { dateStyle: 'long', timeStyle: 'short' }),
    );
  }

  private options(escape: boolean) {
    return {
      knownHelpers: Object.fromEntries(HELPERS.map((name) => [name, true])),
      knownHelpersOnly: true,
      noEscape: !escape,
      strict: false,
    };
  }

  /** Throws a {@link TemplateError} when `source` does not compile (syntax, unknown helper). */
  check(source: string, escape: boolean): void {
    try {
      this.handlebars.precompile(source, this.options(escape));
    } catch (error) {
      throw new TemplateError(error instanceof Error ? error.message : String(error), { cause: error });
    }
  }

  /** Renders `source` with `data`; throws a {@link TemplateError} when it cannot. */
  render(source: string, data: Record<string, unknown>, options: RenderOptions): string {
    const key = `${options.escape ? 'h' : 't'}:${source}`;
    let template = this.compiled.get(key);
    try {
      if (template === undefined) {
        this.check(source, options.escape);
        template = this.handlebars.compile(source, this.options(options.escape));
        if (this.compiled.size >= this.maxCached) this.compiled.clear();
        this.compiled.set(key, template);
      }
      return template(data, {
        data: { locale: options.locale, timeZone: options.timeZone },
        allowProtoPropertiesByDefault: false,
        allowProtoMethodsByDefault: false,
      });
    } catch (error) {
      if (error instanceof TemplateError) throw error;
      throw new TemplateError(error instanceof Error ? error.message : String(error), { cause: error });
    }
  }
}

/**
 * The languages to try, most specific first: each candidate (`de-AT`), then its language (`de`),
 * then English. Empty and repeated entries are dropped.
 */
export function localeChain(...candidates: (string | null | undefined)[]): string[] {
  const chain: string[] = [];
  const add = (locale: string) => {
    if (!chain.includes(locale)) chain.push(locale);
  };
  for (const candidate of candidates) {
    if (candidate === null || candidate === undefined || candidate.trim() === '') continue;
    const locale = candidate.trim();
    add(locale);
    const language = locale.split('-')[0];
    if (language !== undefined && language !== locale) add(language);
  }
  add('en');
  return chain;
}
