import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type restify from 'restify';
import { REPO_ROOT } from '../repo-root.js';

/** Where `npm run build:tab` puts the tab (index.html and assets/). */
export const TAB_DIST = path.join(REPO_ROOT, 'dist', 'tab');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The hosts that may frame the tab: Teams on the web and desktop, and the Microsoft 365 and
 * Outlook hosts that run Teams apps. teams-js checks the host's origin again on every message.
 */
const FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://teams.live.com',
  'https://*.teams.live.com',
  'https://teams.cloud.microsoft',
  'https://*.cloud.microsoft',
  'https://*.office.com',
  'https://*.microsoft365.com',
  'https://*.skype.com',
].join(' ');

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  // teams-js looks up its list of valid host origins on Microsoft's CDN (and falls back to a
  // built-in list when it cannot).
  "connect-src 'self' https://res.cdn.office.net",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  `frame-ancestors ${FRAME_ANCESTORS}`,
].join('; ');

const SAFE_NAME = /^[a-z0-9][a-z0-9._-]*\.(html|js|css|map|svg)$/;

async function sendFile(res: restify.Response, dir: string, name: string): Promise<void> {
  let data: Buffer;
  try {
    data = await readFile(path.join(dir, name));
  } catch {
    const missing = name === 'index.html';
    res.writeHead(missing ? 503 : 404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(
      missing
        ? 'The tab has not been built. Run "npm run build:tab" (npm run serve does it for you).'
        : 'Not found.',
    );
    return;
  }
  res.writeHead(200, {
    'Content-Type': TYPES[path.extname(name)] ?? 'application/octet-stream',
    'Content-Length': data.length,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': name === 'index.html' ? 'no-cache' : 'public, max-age=300',
  });
  res.end(data);
}

/**
 * Serves the built tab: /tab/index.html and /tab/assets/*. Source maps (the tab's source, for
 * debugging) only when `sourceMaps` is on: never in production.
 */
export function serveTab(
  dir = TAB_DIST,
  { sourceMaps }: { sourceMaps: boolean } = { sourceMaps: false },
): (server: restify.Server) => void {
  return (server) => {
    // eslint-disable-next-line @typescript-eslint/require-await -- restify takes async handlers or (req, res, next)
    const toIndex = async (_req: restify.Request, res: restify.Response) => {
      res.writeHead(302, { Location: '/tab/index.html' });
      res.end();
    };
    server.get('/tab', toIndex);
    server.get('/tab/', toIndex);
    server.get('/tab/index.html', async (_req: restify.Request, res: restify.Response) => {
      await sendFile(res, dir, 'index.html');
    });
    server.get('/tab/assets/:file', async (req: restify.Request, res: restify.Response) => {
      const file = (req.params as Record<string, unknown> | undefined)?.file;
      const name = typeof file === 'string' ? file : '';
      if (!SAFE_NAME.test(name) || (!sourceMaps && name.endsWith('.map'))) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Not found.');
        return;
      }
      await sendFile(res, path.join(dir, 'assets'), name);
    });
  };
}
