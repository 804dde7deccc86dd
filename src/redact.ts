/**
 * A request's path without its query string, for logs: download links carry their signatures in
 * the query, and a log line must never hold a working link.
 */
export function withoutQuery(url: string | undefined): string {
  if (!url) return '';
  const at = url.indexOf('?');
  return at === -1 ? url : `${url.slice(0, at)}?…`;
}
