import type restify from 'restify';
import type { Kysely } from 'kysely';
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
  links: SignedLinks;
  destruction: DestructionService;
}

const PAGE = 1000;

/**
 * Files the Records Management cards link to: the destruction register (CSV, XLSX) and batch
 * certificates (PDF). Each link is signed for one officer and checked again when fetched.
 */
export function downloadRoutes(deps: DownloadDeps): (server: restify.Server) => void {
  const allowed = async (path: string, req: restify.Request): Promise<boolean> => {
    const query = Object.fromEntries(new URL(req.url ?? '', 'http://localhost').searchParams);
    const actorId = deps.links.verify(path, query);
    if (!actorId) return false;
    return (await getStaff(deps.db, actorId))?.roles.includes('records_management') ?? false;
  };
  const refuse = (res: restify.Response): void =>
    void res.send(403, {
      error: 'This link has expired or is not yours. Ask the bot for the register or certificate again.',
    });
  const send = (res: restify.Response, type: string, name: string, body: Buffer | string) => {
    res.writeHead(200, {
      'content-type': type,
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
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
      if (!(await allowed(DOWNLOADS.registerCsv, req))) {
        refuse(res);
        return;
      }
      send(res, 'text/csv; charset=utf-8', 'destruction-register.csv', registerCsv(await allEntries()));
    });
    server.get(DOWNLOADS.registerXlsx, async (req, res) => {
      if (!(await allowed(DOWNLOADS.registerXlsx, req))) {
        refuse(res);
        return;
      }
      const xlsx = await registerXlsx(await allEntries());
      send(
        res,
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'destruction-register.xlsx',
        xlsx,
      );
    });
    server.get('/downloads/certificates/:file', async (req, res) => {
      const file = String((req.params as { file?: string }).file ?? '');
      const batchId = file.replace(/\.pdf$/, '');
      if (!(await allowed(DOWNLOADS.certificate(batchId), req))) {
        refuse(res);
        return;
      }
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
