import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { getStaff, getStaffMany } from '../store/staff.js';

// What the directory sync tells people when the staff directory changes under a request or an
// authorisation. Notices carry ids only; names are looked up when one is sent, and the sentence
// for each is written in src/sentences/directory.ts.

export const DIRECTORY_EVENTS = [
  /** To the requester: their request now goes to another manager. */
  'rerouted',
  /** To the manager it no longer goes to. */
  'rerouted_away',
  /** To the manager it now goes to (the approval card follows). */
  'rerouted_to_you',
  /** To the requester: their manager left and nobody else is named. */
  'no_manager',
  /** To Records Management: a request nobody can decide. */
  'no_manager_flag',
  /** To the approvers: the requester left, so the request was withdrawn. */
  'withdrawn_requester_left',
  /** To Records Management and the manager: records out with someone who left. */
  'requester_left_records_out',
  /** To Records Management: records out, and the manager overseeing them left. */
  'manager_left_records_out',
  /** To the manager who now oversees records out. */
  'records_out_now_yours',
  /** To Records Management: the manager who approved records out left. */
  'approver_left',
] as const;
export type DirectoryEvent = (typeof DIRECTORY_EVENTS)[number];

export interface DirectoryNoticePayload {
  event: DirectoryEvent;
  requesterId: string;
  /** The manager before (or the approver who left). */
  fromId: string | null;
  /** The manager now. */
  toId: string | null;
  /** Why the manager changed: the requester moved, or their manager left. */
  cause?: 'moved' | 'manager_left';
}

/** The request and the people a notice names, as they are when it is sent. */
export interface NoticeContext {
  caseRef: string;
  returnOn: string;
  requester: string;
  from: string | null;
  to: string | null;
}

/** A queued directory notice, ready to be put in words for its recipient. */
export interface DirectoryNotice {
  payload: DirectoryNoticePayload;
  context: NoticeContext;
}

/** The directory notices the sync queued, as the notification dispatcher sends them. */
export class DirectoryNotices {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * The notice queued for `recipientId` about authorisation `authorisationId`: the sync chose who
   * is told, and they are told while they are still staff (someone who has left since hears
   * nothing more of other people's records). Null when the request is gone or the notice is not
   * one the sync writes.
   */
  async forNotification(
    authorisationId: string | null,
    recipientId: string,
    payloadJson: string,
  ): Promise<DirectoryNotice | null> {
    const payload = parsePayload(payloadJson);
    if (!payload || !authorisationId || !(await getStaff(this.db, recipientId))) return null;
    const a = await this.db
      .selectFrom('removal_authorisations')
      .select(['case_ref', 'return_on'])
      .where('id', '=', authorisationId)
      .executeTakeFirst();
    if (!a) return null;
    const ids = [payload.requesterId, payload.fromId, payload.toId].filter((id): id is string => !!id);
    const people = await getStaffMany(this.db, ids);
    const name = (id: string | null) => (id ? (people.get(id)?.name ?? null) : null);
    return {
      payload,
      context: {
        caseRef: a.case_ref,
        returnOn: a.return_on,
        requester: name(payload.requesterId) ?? 'Someone no longer in the directory',
        from: name(payload.fromId),
        to: name(payload.toId),
      },
    };
  }
}

function parsePayload(json: string): DirectoryNoticePayload | null {
  try {
    const payload = JSON.parse(json) as Partial<DirectoryNoticePayload> | null;
    if (
      !payload ||
      typeof payload.requesterId !== 'string' ||
      !(DIRECTORY_EVENTS as readonly unknown[]).includes(payload.event)
    )
      return null;
    return payload as DirectoryNoticePayload;
  } catch {
    return null;
  }
}
