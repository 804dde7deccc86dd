import type { Logger } from 'pino';
import type restify from 'restify';
import { z } from 'zod';
import type { Actions } from '../actions/table.js';
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
  type CaseDates,
  type Schedule,
  type WorkViews,
} from '../rules/index.js';
import type { CaseRetentionService } from '../services/case-retention.js';
import { today, type Clock } from '../services/clock.js';
import type { DestructionService } from '../services/destruction.js';
import type { HoldService } from '../services/holds.js';
import type { PeopleService, StaffMember } from '../services/people.js';
import type { RemovalService } from '../services/removal.js';
import {
  DEV_IDENTITY_HEADER,
  PERSONAS_PATH,
  TAB_ACTIONS,
  type BatchesResponse,
  type CalculateResponse,
  type CaseRetentionResponse,
  type DueResponse,
  type ExportLinkResponse,
  type HoldsResponse,
  type Me,
  type MineResponse,
  type PersonasResponse,
  type RegisterResponse,
  type ScheduleResponse,
  type TeamResponse,
} from '../tab/api-types.js';
import { SsoValidator, ssoFailure } from './sso.js';
import { serveTab } from './tab-static.js';
import { fail, ok, removalActionReply, statusOf, type Reply } from './tab-responses.js';

/**
 * The personal tab's JSON API under /api/tab/…: the same services and rules the cards use.
 * Every call first proves who is asking: the Teams SSO token (`Authorization: Bearer …`) is
 * validated before anything else, and a call without a valid one gets 401. In local mode only
 * (never with the bot's credentials or in production), the page opened outside Teams acts as the
 * person chosen in its persona picker: no token, and their aadObjectId in the `x-dev-identity`
 * header; anywhere else that header is ignored. A refusal by the role and relationship rules is
 * 403 with the rules' sentence. Every read and write goes through a service, which checks who may
 * do it.
 */

export interface TabApiDeps {
  clock: Clock;
  schedule: Schedule;
  people: PeopleService;
  removals: RemovalService;
  holds: HoldService;
  destruction: DestructionService;
  retention: CaseRetentionService;
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
const AAD_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A route parameter as text ('' when absent). */
function param(req: restify.Request, name: string): string {
  const value = (req.params as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

function queryOf(req: restify.Request): URLSearchParams {
  return new URL(req.url ?? '/', 'http://tab.invalid').searchParams;
}

export function tabRoutes(deps: TabApiDeps): ((server: restify.Server) => void)[] {
  const { clock, schedule, people, removals, holds, destruction, retention, actions, links, config, log } =
    deps;
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
    const profile = await people.profile(oid);
    if (!profile) {
      return {
        ok: false,
        status: 403,
        error:
          'You are not in the staff directory, so the Case Records tab has nothing to show you. Ask the directory administrator to add you.',
      };
    }
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
        const viewed = await removals.view(actor.id, param(req, 'id'));
        return viewed.ok ? ok(viewed.authorisation) : refusal(viewed.refusal);
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
      api(async ({ actor }, req) => {
        const ref = param(req, 'caseRef').trim();
        if (!CASE_REF.test(ref)) {
          return fail(400, 'Type a case reference: letters and digits, such as 1234567.', {
            code: 'bad_case_ref',
          });
        }
        const day = today(clock);
        const found = await retention.status(actor.id, ref);
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
        return found.ok ? ok({ holds: found.holds } satisfies HoldsResponse) : refusal(found);
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
      '/api/tab/rms/register',
      api(async ({ actor }, req) => {
        const page = Number(queryOf(req).get('page') ?? '1');
        const result = await destruction.register(actor.id, {
          page: Number.isInteger(page) && page > 0 ? page : 1,
          pageSize: 20,
        });
        if (!result.ok) return refusal(result);
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
