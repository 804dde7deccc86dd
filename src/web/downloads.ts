import type restify from 'restify';
import { DOWNLOADS } from '../downloads/paths.js';
import type { SignedLinks } from '../downloads/signed-links.js';
import { today, type Clock } from '../services/clock.js';
import { certificatePdf } from '../exports/certificate-pdf.js';
import { registerCsv, registerXlsx } from '../exports/register-export.js';
import type { DestructionService, RegisterEntry } from '../services/destruction.js';

export interface DownloadDeps {
  clock: Clock;
  links: SignedLinks;
  destruction: DestructionService;
}

const PAGE = 1000;

/**
 * Files the Records Management cards link to: the destruction register (CSV, XLSX) and batch
 * certificates (PDF). Each link is signed for one officer and checked again when fetched.
 */
export function downloadRoutes(deps: DownloadDeps): (server: restify.Server) => void {
  /** The officer a genuine link was made for, while still in Records Management; else answers 401 or 403. */
  const allowed = async (
    path: string,
    req: restify.Request,
    res: restify.Response,
  ): Promise<string | null> => {
    const query = Object.fromEntries(new URL(req.url ?? '', 'http://localhost').searchParams);
    const actorId = deps.links.verify(path, query);
    if (!actorId) {
      res.send(401, {
        error: 'This download link is not valid or has expired. Ask for the register or certificate again.',
      });
      return null;
    }
    const denied = await deps.destruction.checkDownload(actorId);
    if (denied) {
      res.send(403, { error: denied.message });
      return null;
    }
    return actorId;
  };
  const send = (res: restify.Response, type: string, name: string, body: Buffer | string) => {
    res.writeHead(200, {
      'content-type': type,
      'content-length': Buffer.byteLength(body),
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(body);
  };
  /** Every entry of the register (or of one batch), a page at a time. */
  const allEntries = async (actorId: string, batchId?: string): Promise<RegisterEntry[]> => {
    const entries: RegisterEntry[] = [];
    for (let page = 1; ; page++) {
      const result = await deps.destruction.register(actorId, { batchId, page, pageSize: PAGE });
      if (!result.ok) return entries;
      entries.push(...result.entries);
      if (page >= result.pages) return entries;
    }
  };

  return (server) => {
    server.get(DOWNLOADS.registerCsv, async (req, res) => {
      const actorId = await allowed(DOWNLOADS.registerCsv, req, res);
      if (!actorId) return;
      send(
        res,
        'text/csv; charset=utf-8',
        `destruction-register-${today(deps.clock)}.csv`,
        registerCsv(await allEntries(actorId)),
      );
    });
    server.get(DOWNLOADS.registerXlsx, async (req, res) => {
      const actorId = await allowed(DOWNLOADS.registerXlsx, req, res);
      if (!actorId) return;
      const xlsx = await registerXlsx(await allEntries(actorId));
      send(
        res,
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        `destruction-register-${today(deps.clock)}.xlsx`,
        xlsx,
      );
    });
    server.get('/downloads/certificates/:file', async (req, res) => {
      const file = String((req.params as { file?: string }).file ?? '');
      const batchId = file.replace(/\.pdf$/, '');
      const actorId = await allowed(DOWNLOADS.certificate(batchId), req, res);
      if (!actorId) return;
      const found = await deps.destruction.getBatch(actorId, batchId);
      const batch = found.ok ? found.batch : null;
      if (!batch || batch.status !== 'confirmed') {
        res.send(404, { error: 'No confirmed batch has that reference.' });
        return;
      }
      const entries = await allEntries(actorId, batch.id);
      send(
        res,
        'application/pdf',
        `certificate-${batch.reference}.pdf`,
        await certificatePdf(batch, entries),
      );
    });
  };
}
