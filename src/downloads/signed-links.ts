import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Short-lived download links for files a card offers (register exports, certificates). The link
 * names who asked and when it expires, signed with the server's key, so it works from a browser
 * without the Teams token and cannot be altered or reused for long. Who asked is checked again
 * when the file is fetched.
 */
export class SignedLinks {
  constructor(
    private readonly key: Buffer,
    private readonly baseUrl: string,
    private readonly now: () => Date,
    private readonly ttlSeconds = 15 * 60,
  ) {}

  private signature(path: string, actorId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${path}\n${actorId}\n${expires}`).digest('base64url');
  }

  /** A link relative to the server (`/downloads/register.csv?…`) on behalf of `actorId`. */
  path(path: string, actorId: string): string {
    const expires = Math.floor(this.now().getTime() / 1000) + this.ttlSeconds;
    const params = new URLSearchParams({
      by: actorId,
      exp: String(expires),
      sig: this.signature(path, actorId, expires),
    });
    return `${path}?${params.toString()}`;
  }

  /** An absolute URL, for cards opened outside the server's own pages. */
  link(path: string, actorId: string): string {
    return `${this.baseUrl.replace(/\/$/, '')}${this.path(path, actorId)}`;
  }

  /** The actor a link was made for, or null if it is forged, altered or expired. */
  verify(path: string, query: Record<string, unknown>): string | null {
    const { by, exp, sig } = query;
    if (typeof by !== 'string' || typeof exp !== 'string' || typeof sig !== 'string') return null;
    const expires = Number(exp);
    if (!Number.isInteger(expires) || expires < this.now().getTime() / 1000) return null;
    const expected = Buffer.from(this.signature(path, by, expires));
    const given = Buffer.from(sig);
    return expected.length === given.length && timingSafeEqual(expected, given) ? by : null;
  }
}
