import fs from 'node:fs';
import path from 'node:path';
import { INVENTORY_COLUMNS } from '../../src/imports/inventory-import.js';
import { STAFF_COLUMNS } from '../../src/imports/staff-import.js';

/** Quotes a CSV field when it needs it (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(values: readonly string[]): string {
  return values.map(csvField).join(',');
}

/**
 * Writes `header` and `rows` (each an array of fields, or a raw line written as is) to
 * `dir/name`, returning the absolute path.
 */
export function writeCsv(
  dir: string,
  name: string,
  header: readonly string[],
  rows: readonly (readonly string[] | string)[],
): string {
  const file = path.join(dir, name);
  const lines = [csvLine(header), ...rows.map((r) => (typeof r === 'string' ? r : csvLine(r)))];
  fs.writeFileSync(file, `${lines.join('\n')}\n`, 'utf8');
  return file;
}

export type InventoryColumn = (typeof INVENTORY_COLUMNS)[number];
export type InventoryRow = Record<InventoryColumn, string>;

/** An inventory row with sensible defaults; override any column. */
export function inventoryRow(
  overrides: Partial<InventoryRow> & Pick<InventoryRow, 'record_id'>,
): InventoryRow {
  return {
    case_ref: '1000001',
    record_class: 'looked-after-child',
    title: 'Case file',
    format: 'electronic',
    location: 'Livelink',
    date_of_birth: '',
    date_of_death: '',
    closed_on: '',
    adoption_order_on: '',
    approval_ended_on: '',
    last_contact_on: '',
    ...overrides,
  };
}

export function inventoryFields(row: InventoryRow): string[] {
  return INVENTORY_COLUMNS.map((c) => row[c]);
}

/** Writes an inventory CSV with the standard header. */
export function writeInventory(dir: string, name: string, rows: readonly (InventoryRow | string)[]): string {
  return writeCsv(
    dir,
    name,
    INVENTORY_COLUMNS,
    rows.map((r) => (typeof r === 'string' ? r : inventoryFields(r))),
  );
}

export type StaffColumn = (typeof STAFF_COLUMNS)[number];
export type StaffCsvRow = Record<StaffColumn, string>;

export function staffFields(row: StaffCsvRow): string[] {
  return STAFF_COLUMNS.map((c) => row[c]);
}

/** Writes a staff CSV with the standard header. */
export function writeStaff(dir: string, name: string, rows: readonly (StaffCsvRow | string)[]): string {
  return writeCsv(
    dir,
    name,
    STAFF_COLUMNS,
    rows.map((r) => (typeof r === 'string' ? r : staffFields(r))),
  );
}
