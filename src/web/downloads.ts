import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import type restify from 'restify';
import { DOWNLOADS } from '../downloads/paths.js';
import type { SignedLinks } from '../downloads/signed-links.js';
import { certificatePdf } from '../exports/certificate-pdf.js';
import { decisionsCsv, registerCsv, registerXlsx } from '../exports/register-export.js';
import {
  SUBJECT_ACCESS_TYPES,
  subjectAccessFileName,
  subjectAccessJson,
  subjectAccessXlsx,
  type SubjectAccessFormat,
} from '../exports/subject-access-export.js';
import { withoutQuery } from '../redact.js';
import { today, type Clock } from '../services/clock.js';
import type { DestructionService, RegisterEntry } from '../services/destruction.js';
import type { DecisionView, DispositionService } from '../services/disposition.js';
import type { SubjectAccessService } from '../services/subject-access.js';

export interface DownloadDeps {
  clock: Clock;
  links: SignedLinks;
  destruction: DestructionService;
  subjectAccess: SubjectAccessService;
  disposition: DispositionService;
  log: Logger;
  /** Downloads made at once; one more gets 503 with Retry-After. */
  maxConcurrent: number;
}

/** Seconds a refused download is told to wait. */
export const DOWNLOAD_RETRY_AFTER_SECONDS = 5;

/** Review decisions read a page at a time. */
const DECISIONS_PAGE = 500;

/**
 * Files the Records Management cards link to: the destruction register (CSV, and XLSX with the
 * review decisions on a second sheet), the register of review decisions (CSV) and batch
 * certificates (PDF). Each link is signed for one officer and checked again when fetched. Files are
 * sent as they are made, a page of the register at a time, and only a few at once.
 */
export function downloadRoutes(deps: DownloadDeps): (server: restify.Server) => void {
  const log = deps.log.child({ component: 'downloads' });
  let active = 0;

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

  /**
   * The officer's register entries (of one batch, or all), read as the file is made; else answers
   * 403 and gives null.
   */
  const entriesFor = async (
    actorId: string,
    res: restify.Response,
    batchId?: string,
  ): Promise<AsyncIterable<RegisterEntry> | null> => {
    const found = await deps.destruction.registerEntries(actorId, batchId ? { batchId } : {});
    if (found.ok) return found.entries;
    res.send(403, { error: found.message });
    return null;
  };

  /**
   * Every review decision made before the download began (transfers to the archives among them),
   * newest first, a page at a time; one made meanwhile moves the pages on, so none is sent twice.
   */
  async function* decisionsOf(actorId: string): AsyncGenerator<DecisionView> {
    const began = deps.clock.now().toISOString();
    const sent = new Set<string>();
    for (let page = 1; ; page += 1) {
      const found = await deps.disposition.decisions(actorId, { page, pageSize: DECISIONS_PAGE });
      if (!found.ok) throw new Error(found.message);
      for (const d of found.decisions) {
        if (d.decidedAt > began || sent.has(d.id)) continue;
        sent.add(d.id);
        yield d;
      }
      if (page >= found.pages) return;
    }
  }

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
      const actorId = await allowed(DOWNLOADS.registerCsv, req, res);
      if (!actorId) return;
      const entries = await entriesFor(actorId, res);
      if (!entries) return;
      await download(
        req,
        res,
        { type: 'text/csv; charset=utf-8', name: `destruction-register-${today(deps.clock)}.csv` },
        () => pipeline(registerCsv(entries), res),
      );
    });
    server.get(DOWNLOADS.registerXlsx, async (req, res) => {
      const actorId = await allowed(DOWNLOADS.registerXlsx, req, res);
      if (!actorId) return;
      const entries = await entriesFor(actorId, res);
      if (!entries) return;
      await download(
        req,
        res,
        {
          type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          name: `destruction-register-${today(deps.clock)}.xlsx`,
        },
        () => registerXlsx(entries, res, decisionsOf(actorId)),
      );
    });
    server.get(DOWNLOADS.decisionsCsv, async (req, res) => {
      const actorId = await allowed(DOWNLOADS.decisionsCsv, req, res);
      if (!actorId) return;
      await download(
        req,
        res,
        { type: 'text/csv; charset=utf-8', name: `review-decisions-${today(deps.clock)}.csv` },
        () => pipeline(decisionsCsv(decisionsOf(actorId)), res),
      );
    });
    // Subject access files: the link names the officer and the subject; the service checks the
    // officer is still in Records Management, compiles the report afresh and audits it.
    server.get('/downloads/subject-access/:kind/:file', async (req, res) => {
      const params = req.params as { kind?: string; file?: string };
      const kind = params.kind === 'case' || params.kind === 'person' ? params.kind : null;
      const match = /^(.+)\.(json|xlsx)$/.exec(String(params.file ?? ''));
      if (!kind || !match) {
        res.send(404, { error: 'There is no such file.' });
        return;
      }
      const subject = match[1]!;
      const format = match[2] as SubjectAccessFormat;
      const query = Object.fromEntries(new URL(req.url ?? '', 'http://localhost').searchParams);
      const actorId = deps.links.verify(DOWNLOADS.subjectAccess(kind, subject, format), query);
      if (!actorId) {
        res.send(401, { error: 'This download link is not valid or has expired. Ask for the report again.' });
        return;
      }
      const outcome = await deps.subjectAccess.report(
        actorId,
        kind === 'case' ? { kind, caseRef: subject } : { kind, idOrEmail: subject },
        { format },
      );
      if (!outcome.ok) {
        res.send(
          outcome.code === 'not_records_management' || outcome.code === 'not_in_directory' ? 403 : 400,
          {
            error: outcome.message,
          },
        );
        return;
      }
      const report = outcome.report;
      await download(
        req,
        res,
        { type: SUBJECT_ACCESS_TYPES[format], name: subjectAccessFileName(report, format) },
        async () => {
          const body =
            format === 'json' ? Buffer.from(subjectAccessJson(report)) : await subjectAccessXlsx(report);
          await new Promise<void>((resolve, reject) =>
            res.end(body, (error?: Error | null) => (error ? reject(error) : resolve())),
          );
        },
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
      const entries = await entriesFor(actorId, res, batch.id);
      if (!entries) return;
      await download(
        req,
        res,
        { type: 'application/pdf', name: `certificate-${batch.reference}.pdf` },
        async () => {
          // A batch holds at most a few hundred entries: the certificate reads them at once.
          const all: RegisterEntry[] = [];
          for await (const entry of entries) all.push(entry);
          await pipeline(await certificatePdf(batch, all), res);
        },
      );
    });
  };
}
