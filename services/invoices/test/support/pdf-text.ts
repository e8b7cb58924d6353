// Just enough PDF reading for tests: the text drawn on the pages, from the content streams
// (inflated when compressed), and the names of the images they use. Not a PDF parser.
import { inflateSync } from 'node:zlib';

/** Every stream of the file, inflated where it is Flate-compressed. */
function streams(pdf: Buffer): string[] {
  const found: string[] = [];
  let from = 0;
  for (;;) {
    const start = pdf.indexOf('stream\n', from);
    if (start === -1) return found;
    const end = pdf.indexOf('\nendstream', start);
    if (end === -1) return found;
    const data = pdf.subarray(start + 'stream\n'.length, end);
    const dictionary = pdf.subarray(Math.max(0, start - 300), start).toString('latin1');
    let content = data;
    if (dictionary.lastIndexOf('/FlateDecode') > dictionary.lastIndexOf('<<')) {
      try {
        content = inflateSync(data);
      } catch {
        content = data;
      }
    }
    found.push(content.toString('latin1'));
    from = end + 1;
  }
}

// Standard fonts draw text in WinAnsi (Windows-1252): 0x80 is €.
const winAnsi = new TextDecoder('windows-1252');

function decodeHex(hex: string): string {
  return winAnsi.decode(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
}

/**
 * The text of a PDF made with standard fonts: each text-showing operator (`TJ` arrays of hex or
 * literal strings, `Tj`) as one line, kerned pieces joined.
 */
export function pdfText(pdf: Buffer): string {
  const lines: string[] = [];
  for (const content of streams(pdf)) {
    for (const match of content.matchAll(
      /\[((?:<[0-9a-fA-F\s]*>|\((?:\\.|[^\\)])*\)|[-\d.\s])*)\]\s*TJ|<([0-9a-fA-F\s]*)>\s*Tj|\(((?:\\.|[^\\)])*)\)\s*Tj/g,
    )) {
      if (match[1] !== undefined) {
        const pieces = [...match[1].matchAll(/<([0-9a-fA-F\s]*)>|\(((?:\\.|[^\\)])*)\)/g)].map((piece) =>
          piece[1] !== undefined ? decodeHex(piece[1]) : (piece[2] ?? ''),
        );
        lines.push(pieces.join(''));
      } else if (match[2] !== undefined) lines.push(decodeHex(match[2]));
      else lines.push(match[3] ?? '');
    }
  }
  return lines.join('\n');
}

/** How many images the pages draw (`Do` of an image XObject). */
export function imageCount(pdf: Buffer): number {
  return streams(pdf).reduce((count, content) => count + (content.match(/\/I\d+ Do\b/g)?.length ?? 0), 0);
}

/** The RGB fill colours (`r g b scn` or `rg`) the pages use, as `#rrggbb`. */
export function fillColors(pdf: Buffer): Set<string> {
  const colors = new Set<string>();
  for (const content of streams(pdf)) {
    for (const match of content.matchAll(/([\d.]+) ([\d.]+) ([\d.]+) (?:scn|rg)\b/g)) {
      const hex = [match[1], match[2], match[3]]
        .map((c) =>
          Math.round(Number(c) * 255)
            .toString(16)
            .padStart(2, '0'),
        )
        .join('');
      colors.add(`#${hex}`);
    }
  }
  return colors;
}
