import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type restify from 'restify';
import { certificatePdf } from '../exports/certificate-pdf.js';
import { registerCsv, registerXlsx } from '../exports/register-export.js';
import { today, type Clock } from '../services/clock.js';
import type { DestructionService, RegisterEntry } from '../services/destruction.js';
import type { Database } from '../store/schema.js';
import { getStaff } from '../store/staff.js';
import { withoutQuery } from './redact.js';
import type { SignedLinks } from './signed-links.js';

export const DOWNLOADS = {
  registerCsv: '/downloads/register.csv',
  registerXlsx: '/downloads/register.xlsx',
  certificate: (batchId: string) => `/downloads/certificates/${encodeURIComponent(batchId)}.pdf`,
} as const;

export interface DownloadDeps {
  db: Kysely<Database>;
  clock: Clock;
  links: SignedLinks;
  destruction: DestructionService;
  log: Logger;
  /** Downloads made at once; one more gets 503 with Retry-After. */
  maxConcurrent: number;
}

/** Seconds a refused download is told to wait. */
export const DOWNLOAD_RETRY_AFTER_SECONDS = 5;

/**
 * Files the Records Management cards link to: the destruction register (CSV, XLSX) and batch
 * certificates (PDF). Each link is signed for one officer and checked again when fetched. Files are
 * sent as they are made, a page of the register at a time, and only a few at once.
 */
export function downloadRoutes(deps: DownloadDeps): (server: restify.Server) => void {
  const log = deps.log.child({ component: 'downloads' });
  let active = 0;

  /** True when the link is genuine and its officer is still in Records Management; else answers 401 or 403. */
  const allowed = async (path: string, req: restify.Request, res: restify.Response): Promise<boolean> => {
    const query = Object.fromEntries(new URL(req.url ?? '', 'http://localhost').searchParams);
    const actorId = deps.links.verify(path, query);
    if (!actorId) {
      res.send(401, {
        error: 'This download link is not valid or has expired. Ask for the register or certificate again.',
      });
      return false;
    }
    if (!(await getStaff(deps.db, actorId))?.roles.includes('records_management')) {
      res.send(403, {
        error: 'Only the Records Management Service can download the register and certificates.',
      });
      return false;
    }
    return true;
  };

  /**
   * Sends what `make` streams, if a download slot is free (else 503 with Retry-After). A failure
   * after the first bytes can only cut the file short: the browser shows the download failed.
   */
  const download = async (
    req: restify.Request,
    res: restify.Response,
    file: { type: string; name: string },
    make: () => Promise<void>,
  ): Promise<void> => {
    if (active >= deps.maxConcurrent) {
      res.header('Retry-After', String(DOWNLOAD_RETRY_AFTER_SECONDS));
      res.send(503, {
        error: `Too many downloads are being prepared at the moment. Please try again in ${DOWNLOAD_RETRY_AFTER_SECONDS} seconds.`,
      });
      return;
    }
    active += 1;
    try {
      res.writeHead(200, {
        'content-type': file.type,
        'content-disposition': `attachment; filename="${file.name}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      // The browser starts the download at once, while the file is still being made.
      res.flushHeaders();
      await make();
    } catch (error) {
      log.warn({ err: error, url: withoutQuery(req.url) }, 'download cut short');
      res.destroy();
    } finally {
      active -= 1;
    }
  };

  return (server) => {
    server.get(DOWNLOADS.registerCsv, async (req, res) => {
      if (!(await allowed(DOWNLOADS.registerCsv, req, res))) return;
      await download(
        req,
        res,
        { type: 'text/csv; charset=utf-8', name: `destruction-register-${today(deps.clock)}.csv` },
        () => pipeline(registerCsv(deps.destruction.registerEntries()), res),
      );
    });
    server.get(DOWNLOADS.registerXlsx, async (req, res) => {
      if (!(await allowed(DOWNLOADS.registerXlsx, req, res))) return;
      await download(
        req,
        res,
        {
          type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          name: `destruction-register-${today(deps.clock)}.xlsx`,
        },
        () => registerXlsx(deps.destruction.registerEntries(), res),
      );
    });
    server.get('/downloads/certificates/:file', async (req, res) => {
      const file = String((req.params as { file?: string }).file ?? '');
      const batchId = file.replace(/\.pdf$/, '');
      if (!(await allowed(DOWNLOADS.certificate(batchId), req, res))) return;
      const batch = await deps.destruction.getBatch(batchId);
      if (!batch || batch.status !== 'confirmed') {
        res.send(404, { error: 'No confirmed batch has that reference.' });
        return;
      }
      await download(
        req,
        res,
        { type: 'application/pdf', name: `certificate-${batch.reference}.pdf` },
        async () => {
          // A batch holds at most a few hundred entries: the certificate reads them at once.
          const entries: RegisterEntry[] = [];
          for await (const entry of deps.destruction.registerEntries({ batchId: batch.id }))
            entries.push(entry);
          await pipeline(await certificatePdf(batch, entries), res);
        },
      );
    });
  };
}
