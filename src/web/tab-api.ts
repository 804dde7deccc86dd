import type { Logger } from 'pino';
import type restify from 'restify';
import { z } from 'zod';
import { CASE_REF, ID_PATTERN, integer, line, optionalDate, readInput, reason } from '../actions/inputs.js';
import type { Actions } from '../actions/table.js';
import { VERBS, type Verb } from '../actions/verbs.js';
import { errorReference, quoting } from '../error-reference.js';
import { withoutQuery } from '../redact.js';
import type { Config } from '../config.js';
import { DOWNLOADS } from '../downloads/paths.js';
import type { SignedLinks } from '../downloads/signed-links.js';
import {
  calculateRetention,
  DATE_FIELD_LABELS,
  DATE_FIELDS,
  findClass,
  isIsoDate,
  MAX_REASON_LENGTH,
  NOT_SET_UP,
  type CaseDates,
  type Schedule,
  type WorkViews,
} from '../rules/index.js';
import type { CaseRetentionService } from '../services/case-retention.js';
import { today, type Clock } from '../services/clock.js';
import type { BatchView, DestructionService } from '../services/destruction.js';
import type { DispositionService } from '../services/disposition.js';
import type { HoldService } from '../services/holds.js';
import type { PeopleService, StaffMember } from '../services/people.js';
import type { RemovalService } from '../services/removal.js';
import type { SubjectAccessService } from '../services/subject-access.js';
import { describeSubject, subjectAccessFileName } from '../exports/subject-access-export.js';
import { batchNextStep, batchStatusLine } from '../sentences/destruction.js';
import {
  DEV_IDENTITY_HEADER,
  PERSONAS_PATH,
  TAB_ACTIONS,
  type BatchesResponse,
  type BatchResponse,
  type CalculateResponse,
  type CaseRetentionResponse,
  type DueResponse,
  type ExportLinkResponse,
  type HoldsResponse,
  type Me,
  type MineResponse,
  type PersonasResponse,
  type RegisterResponse,
  type ReviewResponse,
  type ScheduleResponse,
  type SubjectAccessResponse,
  type TabBatch,
  type TeamResponse,
} from '../tab/api-types.js';
import { SsoValidator, ssoFailure } from './sso.js';
import { serveTab } from './tab-static.js';
import { fail, ok, removalActionReply, rmsActionReply, statusOf, type Reply } from './tab-responses.js';

/**
 * The personal tab's JSON API under /api/tab/…: the same services and rules the cards use.
 * Every call first proves who is asking: the Teams SSO token (`Authorization: Bearer …`) is
 * validated before anything else, and a call without a valid one gets 401. In local mode only
 * (never with the bot's credentials or in production), the page opened outside Teams acts as the
 * person chosen in its persona picker: no token, and their aadObjectId in the `x-dev-identity`
 * header; anywhere else that header is ignored. A refusal by the role and relationship rules is
 * 403 with the rules' sentence. Every read and write goes through a service, which checks who may
 * do it; the actions (on removal authorisations, and Records Management's on holds, review
 * decisions and destruction batches) run the cards' verb handlers, so the tab and the chat act alike.
 */

export interface TabApiDeps {
  clock: Clock;
  schedule: Schedule;
  people: PeopleService;
  removals: RemovalService;
  holds: HoldService;
  destruction: DestructionService;
  disposition: DispositionService;
  retention: CaseRetentionService;
  subjectAccess: SubjectAccessService;
  /** The card actions' verb table: the tab's actions run through the same handlers. */
  actions: Actions;
  /** Signs the register download links (served by the download routes). */
  links: SignedLinks;
  config: Pick<Config, 'tab' | 'production' | 'localMode' | 'bot'>;
  log: Logger;
  /** Where the built tab is (dist/tab by default). */
  tabDir?: string;
}

interface Caller {
  actor: StaffMember;
  views: WorkViews;
  via: Me['identity'];
}

type Identified = { ok: true; caller: Caller } | { ok: false; status: 401 | 403; error: string };

const actionBody = z.object({
  action: z.enum(TAB_ACTIONS),
  version: integer(1, 1_000_000, { digits: false }),
  reason: reason(MAX_REASON_LENGTH * 2),
});

const calculateBody = z.object({
  classId: line(100),
  dates: z.partialRecord(z.enum(DATE_FIELDS), line(20).nullable()).default({}),
});

const AAD_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const subjectAccessBody = z.object({ case: line(100).optional(), person: line(320).optional() });

/** The query of a page of a list: a whole number from 1, written as digits. */
const pageQuery = z.object({ page: integer(1, 100_000).optional() });
const dueQuery = pageQuery.extend({ dueBy: optionalDate, classId: line(100) });
const reviewQuery = dueQuery.extend({ caseRef: line(50) });

/**
 * The Records Management actions the tab offers, each run by its card verb's handler with the
 * body the card would send; `id` names the field the path's `:id` fills (never the body's).
 */
const RMS_ACTIONS: readonly { path: string; verb: Verb; id?: 'holdId' | 'batchId' }[] = [
  { path: '/api/tab/rms/holds', verb: VERBS.holdPlace },
  { path: '/api/tab/rms/holds/:id/release', verb: VERBS.holdRelease, id: 'holdId' },
  { path: '/api/tab/rms/holds/:id/extend', verb: VERBS.sarExtend, id: 'holdId' },
  { path: '/api/tab/rms/holds/:id/stop-clock', verb: VERBS.sarPause, id: 'holdId' },
  { path: '/api/tab/rms/holds/:id/restart-clock', verb: VERBS.sarResume, id: 'holdId' },
  { path: '/api/tab/rms/blanket-holds', verb: VERBS.blanketPlace },
  { path: '/api/tab/rms/blanket-holds/:id/release', verb: VERBS.blanketRelease, id: 'holdId' },
  { path: '/api/tab/rms/batches/preview', verb: VERBS.batchPreview },
  { path: '/api/tab/rms/batches', verb: VERBS.batchCreate },
  { path: '/api/tab/rms/batches/:id/confirm', verb: VERBS.batchConfirm, id: 'batchId' },
  { path: '/api/tab/rms/batches/:id/cancel', verb: VERBS.batchCancel, id: 'batchId' },
  { path: '/api/tab/rms/review/decisions', verb: VERBS.reviewDecide },
];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A route parameter as text ('' when absent). */
function param(req: restify.Request, name: string): string {
  const value = (req.params as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

function queryOf(req: restify.Request): URLSearchParams {
  return new URL(req.url ?? '/', 'http://tab.invalid').searchParams;
}

/** The query string read with `schema` (each parameter once), or the tab's 400 saying what is wrong. */
function readQuery<S extends z.ZodType>(
  req: restify.Request,
  schema: S,
  fallback: string,
): { ok: true; data: z.output<S> } | { ok: false; reply: Reply } {
  const read = readInput(schema, Object.fromEntries(queryOf(req)), fallback);
  return read.ok ? read : { ok: false, reply: fail(400, read.message, { code: 'bad_request' }) };
}

export function tabRoutes(deps: TabApiDeps): ((server: restify.Server) => void)[] {
  const {
    clock,
    schedule,
    people,
    removals,
    holds,
    destruction,
    disposition,
    retention,
    subjectAccess,
    actions,
    links,
    config,
    log,
  } = deps;
  const sso = config.tab.sso ? new SsoValidator(config.tab.sso, () => clock.now()) : null;
  const httpLog = log.child({ component: 'tab-api' });
  // Acting as someone without signing in: local mode only (which the configuration allows
  // neither with the bot's credentials nor in production; checked here again all the same).
  const personasAllowed = config.localMode && !config.production && config.bot === null;

  async function identify(req: restify.Request): Promise<Identified> {
    const authorization = req.header('authorization') || undefined;
    const persona = personasAllowed ? req.header(DEV_IDENTITY_HEADER) || undefined : undefined;
    let oid: string;
    let via: Caller['via'];
    if (!authorization && persona) {
      if (!AAD_OBJECT_ID.test(persona)) {
        return {
          ok: false,
          status: 401,
          error: 'Choose whom to act as from the staff directory: the persona is not an aadObjectId.',
        };
      }
      oid = persona.toLowerCase();
      via = 'development';
    } else if (!sso) {
      return {
        ok: false,
        status: 401,
        error: authorization
          ? 'Sign-in for the tab is not set up on this server (TAB_SSO_AUDIENCE and TAB_SSO_TENANT_ID), so your Teams token cannot be checked.'
          : ssoFailure('missing').error,
      };
    } else {
      const result = await sso.validateHeader(authorization);
      if (!result.ok) {
        httpLog.warn({ reason: result.reason, url: withoutQuery(req.url) }, 'tab token refused');
        return { ok: false, status: 401, error: result.error };
      }
      oid = result.user.oid;
      via = 'sso';
    }
    // Only members of the staff directory (not leavers) are answered at all.
    const profile = await people.profile(oid);
    if (!profile) return { ok: false, status: 403, error: NOT_SET_UP };
    return { ok: true, caller: { actor: profile.person, views: profile.views, via } };
  }

  /** Answers with what `handler` replies, never cached; a failure is 500 with an error reference. */
  const answer =
    (handler: (req: restify.Request, res: restify.Response) => Reply | Promise<Reply>) =>
    async (req: restify.Request, res: restify.Response): Promise<void> => {
      res.header('Cache-Control', 'no-store');
      let reply: Reply;
      try {
        reply = await handler(req, res);
      } catch (error) {
        const errorRef = errorReference();
        httpLog.error({ err: error, url: withoutQuery(req.url), errorRef }, 'tab API call failed');
        reply = fail(
          500,
          `Something went wrong on our side. Nothing was changed; please try again. ${quoting(errorRef)}`,
        );
      }
      for (const [name, value] of Object.entries(reply.headers ?? {})) res.header(name, value);
      res.send(reply.status, reply.body);
    };

  /** A call of the signed-in (or, in local mode, chosen) person: who is asking is proved first. */
  const api = (handler: (caller: Caller, req: restify.Request) => Reply | Promise<Reply>) =>
    answer(async (req, res) => {
      const who = await identify(req);
      if (who.ok) return handler(who.caller, req);
      if (who.status === 401) res.header('WWW-Authenticate', 'Bearer');
      return fail(who.status, who.error);
    });

  /** A service's refusal as the tab's answer. */
  const refusal = (r: { code: string; message: string }) =>
    fail(statusOf(r.code), r.message, { code: r.code });

  /** A batch as the tab shows it to `actorId`: its state and next step in words, its certificate. */
  const tabBatch = (batch: BatchView, actorId: string): TabBatch => ({
    batch,
    statusLine: batchStatusLine(batch),
    nextStep: batchNextStep(batch),
    certificate:
      batch.status === 'confirmed'
        ? {
            url: links.path(DOWNLOADS.certificate(batch.id), actorId),
            fileName: `certificate-${batch.reference}.pdf`,
          }
        : null,
  });

  const routes = (server: restify.Server) => {
    // The persona picker's list, asked for before anyone is identified: local mode only.
    server.get(
      PERSONAS_PATH,
      answer(async () =>
        personasAllowed
          ? ok({
              people: await people.personas(),
              initial: config.tab.devIdentity,
            } satisfies PersonasResponse)
          : fail(404, 'Acting as someone without Teams sign-in is for local mode only.', {
              code: 'not_local_mode',
            }),
      ),
    );

    server.get(
      '/api/tab/me',
      api(({ actor, views, via }) =>
        ok({
          id: actor.id,
          name: actor.name,
          roles: actor.roles,
          identity: via,
          today: today(clock),
          views,
        } satisfies Me),
      ),
    );

    server.get(
      '/api/tab/requests/mine',
      api(async ({ actor }) => {
        const mine = await removals.listMine(actor.id, 10);
        return ok({ open: mine.open, closed: mine.closed } satisfies MineResponse);
      }),
    );

    server.get(
      '/api/tab/team',
      api(async ({ actor }) => {
        const team = await removals.team(actor.id);
        if (!team.teamView) {
          return fail(
            403,
            'Only line managers, and anyone covering for one, have a team view. Your own requests are under "My requests".',
            { code: 'not_line_manager' },
          );
        }
        return ok({
          pending: team.pending,
          overdue: team.overdue,
          outNow: team.outNow,
          leavingLater: team.leavingLater,
        } satisfies TeamResponse);
      }),
    );

    server.get(
      '/api/tab/authorisations/:id',
      api(async ({ actor }, req) => {
        const id = param(req, 'id');
        if (id.length > 64 || !ID_PATTERN.test(id))
          return fail(404, 'There is no such request.', { code: 'not_found' });
        const viewed = await removals.view(actor.id, id);
        return viewed.ok ? ok(viewed.authorisation) : refusal(viewed.refusal);
      }),
    );

    server.post(
      '/api/tab/authorisations/:id/actions',
      api(async ({ actor }, req) => {
        const id = param(req, 'id');
        const body = readInput(
          actionBody,
          req.body,
          'Send the action (approve, decline, cancel, mark_returned or withdraw), the version of the request you saw, and a reason where one is needed.',
        );
        if (!body.ok) return fail(400, body.message, { code: 'bad_request' });
        const { action, version, reason } = body.data;
        return removalActionReply(
          await actions.runRemovalAction(action, actor.id, { authorisationId: id, version, reason }),
        );
      }),
    );

    server.get(
      '/api/tab/retention/schedule',
      api(() => ok({ ...schedule, dateFieldLabels: DATE_FIELD_LABELS } satisfies ScheduleResponse)),
    );

    // The retention calculation for a class and the dates a person types (the same rules the
    // bot and the destruction checks use).
    server.post(
      '/api/tab/retention/calculate',
      api((_caller, req) => {
        const body = readInput(
          calculateBody,
          req.body,
          'Send a record class and the case dates you know, written YYYY-MM-DD.',
        );
        if (!body.ok) return fail(400, body.message, { code: 'bad_request' });
        const cls = findClass(schedule, body.data.classId);
        if (!cls) {
          return fail(404, `"${body.data.classId}" is not a record class in the retention schedule.`, {
            code: 'unknown_class',
          });
        }
        const dates: CaseDates = {};
        for (const [field, value] of Object.entries(body.data.dates)) {
          if (!value) continue;
          if (!isIsoDate(value)) {
            const label = DATE_FIELD_LABELS[field as keyof CaseDates];
            return fail(400, `The ${label} is not a date (YYYY-MM-DD).`, { code: 'bad_date' });
          }
          dates[field as keyof CaseDates] = value;
        }
        const day = today(clock);
        const answer = calculateRetention(schedule, { recordClass: cls.id, dates }, day);
        return ok({ answer, today: day } satisfies CalculateResponse);
      }),
    );

    server.get(
      '/api/tab/retention/cases/:caseRef',
      api(async ({ actor }, req) => {
        const ref = param(req, 'caseRef').trim();
        if (!CASE_REF.test(ref)) {
          return fail(400, 'Type a case reference: letters and digits, such as 1234567.', {
            code: 'bad_case_ref',
          });
        }
        const found = await retention.status(actor.id, { caseRef: ref });
        if (found.ok) return ok({ ...found.retention, today: today(clock) } satisfies CaseRetentionResponse);
        if (found.code === 'case_unknown')
          return fail(404, `${found.message} Check the reference.`, { code: found.code });
        if (found.code === 'too_many_lookups') {
          const seconds = Math.ceil((Date.parse(found.retryAt) - clock.now().getTime()) / 1000);
          return { ...refusal(found), headers: { 'Retry-After': String(Math.max(1, seconds)) } };
        }
        return refusal(found);
      }),
    );

    server.get(
      '/api/tab/rms/due',
      api(async ({ actor }, req) => {
        const q = readQuery(req, dueQuery, 'The filter could not be read.');
        if (!q.ok) return q.reply;
        const result = await destruction.due(actor.id, {
          dueBy: q.data.dueBy || undefined,
          classId: q.data.classId || undefined,
          page: q.data.page ?? 1,
          pageSize: 20,
        });
        if (!result.ok) return refusal(result);
        return ok({
          dueBy: result.dueBy,
          total: result.total,
          groups: result.groups,
          records: result.records,
          page: result.page,
          pages: result.pages,
        } satisfies DueResponse);
      }),
    );

    server.get(
      '/api/tab/rms/holds',
      api(async ({ actor }, req) => {
        const status = queryOf(req).get('status');
        const active = status === 'released' ? false : status === 'all' ? undefined : true;
        const found = await holds.list(actor.id, { active, limit: 200 });
        if (!found.ok) return refusal(found);
        const blanket = await holds.listBlanket(actor.id, { inForce: active });
        if (!blanket.ok) return refusal(blanket);
        return ok({ holds: found.holds, blanket: blanket.holds } satisfies HoldsResponse);
      }),
    );

    server.get(
      '/api/tab/rms/batches',
      api(async ({ actor }) => {
        const list = await destruction.listBatches(actor.id, { limit: 50 });
        return list.ok ? ok({ batches: list.batches } satisfies BatchesResponse) : refusal(list);
      }),
    );

    server.get(
      '/api/tab/rms/batches/:id',
      api(async ({ actor }, req) => {
        const id = param(req, 'id');
        if (id.length > 64 || !ID_PATTERN.test(id))
          return fail(404, 'There is no such destruction batch.', { code: 'not_found' });
        const found = await destruction.getBatch(actor.id, id);
        if (!found.ok) return refusal(found);
        return ok({ ...tabBatch(found.batch, actor.id), notice: '' } satisfies BatchResponse);
      }),
    );

    // Records waiting for a review decision, by class and month, a page at a time.
    server.get(
      '/api/tab/rms/review',
      api(async ({ actor }, req) => {
        const q = readQuery(req, reviewQuery, 'The filter could not be read.');
        if (!q.ok) return q.reply;
        const result = await disposition.reviewList(actor.id, {
          classId: q.data.classId || undefined,
          caseRef: q.data.caseRef || undefined,
          dueBy: q.data.dueBy || undefined,
          page: q.data.page ?? 1,
          pageSize: 20,
        });
        if (!result.ok) return refusal(result);
        const { ok: _ok, ...review } = result;
        return ok(review satisfies ReviewResponse);
      }),
    );

    // Records Management actions: placing and releasing holds, a subject access request's
    // extension and clock, previewing, creating, confirming and cancelling destruction batches,
    // and review decisions. Each runs its card verb's handler, which reads the body and whose
    // service checks the officer again; the path's id wins over any in the body.
    for (const action of RMS_ACTIONS) {
      server.post(
        action.path,
        api(async ({ actor }, req) => {
          if (!isObject(req.body)) {
            return fail(400, 'Send the action’s fields as a JSON object. Nothing was changed.', {
              code: 'bad_request',
            });
          }
          let data: Record<string, unknown> = req.body;
          if (action.id) {
            const id = param(req, 'id');
            if (id.length > 64 || !ID_PATTERN.test(id))
              return fail(404, 'There is no such item. Nothing was changed.', { code: 'not_found' });
            data = { ...data, [action.id]: id };
          }
          const result = await actions.run(action.verb, actor.id, data);
          return rmsActionReply(action.verb, result, (batch) => tabBatch(batch, actor.id));
        }),
      );
    }

    server.get(
      '/api/tab/rms/register',
      api(async ({ actor }, req) => {
        const q = readQuery(req, pageQuery, 'The page must be a whole number from 1.');
        if (!q.ok) return q.reply;
        const result = await destruction.register(actor.id, { page: q.data.page ?? 1, pageSize: 20 });
        if (!result.ok) return refusal(result);
        return ok({
          total: result.total,
          entries: result.entries,
          page: result.page,
          pages: result.pages,
        } satisfies RegisterResponse);
      }),
    );

    // Subject access: what the product holds about a case or a person, in counts, with links to
    // the files for Information Governance. The service checks the officer's role and audits it.
    server.post(
      '/api/tab/rms/subject-access',
      api(async ({ actor }, req) => {
        const body = subjectAccessBody.safeParse(req.body);
        const asked = body.success ? { case: body.data.case?.trim(), person: body.data.person?.trim() } : {};
        if (!asked.case === !asked.person) {
          return fail(400, 'Give a case reference, or a person’s staff id or email address (one of them).', {
            code: 'bad_request',
          });
        }
        const outcome = await subjectAccess.report(
          actor.id,
          asked.case ? { kind: 'case', caseRef: asked.case } : { kind: 'person', idOrEmail: asked.person! },
          { format: 'summary' },
        );
        if (!outcome.ok) return refusal(outcome);
        const report = outcome.report;
        const key =
          report.subject.kind === 'case'
            ? report.subject.caseRef
            : (report.subject.id ?? report.subject.asked);
        const link = (format: 'json' | 'xlsx') => ({
          url: links.path(DOWNLOADS.subjectAccess(report.subject.kind, key, format), actor.id),
          fileName: subjectAccessFileName(report, format),
        });
        return ok({
          subject: describeSubject(report),
          nothingHeld: report.nothingHeld,
          sections: report.sections.map((s) => ({
            id: s.id,
            title: s.title,
            about: s.about,
            rows: s.rows.length,
          })),
          people: report.people.length,
          notes: report.notes,
          downloads: { json: link('json'), xlsx: link('xlsx') },
        } satisfies SubjectAccessResponse);
      }),
    );

    server.post(
      '/api/tab/rms/register/export',
      api(async ({ actor }, req) => {
        const denied = await destruction.checkDownload(actor.id);
        if (denied) return refusal(denied);
        const format = (req.body as { format?: unknown } | undefined)?.format;
        if (format !== 'csv' && format !== 'xlsx') {
          return fail(400, 'Choose the export format: csv or xlsx.', { code: 'bad_format' });
        }
        const fileName = `destruction-register-${today(clock)}.${format}`;
        return ok({
          url: links.path(format === 'csv' ? DOWNLOADS.registerCsv : DOWNLOADS.registerXlsx, actor.id),
          fileName,
        } satisfies ExportLinkResponse);
      }),
    );
  };

  return [routes, serveTab(deps.tabDir, { sourceMaps: !config.production })];
}
