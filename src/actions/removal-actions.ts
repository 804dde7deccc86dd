import { z } from 'zod';
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
  authorisationId: z.string().min(1).max(64),
  version: z.coerce.number().int().min(0).max(1_000_000),
  reason: z.string().max(5000).optional(),
  /** A recall: the earlier date to have the records back by ('' keeps the agreed date). */
  returnBy: z.string().max(40).optional(),
});
const showData = actionData.pick({ authorisationId: true });
const MISSING = 'This card is missing the request it belongs to.';

const toggle = z
  .union([z.boolean(), z.string()])
  .optional()
  .transform((v) => v === true || v === 'true');
const text = (max: number) =>
  z
    .string()
    .max(max, `is longer than ${max} characters`)
    .optional()
    .transform((v) => v ?? '');

/** The removal form as the card submits it. Lengths beyond these are refused before anything else runs. */
const submittedRemovalForm = z.object({
  caseRef: text(50),
  recordIds: text(5000),
  purpose: text(40),
  destination: text(2000),
  outOn: text(40),
  returnOn: text(40),
  justification: text(5000),
  acknowledged: toggle,
  unknownCaseConfirmed: toggle,
});

function toAction(kind: ActionKind, reason: string | undefined, returnBy: string): AuthorisationAction {
  switch (kind) {
    case 'approve':
      return { kind, note: reason ?? null };
    case 'decline':
      return { kind, reason: reason ?? '' };
    case 'cancel':
      return { kind, reason: reason ?? '', returnBy: returnBy || null };
    case 'withdraw':
      return { kind, reason: reason ?? null };
    case 'mark_returned':
      return { kind, note: reason ?? null };
  }
}

/** Approve, decline, cancel, withdraw or mark returned, as the person saw the request. */
export function actOnRemoval(kind: ActionKind, deps: RemovalActionDeps) {
  return async (actorId: string, data: unknown): Promise<RemovalActionResult> => {
    const parsed = actionData.safeParse(data);
    if (!parsed.success) return unreadable(MISSING);
    const { authorisationId, version, reason, returnBy } = parsed.data;
    const outcome = await deps.removals.act(
      actorId,
      authorisationId,
      toAction(kind, reason, returnBy?.trim() ?? ''),
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
    const parsed = showData.safeParse(data);
    if (!parsed.success) return unreadable(MISSING);
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
    const parsed = submittedRemovalForm.safeParse(data);
    if (!parsed.success) {
      return unreadable(
        `The form could not be read: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      );
    }
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
