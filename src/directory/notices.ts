import type { Kysely } from 'kysely';
import { formatDate } from '../rules/index.js';
import type { Database, OutboxRow } from '../store/schema.js';
import { getStaffMany } from '../store/staff.js';

// What people are told when the staff directory changes under a request or an authorisation:
// each sentence is written here, once. Notices carry ids only; names are looked up when sent.

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

export interface NoticeContext {
  caseRef: string;
  returnOn: string;
  requester: string;
  from: string | null;
  to: string | null;
}

/** The sentence for one notice. */
export function noticeText(p: DirectoryNoticePayload, c: NoticeContext): string {
  const from = c.from ?? 'your line manager';
  const to = c.to ?? 'nobody';
  const due = formatDate(c.returnOn);
  const left = p.cause === 'manager_left';
  switch (p.event) {
    case 'rerouted':
      return left
        ? `${from} is no longer in the staff directory, so your request for case ${c.caseRef} now goes to ${to}.`
        : `Your line manager is now ${to}, so your request for case ${c.caseRef} now waits for ${to}'s decision instead of ${from}'s.`;
    case 'rerouted_away':
      return `${c.requester} no longer reports to you, so their request for case ${c.caseRef} now goes to ${to}. Nothing more is needed from you.`;
    case 'rerouted_to_you':
      return left
        ? `${from} is no longer in the staff directory. ${c.requester}'s request for case ${c.caseRef} was waiting for them and now comes to you to decide.`
        : `${c.requester} now reports to you. Their request for case ${c.caseRef}, which was waiting for ${from}, is now yours to decide.`;
    case 'no_manager':
      return `${from} is no longer in the staff directory and it names no other line manager for you, so nobody can decide your request for case ${c.caseRef} yet. Ask for your manager to be set in Microsoft Entra ID.`;
    case 'no_manager_flag':
      return `${c.requester}'s request for case ${c.caseRef} has nobody to decide it: their line manager ${from} is no longer in the staff directory, and it names no other.`;
    case 'withdrawn_requester_left':
      return `${c.requester} is no longer in the staff directory, so their request for case ${c.caseRef} was withdrawn. Nothing more is needed from you.`;
    case 'requester_left_records_out':
      return `${c.requester} is no longer in the staff directory, but the records for case ${c.caseRef} are still out of the office on their authorisation (due back ${due}). Please make sure they come back.`;
    case 'manager_left_records_out':
      return `${from}, ${c.requester}'s line manager, is no longer in the staff directory, while the records for case ${c.caseRef} are out of the office on ${c.requester}'s authorisation (due back ${due}). ${c.to ? `${c.to} now oversees it.` : 'Nobody in the directory oversees it now.'}`;
    case 'records_out_now_yours':
      return left
        ? `${from} is no longer in the staff directory, so you now oversee ${c.requester}'s authorisation for case ${c.caseRef}: the records are out of the office until ${due}. You can cancel it or confirm their return.`
        : `${c.requester} now reports to you and has the records for case ${c.caseRef} out of the office until ${due}, on an authorisation ${from} oversaw. You can cancel it or confirm their return.`;
    case 'approver_left':
      return `${from}, who approved ${c.requester}'s authorisation for case ${c.caseRef} (records due back ${due}), is no longer in the staff directory.`;
  }
}

/** The message for a queued directory notice, or null when the request it is about is gone. */
export async function renderNotice(db: Kysely<Database>, row: OutboxRow): Promise<string | null> {
  const payload = JSON.parse(row.payload) as DirectoryNoticePayload;
  const a = row.authorisation_id
    ? await db
        .selectFrom('removal_authorisations')
        .select(['case_ref', 'return_on'])
        .where('id', '=', row.authorisation_id)
        .executeTakeFirst()
    : undefined;
  if (!a || !(DIRECTORY_EVENTS as readonly string[]).includes(payload.event)) return null;
  const ids = [payload.requesterId, payload.fromId, payload.toId].filter((id): id is string => !!id);
  const people = await getStaffMany(db, ids);
  const name = (id: string | null) => (id ? (people.get(id)?.name ?? null) : null);
  return noticeText(payload, {
    caseRef: a.case_ref,
    returnOn: a.return_on,
    requester: name(payload.requesterId) ?? 'Someone no longer in the directory',
    from: name(payload.fromId),
    to: name(payload.toId),
  });
}
