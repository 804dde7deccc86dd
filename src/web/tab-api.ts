import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type restify from 'restify';
import { z } from 'zod';
import { errorReference, quoting } from '../bot/error-reference.js';
import { mayView, viewerOf } from '../bot/views.js';
import type { Config } from '../config.js';
import {
  calculateRetention,
  DATE_FIELD_LABELS,
  DATE_FIELDS,
  findClass,
  isIsoDate,
  MAX_REASON_LENGTH,
  type AuthorisationAction,
  type CaseDates,
  type Schedule,
} from '../rules/index.js';
import { caseRetention } from '../services/case-retention.js';
import { today, type Clock } from '../services/clock.js';
import type { DestructionService } from '../services/destruction.js';
import type { HoldService } from '../services/holds.js';
import type { AuthorisationView, RemovalService } from '../services/removal.js';
import type { Database } from '../store/schema.js';
import { getStaff, managersCoveredBy, type StaffMember } from '../store/staff.js';
import {
  DEV_IDENTITY_HEADER,
  TAB_ACTIONS,
  type ActionResponse,
  type ApiError,
  type BatchesResponse,
  type CalculateResponse,
  type CaseRetentionResponse,
  type DueResponse,
  type ExportLinkResponse,
  type HoldsResponse,
  type Me,
  type MineResponse,
  type RegisterResponse,
  type ScheduleResponse,
  type TabAuthorisation,
  type TeamResponse,
} from '../tab/api-types.js';
import { DOWNLOADS } from './downloads.js';
import type { SignedLinks } from './signed-links.js';
import { SsoValidator, ssoFailure } from './sso.js';
import { withoutQuery } from './redact.js';
import { serveTab } from './tab-static.js';

/**
 * The personal tab's JSON API under /api/tab/…: the same services and rules the cards use.
 * Every call first proves who is asking: the Teams SSO token (`Authorization: Bearer …`) is
 * validated before anything else, and a call without a valid one gets 401. In local mode only,
 * an explicitly configured development identity stands in when the page says so (no token and
 * the `x-dev-identity` header). A refusal by the role and relationship rules is 403 with the
 * rules' sentence.
 */

export interface TabApiDeps {
  db: Kysely<Database>;
  clock: Clock;
  schedule: Schedule;
  removals: RemovalService;
  holds: HoldService;
  destruction: DestructionService;
  /** Signs the register download links (served by the download routes). */
  links: SignedLinks;
  config: Pick<Config, 'tab' | 'production'>;
  log: Logger;
  /** Sends the notifications an action queued (the bot's dispatcher). */
  notify: () => void;
  /** Where the built tab is (dist/tab by default). */
  tabDir?: string;
}

interface Caller {
  actor: StaffMember;
  via: Me['identity'];
}

interface Reply {
  status: number;
  body: unknown;
}

type Identified = { ok: true; caller: Caller } | { ok: false; status: 401 | 403; error: string };

const ok = (body: unknown): Reply => ({ status: 200, body });
const fail = (status: number, error: string, extra: Omit<ApiError, 'error'> = {}): Reply => ({
  status,
  body: { error, ...extra } satisfies ApiError,
});

/** HTTP status for a refusal code of the rules and services. */
function statusOf(code: string): number {
  switch (code) {
    case 'not_in_directory':
    case 'own_request':
    case 'not_line_manager':
    case 'not_your_request':
    case 'not_records_management':
      return 403;
    case 'not_found':
      return 404;
    case 'stale':
    case 'wrong_state':
      return 409;
    case 'reason_missing':
    case 'reason_too_long':
    case 'return_date_passed':
      return 422;
    default:
      return 400;
  }
}

const actionBody = z.object({
  action: z.enum(TAB_ACTIONS),
  version: z.number().int().min(1),
  reason: z
    .string()
    .max(MAX_REASON_LENGTH * 2)
    .optional(),
});

const calculateBody = z.object({
  classId: z.string().max(100),
  dates: z.partialRecord(z.enum(DATE_FIELDS), z.string().max(20).nullable()).default({}),
});

const CASE_REF = /^[A-Za-z0-9][A-Za-z0-9/-]{0,39}$/;

/** A route parameter as text ('' when absent). */
function param(req: restify.Request, name: string): string {
  const value = (req.params as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

function queryOf(req: restify.Request): URLSearchParams {
  return new URL(req.url ?? '/', 'http://tab.invalid').searchParams;
}

function toAction(
  kind: z.infer<typeof actionBody>['action'],
  reason: string | undefined,
): AuthorisationAction {
  switch (kind) {
    case 'approve':
      return { kind, note: reason ?? null };
    case 'decline':
      return { kind, reason: reason ?? '' };
    case 'cancel':
      return { kind, reason: reason ?? '' };
    case 'withdraw':
      return { kind, reason: reason ?? null };
    case 'mark_returned':
      return { kind, note: reason ?? null };
  }
}

export function tabRoutes(deps: TabApiDeps): ((server: restify.Server) => void)[] {
  const { db, clock, schedule, removals, holds, destruction, links, config, log } = deps;
  const sso = config.tab.sso ? new SsoValidator(config.tab.sso, () => clock.now()) : null;
  const httpLog = log.child({ component: 'tab-api' });

  async function identify(req: restify.Request): Promise<Identified> {
    const authorization = req.header('authorization') || undefined;
    let oid: string;
    let via: Caller['via'];
    if (!authorization && config.tab.devIdentity && req.header(DEV_IDENTITY_HEADER) === 'true') {
      oid = config.tab.devIdentity;
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
    const actor = await getStaff(db, oid);
    if (!actor) {
      return {
        ok: false,
        status: 403,
        error:
          'You are not in the staff directory, so the Case Records tab has nothing to show you. Ask the directory administrator to add you.',
      };
    }
    return { ok: true, caller: { actor, via } };
  }

  const api =
    (handler: (caller: Caller, req: restify.Request) => Reply | Promise<Reply>) =>
    async (req: restify.Request, res: restify.Response): Promise<void> => {
      res.header('Cache-Control', 'no-store');
      let reply: Reply;
      try {
        const who = await identify(req);
        if (!who.ok) {
          if (who.status === 401) res.header('WWW-Authenticate', 'Bearer');
          reply = fail(who.status, who.error);
        } else {
          reply = await handler(who.caller, req);
        }
      } catch (error) {
        const errorRef = errorReference();
        httpLog.error({ err: error, url: withoutQuery(req.url), errorRef }, 'tab API call failed');
        reply = fail(
          500,
          `Something went wrong on our side. Nothing was changed; please try again. ${quoting(errorRef)}`,
        );
      }
      res.send(reply.status, reply.body);
    };

  const withAbilities = (a: AuthorisationView, viewerId: string): TabAuthorisation => ({
    ...a,
    can: viewerOf(a, viewerId),
  });

  async function coversTeam(actor: StaffMember): Promise<boolean> {
    if (actor.roles.includes('line_manager')) return true;
    return (await managersCoveredBy(db, actor.id, today(clock))).length > 0;
  }

  const isRms = (actor: StaffMember) => actor.roles.includes('records_management');
  const rmsOnly = (what: string) =>
    fail(403, `Only the Records Management Service can see ${what}.`, { code: 'not_records_management' });

  const routes = (server: restify.Server) => {
    server.get(
      '/api/tab/me',
      api(async ({ actor, via }) =>
        ok({
          id: actor.id,
          name: actor.name,
          roles: actor.roles,
          identity: via,
          today: today(clock),
          views: { team: await coversTeam(actor), recordsManagement: isRms(actor) },
        } satisfies Me),
      ),
    );

    server.get(
      '/api/tab/requests/mine',
      api(async ({ actor }) => {
        const mine = await removals.listMine(actor.id, 10);
        return ok({
          open: mine.open.map((a) => withAbilities(a, actor.id)),
          closed: mine.closed.map((a) => withAbilities(a, actor.id)),
        } satisfies MineResponse);
      }),
    );

    server.get(
      '/api/tab/team',
      api(async ({ actor }) => {
        if (!(await coversTeam(actor))) {
          return fail(
            403,
            'Only line managers, and anyone covering for one, have a team view. Your own requests are under "My requests".',
            { code: 'not_line_manager' },
          );
        }
        const team = await removals.team(actor.id);
        const mark = (list: AuthorisationView[]) => list.map((a) => withAbilities(a, actor.id));
        return ok({
          pending: mark(team.pending),
          active: mark(team.active),
          overdue: mark(team.overdue),
        } satisfies TeamResponse);
      }),
    );

    server.get(
      '/api/tab/authorisations/:id',
      api(async ({ actor }, req) => {
        const id = param(req, 'id');
        const a = await removals.view(id);
        if (!a)
          return fail(404, 'That request no longer exists, or the link is wrong.', { code: 'not_found' });
        if (!mayView(a, actor.id)) {
          return fail(403, 'Only the requester and their line manager can see this request.', {
            code: 'not_your_request',
          });
        }
        return ok(withAbilities(a, actor.id));
      }),
    );

    server.post(
      '/api/tab/authorisations/:id/actions',
      api(async ({ actor }, req) => {
        const id = param(req, 'id');
        const body = actionBody.safeParse(req.body);
        if (!body.success) {
          return fail(
            400,
            'Send the action (approve, decline, cancel, mark_returned or withdraw), the version of the request you saw, and a reason where one is needed.',
            { code: 'bad_request' },
          );
        }
        const { action, version, reason } = body.data;
        const outcome = await removals.act(actor.id, id, toAction(action, reason), version);
        if (outcome.ok) {
          if (!outcome.repeated) deps.notify();
          return ok({
            authorisation: withAbilities(outcome.authorisation, actor.id),
            repeated: outcome.repeated,
          } satisfies ActionResponse);
        }
        const visible =
          outcome.authorisation && mayView(outcome.authorisation, actor.id)
            ? { authorisation: withAbilities(outcome.authorisation, actor.id) }
            : {};
        return fail(statusOf(outcome.refusal.code), outcome.refusal.message, {
          code: outcome.refusal.code,
          ...visible,
        });
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
        const body = calculateBody.safeParse(req.body);
        if (!body.success) {
          return fail(400, 'Send a record class and the case dates you know, written YYYY-MM-DD.', {
            code: 'bad_request',
          });
        }
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
      api(async (_caller, req) => {
        const ref = param(req, 'caseRef').trim();
        if (!CASE_REF.test(ref)) {
          return fail(400, 'Type a case reference: letters and digits, such as 1234567.', {
            code: 'bad_case_ref',
          });
        }
        const day = today(clock);
        const found = await caseRetention(db, schedule, ref, day);
        if (!found) {
          return fail(404, `Case ${ref} is not in the records inventory. Check the reference.`, {
            code: 'case_unknown',
          });
        }
        return ok({ ...found, today: day } satisfies CaseRetentionResponse);
      }),
    );

    server.get(
      '/api/tab/rms/due',
      api(async ({ actor }, req) => {
        const q = queryOf(req);
        const dueBy = q.get('dueBy') || undefined;
        if (dueBy !== undefined && !isIsoDate(dueBy)) {
          return fail(400, 'The due-by date must be a date written YYYY-MM-DD.', { code: 'bad_date' });
        }
        const page = Number(q.get('page') ?? '1');
        const result = await destruction.due(actor.id, {
          dueBy,
          classId: q.get('classId') || undefined,
          page: Number.isInteger(page) && page > 0 ? page : 1,
          pageSize: 20,
        });
        if (!result.ok) return fail(statusOf(result.code), result.message, { code: result.code });
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
        if (!isRms(actor)) return rmsOnly('the holds list');
        const status = queryOf(req).get('status');
        const active = status === 'released' ? false : status === 'all' ? undefined : true;
        return ok({ holds: await holds.list({ active, limit: 200 }) } satisfies HoldsResponse);
      }),
    );

    server.get(
      '/api/tab/rms/batches',
      api(async ({ actor }) => {
        if (!isRms(actor)) return rmsOnly('destruction batches');
        return ok({ batches: await destruction.listBatches({ limit: 50 }) } satisfies BatchesResponse);
      }),
    );

    server.get(
      '/api/tab/rms/register',
      api(async ({ actor }, req) => {
        if (!isRms(actor)) return rmsOnly('the destruction register');
        const page = Number(queryOf(req).get('page') ?? '1');
        const result = await destruction.register({
          page: Number.isInteger(page) && page > 0 ? page : 1,
          pageSize: 20,
        });
        if (!result.ok) return fail(statusOf(result.code), result.message, { code: result.code });
        return ok({
          total: result.total,
          entries: result.entries,
          page: result.page,
          pages: result.pages,
        } satisfies RegisterResponse);
      }),
    );

    server.post(
      '/api/tab/rms/register/export',
      api(({ actor }, req) => {
        if (!isRms(actor)) return rmsOnly('or export the destruction register');
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
