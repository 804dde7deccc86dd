import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type SqlBool } from 'kysely';
import {
  HOLD_TYPE_LABELS,
  HOLD_TYPES,
  isIsoDate,
  refuse,
  requireRecordsManagement,
  subjectAccessDeadline,
  type HoldType,
  type IsoDate,
  type Refusal,
} from '../rules/index.js';
import { appendAudit } from '../store/audit.js';
import { lockingRows } from '../store/dialect.js';
import type { Database, HoldRow } from '../store/schema.js';
import { getStaff, getStaffMany } from '../store/staff.js';
import { today, type Clock } from './clock.js';

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
  /** Subject access requests: when it was received and the statutory deadlines. */
  sar: { receivedOn: IsoDate; respondBy: IsoDate; extendedRespondBy: IsoDate; extended: boolean } | null;
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

/** Holds on cases and records: litigation, claims, subject access and FOI requests, inquiries. */
export class HoldService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
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
        sar: r.sar_received_on
          ? {
              receivedOn: r.sar_received_on,
              respondBy: subjectAccessDeadline(r.sar_received_on),
              extendedRespondBy: subjectAccessDeadline(r.sar_received_on, true),
              extended: r.sar_extended === 1,
            }
          : null,
      };
    });
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

  /** Marks a subject access request's deadline as extended by two months (complex or repeated requests). */
  async extendSar(actorId: string, id: string): Promise<{ ok: true; hold: HoldView } | Refusal> {
    const denied = await this.checkPlace(actorId);
    if (denied) return denied;
    const hold = await this.read(id);
    if (!hold?.sar) return refuse('not_sar', 'Only a subject access request hold has a deadline to extend.');
    const at = this.clock.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('holds').set({ sar_extended: 1 }).where('id', '=', id).execute();
      await appendAudit(trx, {
        at,
        actorId,
        action: 'hold.sar_extended',
        entityType: 'hold',
        entityId: id,
        details: {},
      });
    });
    return { ok: true, hold: (await this.read(id))! };
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
