import { existsSync, readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { COLOR_ICON_SIZE, MANIFEST_DIR, OUTLINE_ICON_SIZE, iconProblems } from '../../src/manifest/index.js';

const color = readFileSync(`${MANIFEST_DIR}color.png`);
const outline = readFileSync(`${MANIFEST_DIR}outline.png`);

describe('icons', () => {
  it('are made from SVG sources kept beside them', () => {
    expect(existsSync(`${MANIFEST_DIR}icons/color.svg`)).toBe(true);
    expect(existsSync(`${MANIFEST_DIR}icons/outline.svg`)).toBe(true);
  });

  it('the colour icon is 192×192 with a solid background', () => {
    const png = PNG.sync.read(color);
    expect([png.width, png.height]).toEqual([COLOR_ICON_SIZE, COLOR_ICON_SIZE]);
    for (let i = 3; i < png.data.length; i += 4) {
      if (png.data[i] !== 255) throw new Error(`pixel ${(i - 3) / 4} is not opaque`);
    }
    // More than a flat square: the mark has several colours.
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4) colours.add(png.data.readUInt32BE(i));
    expect(colours.size).toBeGreaterThan(4);
  });

  it('the outline icon is 32×32, only white and fully transparent pixels, with something drawn', () => {
    const png = PNG.sync.read(outline);
    expect([png.width, png.height]).toEqual([OUTLINE_ICON_SIZE, OUTLINE_ICON_SIZE]);
    let drawn = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b, a] = png.data.subarray(i, i + 4);
      if (a === 0) continue;
      drawn++;
      expect([r, g, b]).toEqual([255, 255, 255]);
    }
    expect(drawn).toBeGreaterThan(100);
    expect(drawn).toBeLessThan(OUTLINE_ICON_SIZE * OUTLINE_ICON_SIZE);
  });

  it('pass the package icon checks', () => {
    expect(iconProblems(color, outline)).toEqual([]);
  });

  it('the checks refuse wrong sizes, colours in the outline and files that are not PNGs', () => {
    expect(iconProblems(outline, color)).toEqual([
      'color.png: is 32×32; it must be 192×192',
      'outline.png: is 192×192; it must be 32×32',
      expect.stringMatching(
        /^outline\.png: must be white on transparent; \d+ pixel\(s\) are not, first \(0, 0\) is rgb\(/,
      ),
    ]);
    expect(iconProblems(Buffer.from('not a png'), outline)).toEqual([
      expect.stringMatching(/^color\.png: is not a readable PNG/),
    ]);
  });
});
