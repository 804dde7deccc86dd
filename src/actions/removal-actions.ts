import { z } from 'zod';
import { id, integer, line, optionalDate, readInput, reason, text, toggle } from './inputs.js';
import type { ActionKind, AuthorisationAction } from '../rules/index.js';
import type { RemovalRequestInput, RemovalService } from '../services/removal.js';
import { DONE, REQUEST_SENT } from '../sentences/removal.js';
import { refused, unreadable, type ActionResult, type RemovalActionResult } from './results.js';

// The removal authorisation's card actions: send the form, act on a request, show it again.

export interface RemovalActionDeps {
  removals: RemovalService;
  /** Sends the notifications a change queued. */
  notify: () => void;
}

/** Card data carries an id, the version the person saw and typed inputs: nothing else is trusted. */
const actionData = z.object({
  authorisationId: id(),
  version: integer(0, 1_000_000),
  reason: reason(5000),
  /** A recall: the earlier date to have the records back by ('' keeps the agreed date). */
  returnBy: optionalDate,
});
const showData = actionData.pick({ authorisationId: true });
const MISSING = 'This card is missing the request it belongs to.';

/** The removal form as the card submits it. Lengths beyond these are refused before anything else runs. */
const submittedRemovalForm = z.object({
  caseRef: line(50),
  recordIds: line(5000),
  purpose: line(40),
  destination: text(2000),
  outOn: line(40),
  returnOn: line(40),
  justification: text(5000),
  acknowledged: toggle,
  unknownCaseConfirmed: toggle,
});

function toAction(kind: ActionKind, reason: string, returnBy: string): AuthorisationAction {
  switch (kind) {
    case 'approve':
      return { kind, note: reason || null };
    case 'decline':
      return { kind, reason };
    case 'cancel':
      return { kind, reason, returnBy: returnBy || null };
    case 'withdraw':
      return { kind, reason: reason || null };
    case 'mark_returned':
      return { kind, note: reason || null };
  }
}

/** Approve, decline, cancel, withdraw or mark returned, as the person saw the request. */
export function actOnRemoval(kind: ActionKind, deps: RemovalActionDeps) {
  return async (actorId: string, data: unknown): Promise<RemovalActionResult> => {
    const parsed = readInput(actionData, data, MISSING);
    if (!parsed.ok) return unreadable(parsed.message);
    const { authorisationId, version, reason, returnBy } = parsed.data;
    const outcome = await deps.removals.act(
      actorId,
      authorisationId,
      toAction(kind, reason, returnBy),
      version,
    );
    if (outcome.ok && !outcome.repeated) deps.notify();
    if (!outcome.ok && !outcome.authorisation) return refused(outcome.refusal, 'Not changed');
    const a = outcome.authorisation!;
    return {
      show: 'authorisation',
      authorisation: a,
      refusal: outcome.ok ? null : outcome.refusal,
      repeated: outcome.ok && outcome.repeated,
      done: outcome.ok ? DONE[kind](a) : null,
      notice: null,
      acted: true,
    };
  };
}

/** The request as it is now (a card's refresh, or an item opened from a list). */
export function showRemoval(deps: RemovalActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = readInput(showData, data, MISSING);
    if (!parsed.ok) return unreadable(parsed.message);
    const viewed = await deps.removals.view(actorId, parsed.data.authorisationId);
    if (viewed.ok) {
      return {
        show: 'authorisation',
        authorisation: viewed.authorisation,
        refusal: null,
        repeated: false,
        done: null,
        notice: null,
        acted: false,
      };
    }
    return {
      show: 'message',
      title: viewed.caseRef ? `Removal request for case ${viewed.caseRef}` : 'Not found',
      lines: [viewed.refusal.message],
    };
  };
}

/** A new request from the form; the form again, with every problem, when it cannot go yet. */
export function submitRemoval(deps: RemovalActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = readInput(submittedRemovalForm, data, 'The form could not be read. Nothing was sent.');
    if (!parsed.ok) return unreadable(parsed.message);
    const form = parsed.data;
    const input: RemovalRequestInput = {
      caseRef: form.caseRef,
      recordIds: form.recordIds
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      purpose: form.purpose || null,
      destination: form.destination,
      outOn: form.outOn || null,
      returnOn: form.returnOn || null,
      justification: form.justification,
      acknowledged: form.acknowledged,
      unknownCaseConfirmed: form.unknownCaseConfirmed,
    };
    const outcome = await deps.removals.request(actorId, input);
    if (outcome.ok) {
      deps.notify();
      return {
        show: 'authorisation',
        authorisation: outcome.authorisation,
        refusal: null,
        repeated: false,
        done: REQUEST_SENT,
        notice: REQUEST_SENT,
        acted: true,
      };
    }
    if (!outcome.form) {
      return {
        show: 'message',
        title: 'Not sent',
        lines: outcome.problems.map((p) => p.message),
        style: 'attention',
      };
    }
    return { show: 'removal_form', form: outcome.form, values: input, problems: outcome.problems };
  };
}
