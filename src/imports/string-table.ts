/**
 * A set of strings numbered 0, 1, 2… in the order they were added, kept in typed arrays rather
 * than a `Map`. A million record ids then take about 30 MB that the garbage collector never has
 * to walk, instead of a million heap strings and map entries: large imports stay small and fast.
 * Characters are kept one byte each until a string needs more.
 */
export class StringTable {
  private chars: Uint8Array | Uint16Array = new Uint8Array(1 << 16);
  private used = 0;
  private starts = new Uint32Array(1 << 12);
  private lengths = new Uint32Array(1 << 12);
  private hashes = new Uint32Array(1 << 12);
  /** Open addressing: each slot holds an index + 1, or 0 when empty. */
  private slots = new Int32Array(1 << 13);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The number of `key`, or -1 when it is not in the table. */
  indexOf(key: string): number {
    const hash = hashOf(key);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) return -1;
      const index = entry - 1;
      if (this.hashes[index] === hash && this.equals(index, key)) return index;
    }
  }

  /** Adds `key` (which must not be in the table yet) and returns its number. */
  add(key: string): number {
    const index = this.count;
    if (index === this.starts.length) this.growEntries();
    if ((index + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    let wide = this.chars instanceof Uint16Array;
    if (!wide) for (let i = 0; i < key.length && !wide; i++) wide = key.charCodeAt(i) > 0xff;
    if (this.used + key.length > this.chars.length || wide !== this.chars instanceof Uint16Array) {
      let size = this.chars.length;
      while (this.used + key.length > size) size *= 2;
      const chars = wide ? new Uint16Array(size) : new Uint8Array(size);
      chars.set(this.chars.subarray(0, this.used));
      this.chars = chars;
    }
    for (let i = 0; i < key.length; i++) this.chars[this.used + i] = key.charCodeAt(i);
    const hash = hashOf(key);
    this.starts[index] = this.used;
    this.lengths[index] = key.length;
    this.hashes[index] = hash;
    this.used += key.length;
    this.count += 1;
    this.place(index, hash);
    return index;
  }

  /** The string numbered `index`. */
  keyAt(index: number): string {
    if (index < 0 || index >= this.count) throw new RangeError(`No string numbered ${index}`);
    const start = this.starts[index]!;
    return String.fromCharCode(...this.chars.subarray(start, start + this.lengths[index]!));
  }

  private equals(index: number, key: string): boolean {
    if (this.lengths[index] !== key.length) return false;
    const start = this.starts[index]!;
    for (let i = 0; i < key.length; i++) if (this.chars[start + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  private place(index: number, hash: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = index + 1;
  }

  private growEntries(): void {
    const size = this.starts.length * 2;
    const grow = (from: Uint32Array) => {
      const to = new Uint32Array(size);
      to.set(from);
      return to;
    };
    this.starts = grow(this.starts);
    this.lengths = grow(this.lengths);
    this.hashes = grow(this.hashes);
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let i = 0; i < this.count; i++) this.place(i, this.hashes[i]!);
  }
}

/** FNV-1a over the UTF-16 code units, with a final mix so that nearby keys spread out. */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** A growable array of 32-bit integers, one per string of a `StringTable`. */
export class IntColumn {
  private values: Int32Array;

  constructor(initial = 1 << 12) {
    this.values = new Int32Array(initial);
  }

  get(index: number): number {
    return index < this.values.length ? this.values[index]! : 0;
  }

  set(index: number, value: number): void {
    if (index >= this.values.length) {
      let size = this.values.length * 2;
      while (size <= index) size *= 2;
      const values = new Int32Array(size);
      values.set(this.values);
      this.values = values;
    }
    this.values[index] = value;
  }
}
