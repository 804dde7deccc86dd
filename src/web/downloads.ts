import type restify from 'restify';
import type { Kysely } from 'kysely';
import { today, type Clock } from '../services/clock.js';
import { certificatePdf } from '../exports/certificate-pdf.js';
import { registerCsv, registerXlsx } from '../exports/register-export.js';
import type { DestructionService, RegisterEntry } from '../services/destruction.js';
import type { Database } from '../store/schema.js';
import { getStaff } from '../store/staff.js';
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
}

const PAGE = 1000;

/**
 * Files the Records Management cards link to: the destruction register (CSV, XLSX) and batch
 * certificates (PDF). Each link is signed for one officer and checked again when fetched.
 */
export function downloadRoutes(deps: DownloadDeps): (server: restify.Server) => void {
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
  const allEntries = async (batchId?: string): Promise<RegisterEntry[]> => {
    const entries: RegisterEntry[] = [];
    for (let page = 1; ; page++) {
      const result = await deps.destruction.register({ batchId, page, pageSize: PAGE });
      if (!result.ok) return entries;
      entries.push(...result.entries);
      if (page >= result.pages) return entries;
    }
  };

  return (server) => {
    server.get(DOWNLOADS.registerCsv, async (req, res) => {
      if (!(await allowed(DOWNLOADS.registerCsv, req, res))) return;
      send(
        res,
        'text/csv; charset=utf-8',
        `destruction-register-${today(deps.clock)}.csv`,
        registerCsv(await allEntries()),
      );
    });
    server.get(DOWNLOADS.registerXlsx, async (req, res) => {
      if (!(await allowed(DOWNLOADS.registerXlsx, req, res))) return;
      const xlsx = await registerXlsx(await allEntries());
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
      if (!(await allowed(DOWNLOADS.certificate(batchId), req, res))) return;
      const batch = await deps.destruction.getBatch(batchId);
      if (!batch || batch.status !== 'confirmed') {
        res.send(404, { error: 'No confirmed batch has that reference.' });
        return;
      }
      const entries = await allEntries(batch.id);
      send(
        res,
        'application/pdf',
        `certificate-${batch.reference}.pdf`,
        await certificatePdf(batch, entries),
      );
    });
  };
}
