// The page layout shared by invoices and credit notes, drawn with pdfkit: a branded header, the
// parties and key facts, a table of lines (continued over pages), the tax summary and totals.
import PDFDocument from 'pdfkit';
import type { BrandStyle } from './brand-style.ts';

/** A column of the lines table. */
export interface Column {
  readonly label: string;
  readonly width: number;
  readonly align: 'left' | 'right';
}

/** A document ready to draw: every value already formatted as text. */
export interface Printable {
  /** "Invoice", "Credit note". */
  readonly title: string;
  readonly number: string;
  readonly seller: string;
  /** Name, then e-mail and address lines. */
  readonly billTo: readonly string[];
  /** Label and value pairs beside the parties: dates, order, status… */
  readonly facts: readonly (readonly [string, string])[];
  readonly columns: readonly Column[];
  /** Cells per row; the first cell may wrap, a second line of it (`detail`) is drawn smaller. */
  readonly rows: readonly { readonly cells: readonly string[]; readonly detail?: string }[];
  /** Rows of the tax summary: rate, taxable, tax. */
  readonly taxes: readonly (readonly [string, string, string])[];
  /** Label and value; the `strong` one is the amount that matters. */
  readonly totals: readonly { readonly label: string; readonly value: string; readonly strong?: boolean }[];
  /** A closing remark: payment terms, the reason of a credit. */
  readonly remark?: string;
  readonly metadata: { readonly title: string; readonly subject: string };
}

const MARGIN = 50;

/** What the PDF may hold in its standard fonts (WinAnsi): anything else becomes `?`. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** `text` with what standard PDF fonts cannot show replaced: special spaces by spaces, the rest by `?`. */
export function printableText(text: string): string {
  return text
    .replace(/[\u00a0\u2000-\u200a\u202f\u205f]/g, ' ')
    .replace(/\u2212/g, '-')
    .replace(/[^\n\x20-\x7e\xa1-\xff]/gu, (char) => (WIN_ANSI_EXTRA.has(char) ? char : '?'));
}

/** Draws `printable` and returns the PDF. `compress: false` leaves the content streams readable. */
export async function drawDocument(
  printable: Printable,
  style: BrandStyle,
  logo: Buffer | undefined,
  options: { compress?: boolean } = {},
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    compress: options.compress ?? true,
    info: {
      Title: printableText(printable.metadata.title),
      Subject: printableText(printable.metadata.subject),
      Author: printableText(printable.seller),
      Creator: 'Only',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    doc.on('error', reject);
  });

  const { fonts, colors } = style;
  const width = doc.page.width - 2 * MARGIN;
  const text = (value: string) => printableText(value);

  // Header: logo (or the seller's initial), seller name, and the document's title and number.
  const top = MARGIN;
  let brandX = MARGIN;
  if (logo !== undefined) {
    try {
      doc.image(logo, MARGIN, top, { fit: [56, 56] });
      brandX += 68;
    } catch {
      // A corrupt image: the header goes on without it.
    }
  }
  if (brandX === MARGIN) {
    doc.roundedRect(MARGIN, top, 56, 56, 10).fill(colors.primary);
    doc
      .font(fonts.bold)
      .fontSize(28)
      .fillColor(colors.onPrimary)
      .text(text((printable.seller.trim()[0] ?? '·').toUpperCase()), MARGIN, top + 14, {
        width: 56,
        align: 'center',
      });
    brandX += 68;
  }
  doc
    .font(fonts.bold)
    .fontSize(16)
    .fillColor(colors.primary)
    .text(text(printable.seller), brandX, top + 6, {
      width: width / 2,
    });
  doc
    .font(fonts.bold)
    .fontSize(22)
    .fillColor(colors.primary)
    .text(text(printable.title.toUpperCase()), MARGIN + width / 2, top, { width: width / 2, align: 'right' });
  doc
    .font(fonts.regular)
    .fontSize(12)
    .fillColor(colors.text)
    .text(text(printable.number), MARGIN + width / 2, top + 28, { width: width / 2, align: 'right' });
  doc
    .moveTo(MARGIN, top + 70)
    .lineTo(MARGIN + width, top + 70)
    .lineWidth(2)
    .strokeColor(colors.secondary)
    .stroke();

  // Parties and facts.
  let y = top + 86;
  doc.font(fonts.bold).fontSize(9).fillColor(colors.muted).text('BILL TO', MARGIN, y);
  let partiesY = y + 14;
  printable.billTo.forEach((line, index) => {
    doc
      .font(index === 0 ? fonts.bold : fonts.regular)
      .fontSize(10)
      .fillColor(colors.text)
      .text(text(line), MARGIN, partiesY, { width: width / 2 - 10 });
    partiesY = doc.y + 2;
  });
  let factsY = y;
  for (const [label, value] of printable.facts) {
    doc
      .font(fonts.regular)
      .fontSize(9)
      .fillColor(colors.muted)
      .text(text(label), MARGIN + width * 0.5, factsY, {
        width: width * 0.2,
      });
    doc
      .font(fonts.bold)
      .fontSize(9)
      .fillColor(colors.text)
      .text(text(value), MARGIN + width * 0.7, factsY, {
        width: width * 0.3,
        align: 'right',
      });
    factsY = Math.max(factsY + 15, doc.y + 4);
  }
  y = Math.max(partiesY, factsY) + 20;

  // Lines table, its header repeated on every page it spans.
  const bottom = () => doc.page.height - MARGIN - 30;
  const drawHeader = () => {
    doc.rect(MARGIN, y, width, 20).fill(colors.primary);
    let x = MARGIN;
    for (const column of printable.columns) {
      doc
        .font(fonts.bold)
        .fontSize(9)
        .fillColor(colors.onPrimary)
        .text(text(column.label), x + 4, y + 6, {
          width: column.width - 8,
          align: column.align,
          lineBreak: false,
        });
      x += column.width;
    }
    y += 20;
  };
  drawHeader();
  printable.rows.forEach((row, index) => {
    const first = printable.columns[0];
    const firstWidth = (first?.width ?? width) - 8;
    doc.font(fonts.regular).fontSize(9);
    const mainHeight = doc.heightOfString(text(row.cells[0] ?? ''), { width: firstWidth });
    doc.fontSize(7);
    const detailHeight =
      row.detail === undefined ? 0 : doc.heightOfString(text(row.detail), { width: firstWidth }) + 2;
    const height = Math.max(mainHeight + detailHeight, 11) + 10;
    if (y + height > bottom()) {
      doc.addPage();
      y = MARGIN;
      drawHeader();
    }
    if (index % 2 === 1) doc.rect(MARGIN, y, width, height).fill(colors.stripe);
    let x = MARGIN;
    printable.columns.forEach((column, cell) => {
      doc
        .font(fonts.regular)
        .fontSize(9)
        .fillColor(colors.text)
        .text(text(row.cells[cell] ?? ''), x + 4, y + 5, { width: column.width - 8, align: column.align });
      if (cell === 0 && row.detail !== undefined) {
        doc
          .fontSize(7)
          .fillColor(colors.muted)
          .text(text(row.detail), x + 4, y + 5 + mainHeight + 2, {
            width: column.width - 8,
          });
      }
      x += column.width;
    });
    y += height;
  });
  doc
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + width, y)
    .lineWidth(0.5)
    .strokeColor(colors.secondary)
    .stroke();
  y += 14;

  // Tax summary (left) and totals (right), kept together on one page.
  const blockHeight = Math.max(printable.taxes.length * 14 + 18, printable.totals.length * 18) + 40;
  if (y + blockHeight > bottom()) {
    doc.addPage();
    y = MARGIN;
  }
  const summaryTop = y;
  if (printable.taxes.length > 0) {
    const taxColumns = [width * 0.16, width * 0.17, width * 0.14];
    const headings = ['Tax rate', 'Taxable', 'Tax'];
    let x = MARGIN;
    headings.forEach((heading, i) => {
      doc
        .font(fonts.bold)
        .fontSize(8)
        .fillColor(colors.muted)
        .text(heading, x, y, {
          width: taxColumns[i] ?? 0,
          align: i === 0 ? 'left' : 'right',
        });
      x += taxColumns[i] ?? 0;
    });
    y += 14;
    for (const tax of printable.taxes) {
      x = MARGIN;
      tax.forEach((value, i) => {
        doc
          .font(fonts.regular)
          .fontSize(9)
          .fillColor(colors.text)
          .text(text(value), x, y, {
            width: taxColumns[i] ?? 0,
            align: i === 0 ? 'left' : 'right',
          });
        x += taxColumns[i] ?? 0;
      });
      y += 14;
    }
  }
  let totalsY = summaryTop;
  for (const total of printable.totals) {
    if (total.strong === true) {
      doc.rect(MARGIN + width * 0.55, totalsY - 4, width * 0.45, 20).fill(colors.primary);
    }
    const color = total.strong === true ? colors.onPrimary : colors.text;
    doc
      .font(total.strong === true ? fonts.bold : fonts.regular)
      .fontSize(total.strong === true ? 11 : 9)
      .fillColor(color)
      .text(text(total.label), MARGIN + width * 0.55 + 6, totalsY, { width: width * 0.2 });
    doc.text(text(total.value), MARGIN + width * 0.75, totalsY, { width: width * 0.25 - 6, align: 'right' });
    totalsY += total.strong === true ? 24 : 16;
  }
  y = Math.max(y, totalsY) + 16;
  if (printable.remark !== undefined) {
    doc
      .font(fonts.regular)
      .fontSize(9)
      .fillColor(colors.text)
      .text(text(printable.remark), MARGIN, y, { width });
  }

  // Footer on every page: seller, document and page number. Drawn inside the bottom margin, which
  // is lifted meanwhile so that pdfkit does not start a new page for it.
  const range = doc.bufferedPageRange();
  for (let page = range.start; page < range.start + range.count; page++) {
    doc.switchToPage(page);
    const { bottom: margin } = doc.page.margins;
    doc.page.margins.bottom = 0;
    doc
      .font(fonts.regular)
      .fontSize(8)
      .fillColor(colors.muted)
      .text(
        text(
          `${printable.seller} · ${printable.title} ${printable.number} · Page ${String(page - range.start + 1)} of ${String(range.count)}`,
        ),
        MARGIN,
        doc.page.height - MARGIN + 10,
        { width, align: 'center', lineBreak: false },
      );
    doc.page.margins.bottom = margin;
  }
  doc.end();
  return finished;
}
