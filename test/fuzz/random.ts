/** A small seeded random generator (mulberry32), so every fuzz run tries the same cases. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** A string of random code units, control characters and lone surrogates included. */
  junk(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) {
      const r = this.next();
      s += String.fromCharCode(r < 0.7 ? 32 + this.int(95) : r < 0.8 ? this.int(32) : this.int(0xffff));
    }
    return s;
  }
}

/** Text that has hurt systems before: SQL, markup, template syntax, odd Unicode. */
export const NASTY_TEXT = [
  "'; DROP TABLE removal_authorisations; --",
  "1' OR '1'='1",
  '" OR 1=1 --',
  '1); DELETE FROM audit_log; --',
  "x'; UPDATE staff SET roles='records_management' WHERE '1'='1",
  "Robert'); DROP TABLE holds;--",
  '%_\\',
  '$1 $2 ?',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '**bold** [click](javascript:alert(1))',
  '${$root.secret} ${if(true, "a", "b")}',
  '{{DATE(2017-02-14T06:08:39Z,SHORT)}}',
  '<at>Priya Shah</at>',
  '{"type":"AdaptiveCard","body":[]}',
  '\u202eevil\u202c',
  'zero\u200bwidth',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ 🗂️',
  'line\nbreak\r\nand\ttab',
  'null',
  '../../../etc/passwd',
  '__proto__',
  'constructor',
  '\u0000\u0001\u0007',
];
