import { formatDate } from '../rules/index.js';
import type { DirectoryNotice } from '../directory/notices.js';

// What people are told when the staff directory changes under a request or an authorisation,
// written once.

/** The sentence for one directory notice, to the person it was queued for. */
export function toldOfDirectoryChange({ payload: p, context: c }: DirectoryNotice): string {
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
