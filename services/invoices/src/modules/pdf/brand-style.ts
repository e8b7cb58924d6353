// A tenant's branding as a PDF can show it: the 14 standard PDF fonts only (no font files to
// embed or fetch), so a CSS font family is mapped to the closest of them.
import type { Branding } from '@only/contracts/identity';

/** Fonts and colours a document is drawn with. */
export interface BrandStyle {
  readonly fonts: { readonly regular: string; readonly bold: string };
  readonly colors: {
    /** Headings, the table header and the total. */
    readonly primary: string;
    /** Rules and accents. */
    readonly secondary: string;
    readonly text: string;
    /** Text drawn on `primary`: white or near-black, whichever reads better. */
    readonly onPrimary: string;
    /** Every other table row. */
    readonly stripe: string;
    readonly muted: string;
  };
}

const STANDARD_FONTS = {
  sans: { regular: 'Helvetica', bold: 'Helvetica-Bold' },
  serif: { regular: 'Times-Roman', bold: 'Times-Bold' },
  mono: { regular: 'Courier', bold: 'Courier-Bold' },
} as const;

const SERIF =
  /^(serif|georgia|times|times new roman|garamond|palatino|palatino linotype|book antiqua|baskerville|cambria|didot|bodoni|merriweather|playfair display|lora|libre baskerville)$/;
const MONO =
  /^(monospace|courier|courier new|consolas|menlo|monaco|lucida console|source code pro|fira code|jetbrains mono)$/;
const SANS =
  /^(sans-serif|system-ui|helvetica|helvetica neue|arial|verdana|tahoma|segoe ui|roboto|inter|open sans|lato|calibri)$/;

/**
 * The standard font family closest to a CSS `font-family` list: the first family in the list
 * that is recognisably serif, monospace or sans-serif decides; Helvetica when none is.
 */
export function standardFontsFor(fontFamily: string | null): BrandStyle['fonts'] {
  for (const raw of (fontFamily ?? '').split(',')) {
    const family = raw
      .trim()
      .replace(/^['"]|['"]$/g, '')
      .toLowerCase();
    if (SERIF.test(family)) return STANDARD_FONTS.serif;
    if (MONO.test(family)) return STANDARD_FONTS.mono;
    if (SANS.test(family)) return STANDARD_FONTS.sans;
  }
  return STANDARD_FONTS.sans;
}

/** `#abc` or `#aabbcc` as `#aabbcc`; undefined for anything else. */
export function hexColor(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(value);
  if (short)
    return `#${short
      .slice(1)
      .map((c) => `${c}${c}`)
      .join('')}`.toLowerCase();
  return /^#[0-9a-f]{6}$/i.test(value) ? value.toLowerCase() : undefined;
}

function channels(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/** Relative luminance (WCAG) of a `#aabbcc` colour. */
function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** `hex` mixed with white: `amount` 0 is white, 1 the colour itself. */
function tint(hex: string, amount: number): string {
  return `#${channels(hex)
    .map((c) =>
      Math.round(255 - (255 - c) * amount)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

const NEUTRAL = { primary: '#1f2937', secondary: '#9ca3af', text: '#111827' };

/** The style of a tenant's documents; neutral greys for a tenant without (valid) branding. */
export function brandStyle(branding: Branding | undefined): BrandStyle {
  const primary = hexColor(branding?.colors.primary) ?? NEUTRAL.primary;
  const text = hexColor(branding?.colors.text) ?? NEUTRAL.text;
  // Text on a white page must stay readable whatever the tenant's theme background was.
  const readableText = luminance(text) > 0.4 ? NEUTRAL.text : text;
  return {
    fonts: standardFontsFor(branding?.fontFamily ?? null),
    colors: {
      primary,
      secondary: hexColor(branding?.colors.secondary) ?? NEUTRAL.secondary,
      text: readableText,
      onPrimary: luminance(primary) > 0.45 ? '#111111' : '#ffffff',
      stripe: tint(primary, 0.07),
      muted: '#6b7280',
    },
  };
}
