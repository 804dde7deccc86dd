import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
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

export interface ReadCsvOptions {
  /**
   * Always use the general CSV parser, even for a file the plain-line reader could read. The
   * two give the same rows; tests compare them.
   */
  general?: boolean;
  /** Columns the header may have besides `columns`; a row of a file without one reads it as ''. */
  optional?: readonly string[];
}

export class CsvFormatError extends Error {
  override name = 'CsvFormatError';
}

/** A record as read from the file, with the line it starts on. */
interface RawRecord {
  record: string[];
  line: number;
}

interface Source {
  records: AsyncGenerator<RawRecord>;
  bytesRead: () => number;
}

/** How much of the file the quote check reads at a time (one buffer, reused). */
const SCAN_BYTES = 1 << 20;
/**
 * How much the line reader reads at a time: with 1 MB reads a million-row import peaked some
 * 30 MB higher (freed read buffers wait for the garbage collector), for no gain in speed.
 */
const READ_BYTES = 1 << 16;
const QUOTE = 0x22;
const CR = 0x0d;

/**
 * Whether the file can be read line by line: no quote characters, no carriage returns, and no
 * UTF-16 byte-order mark. In such a file every line is one record and every comma separates two
 * fields, so a plain split gives exactly what the general parser gives, several times faster.
 * Files with quoted fields or CRLF line ends go through the general parser.
 */
async function isPlainFile(file: string, totalBytes: number): Promise<boolean> {
  if (totalBytes < 3) return false;
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(SCAN_BYTES);
    let first = true;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, SCAN_BYTES, null);
      if (bytesRead === 0) return true;
      const chunk = bytesRead === SCAN_BYTES ? buffer : buffer.subarray(0, bytesRead);
      if (first && chunk[0] === 0xff && chunk[1] === 0xfe) return false;
      first = false;
      if (chunk.indexOf(QUOTE) !== -1 || chunk.indexOf(CR) !== -1) return false;
    }
  } finally {
    await handle.close();
  }
}

/** The general parser's left trim: spaces, tabs and form feeds at the start of a field. */
function trimStartLikeParser(field: string): string {
  let start = 0;
  while (start < field.length) {
    const c = field.charCodeAt(start);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0c) break;
    start += 1;
  }
  return start ? field.slice(start) : field;
}

/** A field as the general parser (`trim: true`) gives it: left trim as above, then `trimEnd`. */
function trimField(field: string): string {
  if (field.length === 0) return field;
  const first = field.charCodeAt(0);
  const last = field.charCodeAt(field.length - 1);
  // Printable ASCII at both ends (the usual case): nothing to trim.
  if (first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f) return field;
  return trimStartLikeParser(field).trimEnd();
}

/** Reads a plain file (see `isPlainFile`): one record a line, fields split at commas. */
function plainSource(file: string): Source {
  let bytesRead = 0;
  async function* records(): AsyncGenerator<RawRecord> {
    const input = createReadStream(file, { highWaterMark: READ_BYTES });
    const decoder = new StringDecoder('utf8');
    let line = 0;
    let rest = '';
    let start = true;
    function* lines(text: string, last: boolean): Generator<RawRecord> {
      let from = 0;
      for (;;) {
        const end = text.indexOf('\n', from);
        if (end === -1 && !last) {
          rest = text.slice(from);
          return;
        }
        const content = end === -1 ? text.slice(from) : text.slice(from, end);
        if (end !== -1 || content.length > 0) line += 1;
        // A line of nothing but spaces, tabs and form feeds is blank, as the parser sees it.
        if (content.length > 0 && (content.indexOf(',') !== -1 || trimStartLikeParser(content) !== '')) {
          const record = content.split(',');
          for (let i = 0; i < record.length; i++) record[i] = trimField(record[i]!);
          yield { record, line };
        }
        if (end === -1) return;
        from = end + 1;
      }
    }
    try {
      for await (const chunk of input as AsyncIterable<Buffer>) {
        bytesRead += chunk.length;
        let text = rest + decoder.write(chunk);
        rest = '';
        if (start && text.length > 0) {
          // A UTF-8 byte-order mark is not part of the header.
          if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
          start = false;
        }
        yield* lines(text, false);
      }
      let text = rest + decoder.end();
      if (start && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      yield* lines(text, true);
    } finally {
      input.destroy();
    }
  }
  return { records: records(), bytesRead: () => bytesRead };
}

/** Reads any CSV file with csv-parse (quoted fields, fields over several lines, CRLF). */
function generalSource(file: string): Source {
  let bytesRead = 0;
  async function* records(): AsyncGenerator<RawRecord> {
    const input = createReadStream(file);
    input.on('data', (chunk) => {
      bytesRead += chunk.length;
    });
    const parser = input.pipe(
      parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }),
    );
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
        yield { record, line };
      }
    } finally {
      input.destroy();
    }
  }
  return { records: records(), bytesRead: () => bytesRead };
}

/**
 * Streams a CSV file with a header row, checking the header has exactly `columns` (any order),
 * and any of the `optional` ones.
 * Rows with the wrong number of fields are passed on as errors, not thrown, so every bad line
 * can be reported.
 */
export async function* readCsv(
  file: string,
  columns: readonly string[],
  onProgress?: (p: ReadProgress) => void,
  options: ReadCsvOptions = {},
): AsyncGenerator<CsvRow | RowError> {
  const totalBytes = statSync(file).size;
  const source =
    !options.general && (await isPlainFile(file, totalBytes)) ? plainSource(file) : generalSource(file);
  let header: string[] | null = null;
  let rows = 0;
  try {
    for await (const { record, line } of source.records) {
      if (!header) {
        header = record.map((h) => h.toLowerCase());
        const missing = columns.filter((c) => !header!.includes(c));
        const optional = options.optional ?? [];
        const extra = header.filter((h) => !columns.includes(h) && !optional.includes(h));
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
              `Expected: ${columns.join(',')}${optional.length ? ` (and optionally ${optional.join(',')})` : ''}`,
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
        for (const c of options.optional ?? []) values[c] = '';
        for (let i = 0; i < header.length; i++) values[header[i]!] = record[i] ?? '';
        yield { line, values };
      }
      if (onProgress && rows % 10_000 === 0) onProgress({ bytesRead: source.bytesRead(), totalBytes, rows });
    }
  } catch (error) {
    if (error instanceof CsvFormatError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new CsvFormatError(`${file} is not a readable CSV file: ${message}`);
  } finally {
    await source.records.return(undefined);
  }
  if (!header) throw new CsvFormatError(`${file} is empty: it needs a header row (${columns.join(',')}).`);
  onProgress?.({ bytesRead: totalBytes, totalBytes, rows });
}

export function isRowError(row: CsvRow | RowError): row is RowError {
  return 'message' in row;
}
