import type { Generated, Insertable, Selectable } from 'kysely';

// Row types, as the database holds them. Dates are `YYYY-MM-DD` text, instants ISO-8601 text,
// flags 0/1, lists JSON text: the same on SQLite and PostgreSQL.

export interface StaffTable {
  aad_object_id: string;
  display_name: string;
  email: string;
  /** `;`-separated roles. */
  roles: string;
  line_manager_id: string | null;
  updated_at: string;
  /** The date (Europe/London) the person left: disabled, removed or out of scope in Entra ID. Null while they are staff. */
  left_on: string | null;
}

/**
 * What the directory sync knows of each Microsoft Entra ID user between syncs, to apply the
 * delta query's changes: no names or addresses, only what routing needs.
 */
export interface DirectoryUserTable {
  id: string;
  /** The user's manager in Entra ID, kept when the manager leaves (to route to the manager's manager). */
  manager_id: string | null;
  account_enabled: number;
  /** 0 for guests (`userType` Guest). */
  member: number;
  /** When the user was deleted in Entra ID (or missing from a full read); null while present. */
  removed_at: string | null;
  updated_at: string;
}

export interface ActingManagerTable {
  id: string;
  manager_id: string;
  acting_manager_id: string;
  starts_on: string;
  ends_on: string;
  created_at: string;
  revoked_at: string | null;
}

export interface CaseTable {
  case_ref: string;
  date_of_birth: string | null;
  date_of_death: string | null;
  closed_on: string | null;
  adoption_order_on: string | null;
  approval_ended_on: string | null;
  last_contact_on: string | null;
  updated_at: string;
}

export interface RecordTable {
  record_id: string;
  case_ref: string;
  record_class: string;
  title: string;
  format: string;
  location: string;
  /** When retention ends, computed from the schedule and the case's dates; null if unknown or permanent. */
  retention_ends_on: string | null;
  retention_rule: string | null;
  /** Comma-separated date fields needed but missing; null when none. */
  retention_missing: string | null;
  retention_permanent: number;
  schedule_version: string;
  destroyed_on: string | null;
  updated_at: string;
  /** The class of the record of the same child it is kept with, when that gives the longer period. */
  retention_kept_with: string | null;
  /** `destroy`, `review` or `permanent-preservation`, with any class it is kept with; null if unknown. */
  retention_action: string | null;
  /** The latest review decision (`destroy`, `keep`, `transfer`, `permanent`) and its id. */
  disposition: string | null;
  disposition_id: string | null;
  /** A keep decision's next review date. */
  review_on: string | null;
  /** The day the record was transferred to the archives. */
  transferred_on: string | null;
}

/** Review decisions, one row per record, never updated or deleted. */
export interface DispositionDecisionTable {
  id: string;
  /** Shared by the records of one decision made for a group. */
  group_id: string;
  record_id: string;
  case_ref: string;
  record_class: string;
  decision: string;
  reason: string;
  keep_years: number | null;
  review_on: string | null;
  accession_ref: string | null;
  archive: string | null;
  retention_ended_on: string | null;
  schedule_version: string;
  rule_id: string | null;
  kept_with: string | null;
  decided_by: string;
  /** The name and role at the time of the decision. */
  decided_by_name: string;
  decided_by_role: string;
  decided_on: string;
  decided_at: string;
}

/** Holds on whole classes of records (a public inquiry's moratorium, an FOI request). */
export interface BlanketHoldTable {
  id: string;
  type: string;
  name: string;
  reference: string;
  reason: string;
  starts_on: string;
  /** The last day in force; null while open-ended. */
  ends_on: string | null;
  /** JSON array of class ids; null for every class. */
  classes: string | null;
  placed_by: string;
  placed_at: string;
  released_by: string | null;
  released_at: string | null;
  release_reason: string | null;
}

export interface AuthorisationTable {
  id: string;
  case_ref: string;
  requester_id: string;
  /** JSON array of record ids; empty means the whole case file. */
  record_ids: string;
  purpose: string;
  destination: string;
  out_on: string;
  return_on: string;
  justification: string;
  status: string;
  version: number;
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface AuthorisationHistoryTable {
  authorisation_id: string;
  version: number;
  from_status: string | null;
  to_status: string;
  actor_id: string;
  reason: string | null;
  at: string;
}

export interface HoldTable {
  id: string;
  case_ref: string;
  /** Null when the hold covers the whole case. */
  record_id: string | null;
  type: string;
  reference: string;
  reason: string;
  sar_received_on: string | null;
  sar_extended: number;
  /** The day the requester was told of the extension, and why. */
  sar_extension_told_on: string | null;
  sar_extension_reason: string | null;
  /** JSON array of { from, to, reason }: the clock stopped for identity or clarification. */
  sar_pauses: string;
  placed_by: string;
  placed_at: string;
  released_by: string | null;
  released_at: string | null;
  release_reason: string | null;
}

export interface DestructionRegisterTable {
  id: string;
  batch_id: string;
  record_id: string;
  record_class: string;
  case_ref: string;
  format: string;
  earliest_date: string | null;
  latest_date: string | null;
  schedule_version: string;
  rule_id: string | null;
  period: string;
  trigger_field: string | null;
  trigger_date: string | null;
  retention_ended_on: string | null;
  /** JSON array of { id, passed, detail, checkedAt }. */
  checks: string;
  authorised_by: string;
  authorised_at: string;
  destroyed_by: string;
  destroyed_on: string;
  method: string;
  certificate_ref: string | null;
  quantity: number;
  created_at: string;
  /** Names and roles at the time (null in entries written before they were kept). */
  authorised_by_name: string | null;
  authorised_by_role: string | null;
  destroyed_by_name: string | null;
  destroyed_by_role: string | null;
  /** JSON array: each hold type's checks, with who checked the outside log and when. */
  hold_checks: string | null;
  /** JSON: the review decision that allowed destruction, when the class is reviewed. */
  review_decision: string | null;
  /** The class of the record it was kept with, when that gave the period. */
  kept_with: string | null;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor_id: string;
  action: string;
  entity_type: string;
  entity_id: string;
  /** JSON object. */
  details: string;
  prev_hash: string;
  /**
   * Which audit key the entry's hash was made with (a short id derived from the key, not the key);
   * null for entries from before the chain was keyed, hashed with plain SHA-256.
   */
  key_id: string | null;
  /** JSON: the digests of the rows the change created or changed, by table and key; or null. */
  row_digests: string | null;
  /** HMAC-SHA256 with the audit key (plain SHA-256 before the chain was keyed). */
  hash: string;
}

export interface ConversationReferenceTable {
  aad_object_id: string;
  /** JSON of botbuilder's ConversationReference. */
  reference: string;
  /** The person's Teams id for this bot (`29:…`), for card refresh lists. */
  user_mri: string | null;
  /** Set when Teams said the bot can no longer write there (uninstalled or blocked). */
  stale_at: string | null;
  updated_at: string;
}

export interface OutboxTable {
  id: string;
  /** One notification per key, ever: reminders are sent once even across instances. */
  dedupe_key: string;
  recipient_id: string;
  kind: string;
  authorisation_id: string | null;
  /** JSON. */
  payload: string;
  due_at: string;
  created_at: string;
  /** A sender holds the row until then; after it, another sender may take it over. */
  claimed_until: string | null;
  attempts: number;
  sent_at: string | null;
  failed_at: string | null;
  last_error: string | null;
}

export interface CardMessageTable {
  authorisation_id: string;
  recipient_id: string;
  conversation_id: string;
  activity_id: string;
  created_at: string;
}

export interface BatchCardMessageTable {
  batch_id: string;
  recipient_id: string;
  conversation_id: string;
  activity_id: string;
  created_at: string;
}

/** One case lookup a person made (a retention status, a removal form for a case), for the rate limit. */
export interface CaseLookupTable {
  id: string;
  /** The person's Entra object id. Which case they looked up is not kept. */
  actor_id: string;
  at: string;
}

export interface ProcessedActivityTable {
  /** Channel, conversation and activity id. */
  activity_key: string;
  response: string | null;
  created_at: string;
}

export interface SettingTable {
  key: string;
  value: string;
}

export interface DestructionBatchTable {
  id: string;
  /** Human reference, also the certificate number: DB-2026-0001. */
  reference: string;
  /** `awaiting_confirmation`, `confirmed` or `cancelled`. */
  status: string;
  version: number;
  /** JSON: how the records were chosen (ids, or class and due-by filters). */
  filter: string;
  created_by: string;
  created_at: string;
  method: string | null;
  certificate_ref: string | null;
  confirmed_by: string | null;
  confirmed_at: string | null;
  cancelled_by: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  updated_at: string;
  created_by_name: string | null;
  created_by_role: string | null;
  confirmed_by_name: string | null;
  confirmed_by_role: string | null;
  /** JSON: the outside logs the confirming officer ticked, with who and when. */
  log_checks: string | null;
}

export interface DestructionBatchItemTable {
  batch_id: string;
  record_id: string;
  /** 0/1: whether every check passed when the batch was reviewed. */
  eligible: number;
  /** JSON array of the checks at review. */
  checks: string;
  /** `destroyed` or `blocked` once confirmed; null before. */
  outcome: string | null;
}

/**
 * Rows of the append-only tables a purge is removing, named by the audit entry that records it
 * (`seq`): written and cleared inside the purge's own transaction (see purge-guard.ts).
 */
export interface PurgeAuthorisationTable {
  table_name: string;
  row_key: string;
  seq: number;
}

/**
 * Records due for destruction by class and the month their retention ended, kept by triggers on
 * `records` (store/due-counts.ts); never written by the application.
 */
export interface DueCountTable {
  record_class: string;
  /** YYYY-MM. */
  month: string;
  n: number | string;
}

export interface Database {
  staff: StaffTable;
  directory_users: DirectoryUserTable;
  acting_managers: ActingManagerTable;
  cases: CaseTable;
  records: RecordTable;
  removal_authorisations: AuthorisationTable;
  authorisation_history: AuthorisationHistoryTable;
  holds: HoldTable;
  destruction_register: DestructionRegisterTable;
  audit_log: AuditLogTable;
  conversation_references: ConversationReferenceTable;
  settings: SettingTable;
  outbox: OutboxTable;
  card_messages: CardMessageTable;
  batch_card_messages: BatchCardMessageTable;
  processed_activities: ProcessedActivityTable;
  case_lookups: CaseLookupTable;
  destruction_batches: DestructionBatchTable;
  destruction_batch_items: DestructionBatchItemTable;
  disposition_decisions: DispositionDecisionTable;
  blanket_holds: BlanketHoldTable;
  due_counts: DueCountTable;
  purge_authorisations: PurgeAuthorisationTable;
}

export type StaffRow = Selectable<StaffTable>;
export type CaseRow = Selectable<CaseTable>;
export type RecordRow = Selectable<RecordTable>;
export type NewRecordRow = Insertable<RecordTable>;
export type HoldRow = Selectable<HoldTable>;
export type BlanketHoldRow = Selectable<BlanketHoldTable>;
export type DispositionDecisionRow = Selectable<DispositionDecisionTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type AuthorisationRow = Selectable<AuthorisationTable>;
export type OutboxRow = Selectable<OutboxTable>;
// Kept for tables that may later use database-generated keys.
export type { Generated };
