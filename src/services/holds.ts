import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type SqlBool } from 'kysely';
import {
  checkBlanketHold,
  checkSarExtension,
  classTitle,
  HOLD_TYPE_LABELS,
  HOLD_TYPES,
  isIsoDate,
  MAX_REASON_LENGTH,
  refuse,
  requireRecordsManagement,
  subjectAccessDeadlines,
  type BlanketHoldInput,
  type BlanketHoldType,
  type HoldType,
  type IsoDate,
  type Refusal,
  type SarPause,
  type Schedule,
  type WorkingDayCalendar,
  defaultSchedule,
} from '../rules/index.js';
import { appendAudit } from '../store/audit.js';
import { lockBlanketHoldsExclusive } from '../store/blanket-holds.js';
import { lockingRows } from '../store/dialect.js';
import type { BlanketHoldRow, Database, HoldRow } from '../store/schema.js';
import { getStaff, getStaffMany } from '../store/staff.js';
import { today, type Clock } from './clock.js';
import { ENGLAND_AND_WALES } from './working-days.js';

export interface HoldView {
  id: string;
  caseRef: string;
  /** Null when the hold covers the whole case. */
  recordId: string | null;
  type: HoldType;
  typeLabel: string;
  reference: string;
  reason: string;
  placedBy: string;
  placedAt: string;
  active: boolean;
  releasedBy: string | null;
  releasedAt: string | null;
  releaseReason: string | null;
  /**
   * Subject access requests: when it was received and the deadlines as the ICO counts them (next
   * working day after a weekend or bank holiday; the clock stopped while identity or
   * clarification was awaited), and any extension with the day the requester was told.
   */
  sar: {
    receivedOn: IsoDate;
    respondBy: IsoDate;
    extendedRespondBy: IsoDate;
    extended: boolean;
    clockStartsOn: IsoDate;
    pausedSince: IsoDate | null;
    pauses: StoredPause[];
    extension: { toldOn: IsoDate; reason: string } | null;
  } | null;
}

/** A stop of a subject access request's clock, as stored. */
export interface StoredPause extends SarPause {
  reason: string;
}

export interface BlanketHoldView {
  id: string;
  type: BlanketHoldType;
  typeLabel: string;
  name: string;
  reference: string;
  reason: string;
  startsOn: IsoDate;
  endsOn: IsoDate | null;
  /** The classes covered; null for every class. */
  classes: string[] | null;
  /** Those classes as people name them. */
  classTitles: string[] | null;
  /** In force today: not released, started, and not past its last day. */
  inForce: boolean;
  placedBy: string;
  placedAt: string;
  releasedBy: string | null;
  releasedAt: string | null;
  releaseReason: string | null;
}

export interface PlaceHoldInput {
  caseRef: string;
  recordId?: string | null;
  type: string;
  reference: string;
  reason: string;
  sarReceivedOn?: string | null;
}

export interface HoldFilter {
  caseRef?: string;
  recordId?: string;
  type?: HoldType;
  /** true: only holds in force; false: only released ones; undefined: both. */
  active?: boolean;
  /** Matches the reference or the reason. */
  search?: string;
  limit?: number;
}

const MAX_TEXT = 1000;

/**
 * `column` contains `text`, ignoring case, with `%`, `_` and `\` taken literally. The same on
 * SQLite (whose LIKE ignores case) and PostgreSQL (whose LIKE does not, and escapes with `\`).
 */
function containsText(column: 'reference' | 'reason', text: string) {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

const ASK_THEM = 'Ask them if a record needs to be kept.';

/**
 * Holds on cases and records (litigation, claims, subject access and FOI requests, inquiries),
 * and blanket holds on whole classes of records (a public inquiry's moratorium).
 */
export class HoldService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly calendar: WorkingDayCalendar = ENGLAND_AND_WALES,
    private readonly schedule: Schedule = defaultSchedule,
  ) {}

  /** Holds are the Records Management Service's: null when `actorId` may `doing`, else why not. */
  private async refusalFor(actorId: string, doing: string): Promise<Refusal | null> {
    return requireRecordsManagement(await getStaff(this.db, actorId), doing, ASK_THEM);
  }

  private async views(rows: HoldRow[]): Promise<HoldView[]> {
    const people = await getStaffMany(
      this.db,
      rows.flatMap((r) => [r.placed_by, r.released_by ?? '']).filter(Boolean),
    );
    const name = (id: string | null) => (id ? (people.get(id)?.name ?? id) : null);
    return rows.map((r) => {
      const type = r.type as HoldType;
      return {
        id: r.id,
        caseRef: r.case_ref,
        recordId: r.record_id,
        type,
        typeLabel: HOLD_TYPE_LABELS[type] ?? r.type,
        reference: r.reference,
        reason: r.reason,
        placedBy: name(r.placed_by)!,
        placedAt: r.placed_at,
        active: r.released_at === null,
        releasedBy: name(r.released_by),
        releasedAt: r.released_at,
        releaseReason: r.release_reason,
        sar: r.sar_received_on ? this.sarView(r, r.sar_received_on) : null,
      };
    });
  }

  private sarView(r: HoldRow, receivedOn: IsoDate): NonNullable<HoldView['sar']> {
    const pauses = JSON.parse(r.sar_pauses) as StoredPause[];
    const deadlines = subjectAccessDeadlines({ receivedOn, pauses }, this.calendar, today(this.clock));
    return {
      receivedOn,
      respondBy: deadlines.respondBy,
      extendedRespondBy: deadlines.extendedRespondBy,
      extended: Number(r.sar_extended) === 1,
      clockStartsOn: deadlines.clockStartsOn,
      pausedSince: deadlines.pausedSince,
      pauses,
      extension:
        r.sar_extension_told_on && r.sar_extension_reason
          ? { toldOn: r.sar_extension_told_on, reason: r.sar_extension_reason }
          : null,
    };
  }

  private async read(id: string): Promise<HoldView | null> {
    const row = await this.db.selectFrom('holds').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? ((await this.views([row]))[0] ?? null) : null;
  }

  /** Null when `actorId` may place and release holds; otherwise why not (before showing the form). */
  async checkPlace(actorId: string): Promise<Refusal | null> {
    return this.refusalFor(actorId, 'place or release holds');
  }

  /** One hold, for a Records Management officer. */
  async get(actorId: string, id: string): Promise<{ ok: true; hold: HoldView } | Refusal> {
    const denied = await this.refusalFor(actorId, 'see holds');
    if (denied) return denied;
    const hold = await this.read(id);
    return hold ? { ok: true, hold } : refuse('not_found', 'That hold does not exist.');
  }

  /** Places a hold; the case (and record, if named) must be in the inventory. */
  async place(actorId: string, input: PlaceHoldInput): Promise<{ ok: true; hold: HoldView } | Refusal> {
    const denied = await this.checkPlace(actorId);
    if (denied) return denied;
    const caseRef = input.caseRef.trim();
    const recordId = input.recordId?.trim() || null;
    const reference = input.reference.trim();
    const reason = input.reason.trim();
    if (!(HOLD_TYPES as readonly string[]).includes(input.type)) {
      return refuse(
        'bad_type',
        `Choose a hold type: ${HOLD_TYPES.map((t) => HOLD_TYPE_LABELS[t]).join(', ')}.`,
      );
    }
    const type = input.type as HoldType;
    if (!caseRef && !recordId) return refuse('case_missing', 'Which case or record should be held?');
    let targetCase = caseRef;
    if (recordId) {
      const record = await this.db
        .selectFrom('records')
        .select(['case_ref'])
        .where('record_id', '=', recordId)
        .executeTakeFirst();
      if (!record) return refuse('record_unknown', `Record ${recordId} is not in the inventory.`);
      if (caseRef && record.case_ref !== caseRef) {
        return refuse(
          'record_not_in_case',
          `Record ${recordId} belongs to case ${record.case_ref}, not ${caseRef}.`,
        );
      }
      targetCase = record.case_ref;
    } else {
      const kase = await this.db
        .selectFrom('cases')
        .select('case_ref')
        .where('case_ref', '=', caseRef)
        .executeTakeFirst();
      if (!kase) return refuse('case_unknown', `Case ${caseRef} is not in the inventory.`);
    }
    if (!reference)
      return refuse(
        'reference_missing',
        'Give the hold a reference (the claim, request or inquiry reference).',
      );
    if (!reason) return refuse('reason_missing', 'Say why the records must be kept: the reason is recorded.');
    if (reference.length > 100 || reason.length > MAX_TEXT) {
      return refuse('too_long', `Keep the reference to 100 characters and the reason to ${MAX_TEXT}.`);
    }
    let sarReceivedOn: IsoDate | null = null;
    if (type === 'subject_access_request') {
      if (!input.sarReceivedOn || !isIsoDate(input.sarReceivedOn)) {
        return refuse(
          'sar_date_missing',
          'When was the subject access request received? The response deadline counts from it.',
        );
      }
      if (input.sarReceivedOn > today(this.clock))
        return refuse('sar_date_future', 'The date the request was received is in the future.');
      sarReceivedOn = input.sarReceivedOn;
    }
    const id = randomUUID();
    const at = this.clock.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      // Wait for any destruction confirming these records, and make one that starts later see
      // this hold: confirmation locks the same rows, in the same order.
      await lockingRows(
        trx,
        trx.selectFrom('records').select('record_id').where('case_ref', '=', targetCase).orderBy('record_id'),
      ).execute();
      await trx
        .insertInto('holds')
        .values({
          id,
          case_ref: targetCase,
          record_id: recordId,
          type,
          reference,
          reason,
          sar_received_on: sarReceivedOn,
          sar_extended: 0,
          sar_extension_told_on: null,
          sar_extension_reason: null,
          sar_pauses: '[]',
          placed_by: actorId,
          placed_at: at,
          released_by: null,
          released_at: null,
          release_reason: null,
        })
        .execute();
      await appendAudit(trx, {
        at,
        actorId,
        action: 'hold.placed',
        entityType: 'hold',
        entityId: id,
        details: { caseRef: targetCase, recordId, type, reference, reason, sarReceivedOn },
        covers: [{ table: 'holds', key: [id] }],
      });
    });
    return { ok: true, hold: (await this.read(id))! };
  }

  /** Releases a hold in force; a reason is required. */
  async release(
    actorId: string,
    id: string,
    reason: string,
  ): Promise<{ ok: true; hold: HoldView } | Refusal> {
    const denied = await this.checkPlace(actorId);
    if (denied) return denied;
    const why = reason.trim();
    if (!why) return refuse('reason_missing', 'Say why the hold is released: the reason is recorded.');
    if (why.length > MAX_TEXT) return refuse('too_long', `Keep the reason to ${MAX_TEXT} characters.`);
    const at = this.clock.now().toISOString();
    const released = await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('holds')
        .set({ released_by: actorId, released_at: at, release_reason: why })
        .where('id', '=', id)
        .where('released_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await appendAudit(trx, {
        at,
        actorId,
        action: 'hold.released',
        entityType: 'hold',
        entityId: id,
        details: { reason: why },
        covers: [{ table: 'holds', key: [id] }],
      });
      return true;
    });
    const hold = await this.read(id);
    if (!hold) return refuse('not_found', 'That hold does not exist.');
    if (!released)
      return refuse(
        'already_released',
        `This hold was already released${hold.releasedBy ? ` by ${hold.releasedBy}` : ''}.`,
      );
    return { ok: true, hold };
  }

  /**
   * Extends a subject access request's deadline by two months (complex or repeated requests).
   * The requester must have been told, with the reason, within the first month.
   */
  async extendSar(
    actorId: string,
    id: string,
    input?: { toldOn: string; reason: string },
  ): Promise<{ ok: true; hold: HoldView } | Refusal> {
    const denied = await this.checkPlace(actorId);
    if (denied) return denied;
    const row = await this.db.selectFrom('holds').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row?.sar_received_on || row.released_at) {
      return refuse('not_sar', 'Only a subject access request hold in force has a deadline to extend.');
    }
    if (!input) {
      return refuse(
        'told_on_missing',
        'On what date was the requester told about the extension, and why is it needed? Both are recorded.',
      );
    }
    const checked = checkSarExtension(
      {
        receivedOn: row.sar_received_on,
        pauses: JSON.parse(row.sar_pauses) as StoredPause[],
        extended: Number(row.sar_extended) === 1,
      },
      input,
      this.calendar,
      today(this.clock),
    );
    if (!checked.ok) return checked;
    const at = this.clock.now().toISOString();
    const changed = await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('holds')
        .set({ sar_extended: 1, sar_extension_told_on: checked.toldOn, sar_extension_reason: checked.reason })
        .where('id', '=', id)
        .where('sar_extended', '=', 0)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await appendAudit(trx, {
        at,
        actorId,
        action: 'hold.sar_extended',
        entityType: 'hold',
        entityId: id,
        details: { toldOn: checked.toldOn, reason: checked.reason },
        covers: [{ table: 'holds', key: [id] }],
      });
      return true;
    });
    if (!changed) return refuse('already_extended', 'This request’s deadline is already extended.');
    return { ok: true, hold: (await this.read(id))! };
  }

  /** Stops a subject access request's clock from `from` while identity or clarification is awaited. */
  async pauseSar(
    actorId: string,
    id: string,
    input: { from: string; reason: string },
  ): Promise<{ ok: true; hold: HoldView } | Refusal> {
    return this.changePauses(actorId, id, 'hold.sar_paused', (pauses, row) => {
      const reason = input.reason.trim();
      if (!reason) {
        return refuse(
          'reason_missing',
          'Say what is awaited (proof of identity, or what the request covers).',
        );
      }
      if (reason.length > MAX_REASON_LENGTH)
        return refuse('too_long', `Keep the reason to ${MAX_REASON_LENGTH}.`);
      if (!isIsoDate(input.from))
        return refuse('bad_date', 'From what date is the clock stopped (YYYY-MM-DD)?');
      if (input.from > today(this.clock))
        return refuse('date_future', 'The clock cannot be stopped from a future date.');
      if (input.from < row.sar_received_on!) {
        return refuse('date_early', 'The clock cannot be stopped before the request was received.');
      }
      if (pauses.some((p) => p.to === null)) return refuse('already_paused', 'The clock is already stopped.');
      if (pauses.some((p) => p.to !== null && input.from < p.to)) {
        return refuse('overlaps', 'The clock was already stopped then.');
      }
      return [...pauses, { from: input.from, to: null, reason }];
    });
  }

  /** Restarts a subject access request's clock on the day the identity or clarification arrived. */
  async resumeSar(
    actorId: string,
    id: string,
    input: { on: string },
  ): Promise<{ ok: true; hold: HoldView } | Refusal> {
    return this.changePauses(actorId, id, 'hold.sar_resumed', (pauses) => {
      const open = pauses.find((p) => p.to === null);
      if (!open) return refuse('not_paused', 'The clock is running: it was not stopped.');
      if (!isIsoDate(input.on)) return refuse('bad_date', 'On what date did it arrive (YYYY-MM-DD)?');
      if (input.on > today(this.clock)) return refuse('date_future', 'That date is in the future.');
      if (input.on < open.from) return refuse('date_early', 'That is before the clock was stopped.');
      return pauses.map((p) => (p === open ? { ...p, to: input.on } : p));
    });
  }

  private async changePauses(
    actorId: string,
    id: string,
    action: string,
    change: (pauses: StoredPause[], row: HoldRow) => StoredPause[] | Refusal,
  ): Promise<{ ok: true; hold: HoldView } | Refusal> {
    const denied = await this.checkPlace(actorId);
    if (denied) return denied;
    const at = this.clock.now().toISOString();
    const result = await this.db.transaction().execute(async (trx): Promise<true | Refusal> => {
      const row = await lockingRows(
        trx,
        trx.selectFrom('holds').selectAll().where('id', '=', id),
      ).executeTakeFirst();
      if (!row?.sar_received_on || row.released_at) {
        return refuse('not_sar', 'Only a subject access request hold in force has a clock.');
      }
      const before = JSON.parse(row.sar_pauses) as StoredPause[];
      const after = change(before, row);
      if (!Array.isArray(after)) return after;
      await trx
        .updateTable('holds')
        .set({ sar_pauses: JSON.stringify(after) })
        .where('id', '=', id)
        .execute();
      await appendAudit(trx, {
        at,
        actorId,
        action,
        entityType: 'hold',
        entityId: id,
        details: { pauses: after },
        covers: [{ table: 'holds', key: [id] }],
      });
      return true;
    });
    if (result !== true) return result;
    return { ok: true, hold: (await this.read(id))! };
  }

  // -------------------------------------------------------------------------------------------
  // Blanket holds: whole classes of records, for a public inquiry or an FOI request.

  private blanketView(row: BlanketHoldRow, people: Map<string, { name: string }>): BlanketHoldView {
    const day = today(this.clock);
    const name = (id: string | null) => (id ? (people.get(id)?.name ?? id) : null);
    const type = row.type as BlanketHoldType;
    const classes = row.classes === null ? null : (JSON.parse(row.classes) as string[]);
    return {
      id: row.id,
      type,
      typeLabel: HOLD_TYPE_LABELS[type] ?? row.type,
      name: row.name,
      reference: row.reference,
      reason: row.reason,
      startsOn: row.starts_on,
      endsOn: row.ends_on,
      classes,
      classTitles: classes?.map((c) => classTitle(this.schedule, c)) ?? null,
      inForce:
        row.released_at === null && row.starts_on <= day && (row.ends_on === null || row.ends_on >= day),
      placedBy: name(row.placed_by)!,
      placedAt: row.placed_at,
      releasedBy: name(row.released_by),
      releasedAt: row.released_at,
      releaseReason: row.release_reason,
    };
  }

  private async blanketViews(rows: BlanketHoldRow[]): Promise<BlanketHoldView[]> {
    const people = await getStaffMany(
      this.db,
      rows.flatMap((r) => [r.placed_by, r.released_by ?? '']).filter(Boolean),
    );
    return rows.map((r) => this.blanketView(r, people));
  }

  async getBlanket(actorId: string, id: string): Promise<{ ok: true; hold: BlanketHoldView } | Refusal> {
    const denied = await this.refusalFor(actorId, 'see holds on whole classes of records');
    if (denied) return denied;
    const row = await this.db.selectFrom('blanket_holds').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return refuse('not_found', 'That hold does not exist.');
    return { ok: true, hold: (await this.blanketViews([row]))[0]! };
  }

  /**
   * Places a hold on whole classes of records (or every class): from `startsOn` to `endsOn`
   * (its last day), or with no end. A confirmation under way finishes first; one that starts
   * later sees the hold.
   */
  async placeBlanket(
    actorId: string,
    input: BlanketHoldInput,
  ): Promise<{ ok: true; hold: BlanketHoldView } | Refusal> {
    const denied = await this.refusalFor(actorId, 'place holds on whole classes of records');
    if (denied) return denied;
    const checked = checkBlanketHold(input, new Set(this.schedule.classes.map((c) => c.id)));
    if (!checked.ok) return checked;
    const h = checked.hold;
    const id = randomUUID();
    const at = this.clock.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await lockBlanketHoldsExclusive(trx);
      await trx
        .insertInto('blanket_holds')
        .values({
          id,
          type: h.type,
          name: h.name,
          reference: h.reference,
          reason: h.reason,
          starts_on: h.startsOn,
          ends_on: h.endsOn,
          classes: h.classes === null ? null : JSON.stringify(h.classes),
          placed_by: actorId,
          placed_at: at,
          released_by: null,
          released_at: null,
          release_reason: null,
        })
        .execute();
      await appendAudit(trx, {
        at,
        actorId,
        action: 'hold.blanket_placed',
        entityType: 'blanket_hold',
        entityId: id,
        details: { ...h },
        covers: [{ table: 'blanket_holds', key: [id] }],
      });
    });
    return this.getBlanket(actorId, id);
  }

  /** Releases a blanket hold (it stops blocking destruction at once); a reason is required. */
  async releaseBlanket(
    actorId: string,
    id: string,
    reason: string,
  ): Promise<{ ok: true; hold: BlanketHoldView } | Refusal> {
    const denied = await this.refusalFor(actorId, 'release holds on whole classes of records');
    if (denied) return denied;
    const why = reason.trim();
    if (!why) return refuse('reason_missing', 'Say why the hold is released: the reason is recorded.');
    if (why.length > MAX_TEXT) return refuse('too_long', `Keep the reason to ${MAX_TEXT} characters.`);
    const at = this.clock.now().toISOString();
    const released = await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('blanket_holds')
        .set({ released_by: actorId, released_at: at, release_reason: why })
        .where('id', '=', id)
        .where('released_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await appendAudit(trx, {
        at,
        actorId,
        action: 'hold.blanket_released',
        entityType: 'blanket_hold',
        entityId: id,
        details: { reason: why },
        covers: [{ table: 'blanket_holds', key: [id] }],
      });
      return true;
    });
    const found = await this.getBlanket(actorId, id);
    if (!found.ok) return found;
    if (!released) return refuse('already_released', 'This hold was already released.');
    return found;
  }

  /** Blanket holds, newest first: those in force, released or ended, or all. */
  async listBlanket(
    actorId: string,
    filter: { inForce?: boolean } = {},
  ): Promise<{ ok: true; holds: BlanketHoldView[] } | Refusal> {
    const denied = await this.refusalFor(actorId, 'see holds on whole classes of records');
    if (denied) return denied;
    const rows = await this.db
      .selectFrom('blanket_holds')
      .selectAll()
      .orderBy('placed_at', 'desc')
      .orderBy('starts_on', 'desc')
      .orderBy('reference')
      .execute();
    const views = await this.blanketViews(rows);
    return {
      ok: true,
      holds: filter.inForce === undefined ? views : views.filter((v) => v.inForce === filter.inForce),
    };
  }

  /**
   * Holds matching the filter, newest first, with who placed and released them and why: for a
   * Records Management officer. (A case's retention status tells anyone that a record is held.)
   */
  async list(actorId: string, filter: HoldFilter = {}): Promise<{ ok: true; holds: HoldView[] } | Refusal> {
    const denied = await this.refusalFor(actorId, 'see the holds list');
    if (denied) return denied;
    let query = this.db.selectFrom('holds').selectAll();
    if (filter.caseRef) query = query.where('case_ref', '=', filter.caseRef);
    if (filter.recordId) {
      // A record is held by holds on it and by holds on its whole case.
      const record = await this.db
        .selectFrom('records')
        .select('case_ref')
        .where('record_id', '=', filter.recordId)
        .executeTakeFirst();
      if (!record) return { ok: true, holds: [] };
      query = query
        .where('case_ref', '=', record.case_ref)
        .where((eb) => eb.or([eb('record_id', '=', filter.recordId!), eb('record_id', 'is', null)]));
    }
    if (filter.type) query = query.where('type', '=', filter.type);
    if (filter.active === true) query = query.where('released_at', 'is', null);
    if (filter.active === false) query = query.where('released_at', 'is not', null);
    if (filter.search) {
      const text = filter.search;
      query = query.where((eb) => eb.or([containsText('reference', text), containsText('reason', text)]));
    }
    const rows = await query
      .orderBy('placed_at', 'desc')
      .limit(filter.limit ?? 50)
      .execute();
    return { ok: true, holds: await this.views(rows) };
  }
}
