import { createReadStream, statSync } from 'node:fs';
import { parse } from 'csv-parse';

export interface CsvRow {
  /** The line the row starts on, counting the header as line 1. */
  line: number;
  values: Record<string, string>;
}

export interface RowError {
  line: number;
  message: string;
}

export interface ReadProgress {
  bytesRead: number;
  totalBytes: number;
  rows: number;
}

export class CsvFormatError extends Error {
  override name = 'CsvFormatError';
}

/**
 * Streams a CSV file with a header row, checking the header has exactly `columns` (any order).
 * Rows with the wrong number of fields are passed on as errors, not thrown, so every bad line
 * can be reported.
 */
export async function* readCsv(
  file: string,
  columns: readonly string[],
  onProgress?: (p: ReadProgress) => void,
): AsyncGenerator<CsvRow | RowError> {
  const totalBytes = statSync(file).size;
  const input = createReadStream(file);
  let bytesRead = 0;
  input.on('data', (chunk) => {
    bytesRead += chunk.length;
  });
  const parser = input.pipe(
    parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }),
  );
  let header: string[] | null = null;
  let rows = 0;
  try {
    let previousEnd = 0;
    let previousEmpty = 0;
    for await (const item of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; empty_lines: number };
    }>) {
      const { record, info } = item;
      // The line a row starts on: a quoted field may run over several lines.
      const line = previousEnd + 1 + (info.empty_lines - previousEmpty);
      previousEnd = info.lines;
      previousEmpty = info.empty_lines;
      if (!header) {
        header = record.map((h) => h.toLowerCase());
        const missing = columns.filter((c) => !header!.includes(c));
        const extra = header.filter((h) => !columns.includes(h));
        const repeated = [...new Set(header.filter((h, i) => header!.indexOf(h) !== i))];
        if (repeated.length) {
          throw new CsvFormatError(`The header of ${file} names ${repeated.join(', ')} more than once.`);
        }
        if (missing.length || extra.length) {
          throw new CsvFormatError(
            [
              `The header of ${file} does not match.`,
              missing.length ? `Missing column(s): ${missing.join(', ')}.` : '',
              extra.length ? `Unexpected column(s): ${extra.join(', ')}.` : '',
              `Expected: ${columns.join(',')}`,
            ]
              .filter(Boolean)
              .join(' '),
          );
        }
        continue;
      }
      rows += 1;
      if (record.length !== header.length) {
        yield { line, message: `has ${record.length} fields; expected ${header.length}` };
      } else {
        const values: Record<string, string> = {};
        header.forEach((h, i) => (values[h] = record[i] ?? ''));
        yield { line, values };
      }
      if (onProgress && rows % 10_000 === 0) onProgress({ bytesRead, totalBytes, rows });
    }
  } catch (error) {
    if (error instanceof CsvFormatError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new CsvFormatError(`${file} is not a readable CSV file: ${message}`);
  } finally {
    input.destroy();
  }
  if (!header) throw new CsvFormatError(`${file} is empty: it needs a header row (${columns.join(',')}).`);
  onProgress?.({ bytesRead: totalBytes, totalBytes, rows });
}

export function isRowError(row: CsvRow | RowError): row is RowError {
  return 'message' in row;
}
