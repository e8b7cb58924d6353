import { describe, expect, it } from 'vitest';
import { brandStyle, hexColor, standardFontsFor } from './brand-style.ts';

describe('brand style', () => {
  it('maps CSS font families to the closest standard PDF font', () => {
    expect(standardFontsFor("Georgia, 'Times New Roman', serif")).toEqual({
      regular: 'Times-Roman',
      bold: 'Times-Bold',
    });
    expect(standardFontsFor("'Helvetica Neue', Arial, sans-serif")).toEqual({
      regular: 'Helvetica',
      bold: 'Helvetica-Bold',
    });
    expect(standardFontsFor('"Fira Code", monospace')).toEqual({ regular: 'Courier', bold: 'Courier-Bold' });
    // An unknown family is skipped; the first known one decides.
    expect(standardFontsFor('Brandon Grotesque, Georgia')).toEqual({
      regular: 'Times-Roman',
      bold: 'Times-Bold',
    });
    expect(standardFontsFor('Brandon Grotesque')).toEqual({ regular: 'Helvetica', bold: 'Helvetica-Bold' });
    expect(standardFontsFor(null)).toEqual({ regular: 'Helvetica', bold: 'Helvetica-Bold' });
  });

  it('normalises hex colours and refuses anything else', () => {
    expect(hexColor('#6F4E37')).toBe('#6f4e37');
    expect(hexColor('#abc')).toBe('#aabbcc');
    expect(hexColor('red')).toBeUndefined();
    expect(hexColor('#12345')).toBeUndefined();
  });

  it("uses the tenant's colours, with readable text on the primary colour", () => {
    const dark = brandStyle({
      logoUrl: null,
      colors: { primary: '#6f4e37', secondary: '#c8a27a', background: '#fdf6ec', text: '#2b1d14' },
      fontFamily: null,
    });
    expect(dark.colors).toMatchObject({
      primary: '#6f4e37',
      secondary: '#c8a27a',
      text: '#2b1d14',
      onPrimary: '#ffffff',
    });
    const light = brandStyle({
      logoUrl: null,
      colors: { primary: '#fde047', secondary: '#000000', background: '#000000', text: '#ffffff' },
      fontFamily: null,
    });
    expect(light.colors.onPrimary).toBe('#111111');
    // White text from a dark theme would vanish on paper.
    expect(light.colors.text).not.toBe('#ffffff');
    expect(brandStyle(undefined).colors.primary).toMatch(/^#[0-9a-f]{6}$/);
  });
});
