import { EXTERNAL_LOG_LABELS, EXTERNAL_LOGS, formatDate, londonDate } from '../rules/index.js';
import type { BatchSummary, RegisterEntry } from '../services/destruction-views.js';

// A certificate of destruction for one confirmed batch: what was destroyed, under which rule,
// how, and by whom. References and staff names only, never a child's personal data.

export interface CertificateOptions {
  /** The heading's first line, e.g. the council's name. */
  organisation?: string;
  service?: string;
}

const MARGIN = 50;
const TABLE_COLUMNS = [
  { header: 'Record ID', width: 75, value: (e: RegisterEntry) => e.recordId },
  { header: 'Record class', width: 95, value: (e: RegisterEntry) => e.classTitle },
  { header: 'Case reference', width: 65, value: (e: RegisterEntry) => e.caseRef },
  {
    header: 'Retention ended',
    width: 70,
    value: (e: RegisterEntry) => (e.retentionEndedOn ? formatDate(e.retentionEndedOn) : 'unknown'),
  },
  {
    header: 'Rule',
    width: 85,
    value: (e: RegisterEntry) =>
      `${e.ruleLabel ?? ''}${e.keptWithTitle ? ` (kept with the ${e.keptWithTitle.toLowerCase()})` : ''}`,
  },
  { header: 'Method', width: 105, value: (e: RegisterEntry) => e.methodLabel },
] as const;

function withRole(name: string, role: string | null | undefined): string {
  return role ? `${name} (${role})` : name;
}

function onDate(instant: string): string {
  return formatDate(londonDate(new Date(instant)));
}

/**
 * The certificate of destruction of a confirmed batch, listing `entries` (its register entries, at
 * most a batch's worth) in a table that continues over as many pages as it needs: a stream of the
 * PDF's bytes, to send as they come.
 */
export async function certificatePdf(
  batch: BatchSummary,
  entries: readonly RegisterEntry[],
  options: CertificateOptions = {},
): Promise<NodeJS.ReadableStream> {
  if (batch.status !== 'confirmed' || !batch.confirmedBy || !batch.confirmedAt) {
    throw new Error(`Batch ${batch.reference} has not been confirmed, so there is nothing to certify.`);
  }
  const stray = entries.find((e) => e.batchId !== batch.id);
  if (stray) throw new Error(`Register entry ${stray.id} belongs to another batch, not ${batch.reference}.`);

  // pdfkit is large: loaded the first time a certificate is asked for, not with the app.
  const { default: Pdf } = await import('pdfkit');
  const doc: PDFKit.PDFDocument = new Pdf({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: `Certificate of destruction ${batch.reference}`, Author: 'Records Management Service' },
  });
  const organisation = options.organisation ?? 'Children’s Services';
  const service = options.service ?? 'Records Management Service';
  doc.font('Helvetica-Bold').fontSize(11).text(organisation);
  doc.font('Helvetica').text(service);
  doc.moveDown();
  doc.font('Helvetica-Bold').fontSize(18).text('Certificate of destruction');
  doc.moveDown(0.5);

  const quantity = entries.reduce((sum, e) => sum + e.quantity, 0);
  const methods = [...new Set(entries.map((e) => e.methodLabel))];
  const first = entries[0];
  const facts: [string, string][] = [
    ['Batch reference', batch.reference],
    ['Certificate reference', batch.certificateRef ?? batch.reference],
    ['Methods', methods.length ? `${methods.join('; ')} (each record’s own method is in the table)` : ''],
    [
      'Authorised by',
      `${withRole(batch.createdBy.name, first?.authorisedByRole)}, ${onDate(batch.createdAt)}`,
    ],
    [
      'Confirmed and destroyed by',
      `${withRole(batch.confirmedBy.name, first?.destroyedByRole ?? batch.logChecks?.checkedBy.role)}, ${onDate(batch.confirmedAt)}`,
    ],
    ['Records destroyed', String(quantity)],
  ];
  doc.fontSize(10);
  for (const [label, value] of facts) {
    doc.font('Helvetica-Bold').text(`${label}: `, { continued: true });
    doc.font('Helvetica').text(value);
  }
  doc.moveDown();
  doc
    .font('Helvetica')
    .text(
      'The records below were destroyed under the Records Retention Schedule. Immediately before destruction ' +
        'each was checked again: its retention period had ended, no litigation, claim, subject access request, ' +
        'FOI request or inquiry hold was in force, and it was not out of the office. Each is entered in the ' +
        'destruction register.',
    );
  const logs = batch.logChecks;
  if (logs) {
    doc.moveDown(0.5);
    doc.font('Helvetica').text(
      `Logs held outside the app, checked by ${withRole(logs.checkedBy.name, logs.checkedBy.role)} on ${onDate(logs.checkedAt)}: ` +
        `${EXTERNAL_LOGS.filter((l) => logs.ticks[l])
          .map((l) => EXTERNAL_LOG_LABELS[l])
          .join('; ')}.`,
    );
  }
  doc.moveDown();
  drawTable(doc, entries);

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would otherwise start a new page.
    doc.page.margins.bottom = 0;
    const bottom = doc.page.height - MARGIN + 15;
    doc
      .font('Helvetica')
      .fontSize(8)
      .text(`${batch.reference} – page ${i - range.start + 1} of ${range.count}`, MARGIN, bottom, {
        width: doc.page.width - 2 * MARGIN,
        align: 'center',
        lineBreak: false,
      });
  }
  doc.end();
  return doc;
}

function drawTable(doc: PDFKit.PDFDocument, entries: readonly RegisterEntry[]): void {
  const padding = 3;
  const bottomLimit = () => doc.page.height - MARGIN - 10;
  const rowHeight = (cells: readonly string[]) =>
    Math.max(
      ...cells.map((text, i) => doc.heightOfString(text, { width: TABLE_COLUMNS[i]!.width - 2 * padding })),
    ) +
    2 * padding;

  const drawRow = (cells: readonly string[], bold: boolean) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    const height = rowHeight(cells);
    if (doc.y + height > bottomLimit()) {
      doc.addPage();
      if (!bold)
        drawRow(
          TABLE_COLUMNS.map((c) => c.header),
          true,
        );
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    }
    const top = doc.y;
    let x = MARGIN;
    cells.forEach((text, i) => {
      const width = TABLE_COLUMNS[i]!.width;
      doc.text(text, x + padding, top + padding, { width: width - 2 * padding });
      x += width;
    });
    const tableWidth = TABLE_COLUMNS.reduce((sum, c) => sum + c.width, 0);
    doc
      .moveTo(MARGIN, top + height)
      .lineTo(MARGIN + tableWidth, top + height)
      .lineWidth(bold ? 1 : 0.5)
      .stroke();
    doc.x = MARGIN;
    doc.y = top + height;
  };

  drawRow(
    TABLE_COLUMNS.map((c) => c.header),
    true,
  );
  for (const entry of entries)
    drawRow(
      TABLE_COLUMNS.map((c) => c.value(entry)),
      false,
    );
  if (!entries.length) doc.font('Helvetica').fontSize(9).text('No records were destroyed in this batch.');
}
