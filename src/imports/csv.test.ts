import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv, type CsvRow, type RowError } from './csv.js';

// readCsv reads a file with no quotes and no carriage returns line by line, and any other file
// with csv-parse. The two must give exactly the same rows, line numbers and errors: these tests
// read the same files both ways and compare.

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cra-csv-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const COLUMNS = ['a', 'b', 'c'];

async function readAll(
  file: string,
  general: boolean,
): Promise<{ items: (CsvRow | RowError)[]; error: string | null; progress: number[] }> {
  const items: (CsvRow | RowError)[] = [];
  const progress: number[] = [];
  try {
    for await (const item of readCsv(file, COLUMNS, (p) => progress.push(p.rows), { general }))
      items.push(item);
    return { items, error: null, progress };
  } catch (error) {
    return { items, error: (error as Error).message, progress };
  }
}

let n = 0;
function write(content: string | Buffer): string {
  const file = path.join(dir, `f${++n}.csv`);
  fs.writeFileSync(file, content);
  return file;
}

async function expectSame(content: string | Buffer) {
  const file = write(content);
  const plain = await readAll(file, false);
  const general = await readAll(file, true);
  expect(plain).toEqual(general);
  return plain;
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('readCsv reads a plain file as csv-parse does', () => {
  it('the usual shape: header, rows, a short row and a long one', async () => {
    const result = await expectSame('a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n');
    expect(result.items).toEqual([
      { line: 2, values: { a: '1', b: '2', c: '3' } },
      { line: 3, message: 'has 2 fields; expected 3' },
      { line: 4, message: 'has 4 fields; expected 3' },
      { line: 5, values: { a: '10', b: '11', c: '12' } },
    ]);
  });

  it('blank lines, lines of spaces and tabs, no newline at the end', async () => {
    const result = await expectSame('\n  \na,b,c\n\n \t \n1,2,3\n\f\n , ,\n4,5,6');
    expect(result.items.map((i) => i.line)).toEqual([6, 8, 9]);
  });

  it('trims fields as csv-parse does: spaces, tabs and form feeds before; any white space after', async () => {
    await expectSame(
      'a,b,c\n  x ,\ty\t,\fz\f\n\u00a0x\u00a0, \u2028y\u2028 ,\ufeffz\ufeff\n\v1\v,\u30002\u3000, 3 \n',
    );
  });

  it('a byte-order mark, a header in capitals and in another order', async () => {
    const result = await expectSame('\ufeffC,A,B\n3,1,2\n');
    expect(result.items).toEqual([{ line: 2, values: { a: '1', b: '2', c: '3' } }]);
  });

  it('multi-byte characters, also across the reader’s chunks', async () => {
    const row = `é,€,${'😀'.repeat(3)}`;
    const lines = ['a,b,c', ...Array.from({ length: 120_000 }, () => row)];
    await expectSame(`${lines.join('\n')}\n`);
  });

  it('bytes that are not UTF-8', async () => {
    await expectSame(
      Buffer.concat([
        Buffer.from('a,b,c\n'),
        Buffer.from([0xe2, 0x82, 0x2c, 0xf0, 0x9f, 0x2c, 0x98, 0x80, 0x0a]),
      ]),
    );
  });

  it('header problems and empty files fail the same way', async () => {
    expect((await expectSame('a,b\n1,2\n')).error).toMatch(/Missing column\(s\): c/);
    expect((await expectSame('a,b,c,a\n')).error).toMatch(/names a more than once/);
    expect((await expectSame('\n\n   \n')).error).toMatch(/is empty/);
    expect((await expectSame('a,b,c')).items).toEqual([]);
  });

  it('random files of awkward characters', async () => {
    const next = random(7);
    const alphabet = [
      'x',
      'y',
      '1',
      ',',
      ',',
      ' ',
      ' ',
      '\t',
      '\f',
      '\v',
      '\n',
      '\n',
      '\u00a0',
      'é',
      '😀',
      '\u2028',
      '\ufeff',
      '\0',
    ];
    for (let f = 0; f < 200; f++) {
      const parts = ['a,b,c\n'];
      const length = Math.floor(next() * 300);
      for (let i = 0; i < length; i++) parts.push(alphabet[Math.floor(next() * alphabet.length)]!);
      await expectSame(parts.join(''));
    }
  });
});

describe('readCsv hands other files to csv-parse', () => {
  it('quoted fields and fields over several lines', async () => {
    const file = write('a,b,c\n"1,x","2\ny",3\n4,5,""\n');
    expect((await readAll(file, false)).items).toEqual([
      { line: 2, values: { a: '1,x', b: '2\ny', c: '3' } },
      { line: 4, values: { a: '4', b: '5', c: '' } },
    ]);
  });

  it('CRLF line ends', async () => {
    const file = write('a,b,c\r\n1,2,3\r\n\r\n4,5,6\r\n');
    expect((await readAll(file, false)).items).toEqual([
      { line: 2, values: { a: '1', b: '2', c: '3' } },
      { line: 4, values: { a: '4', b: '5', c: '6' } },
    ]);
  });

  it('a broken quote is still reported as unreadable CSV', async () => {
    const file = write('a,b,c\n1,"2,3\n');
    expect((await readAll(file, false)).error).toMatch(/is not a readable CSV file/);
  });
});
