import { describe, expect, it } from 'vitest';
import { IntColumn, StringTable } from './string-table.js';

describe('StringTable', () => {
  it('numbers strings in the order added and finds them again', () => {
    const table = new StringTable();
    const keys = Array.from({ length: 50_000 }, (_, i) => `LL-${i}`);
    keys.forEach((k, i) => expect(table.add(k)).toBe(i));
    expect(table.size).toBe(keys.length);
    keys.forEach((k, i) => expect(table.indexOf(k)).toBe(i));
    expect(table.indexOf('LL-50000')).toBe(-1);
    expect(table.indexOf('')).toBe(-1);
    expect(table.keyAt(12_345)).toBe('LL-12345');
  });

  it('tells apart strings that differ in length, case or by one character', () => {
    const table = new StringTable();
    for (const k of ['a', 'A', 'ab', 'ba', '', 'a/b', 'a.b']) table.add(k);
    expect(['a', 'A', 'ab', 'ba', '', 'a/b', 'a.b'].map((k) => table.indexOf(k))).toEqual([
      0, 1, 2, 3, 4, 5, 6,
    ]);
    expect(table.indexOf('aa')).toBe(-1);
  });

  it('keeps characters beyond one byte, also after one-byte strings', () => {
    const table = new StringTable();
    table.add('plain');
    table.add('café');
    table.add('€uro 😀');
    expect(table.keyAt(0)).toBe('plain');
    expect(table.keyAt(1)).toBe('café');
    expect(table.keyAt(2)).toBe('€uro 😀');
    expect(table.indexOf('€uro 😀')).toBe(2);
    expect(table.indexOf('plain')).toBe(0);
  });

  it('refuses a number it never gave', () => {
    expect(() => new StringTable().keyAt(0)).toThrow(RangeError);
  });
});

describe('IntColumn', () => {
  it('grows as needed and reads 0 where nothing was set', () => {
    const column = new IntColumn(2);
    column.set(100_000, 7);
    column.set(3, -4);
    expect(column.get(100_000)).toBe(7);
    expect(column.get(3)).toBe(-4);
    expect(column.get(4)).toBe(0);
    expect(column.get(10_000_000)).toBe(0);
  });
});
