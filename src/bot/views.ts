import { CardFactory, type Attachment } from 'botbuilder';
import type { Kysely } from 'kysely';
import { removalStatusCard, type CardJson, type StatusViewer } from '../cards/index.js';
import type { AuthorisationView } from '../services/removal.js';
import { mrisOf } from '../store/conversations.js';
import type { Database } from '../store/schema.js';

/** What `viewerId` may do with this authorisation now: the rules decide again on every action. */
export function viewerOf(a: AuthorisationView, viewerId: string): StatusViewer {
  const isRequester = a.requester.id === viewerId;
  const isApprover = !isRequester && a.approvers.some((p) => p.id === viewerId);
  const out = a.status === 'approved' || a.status === 'return_requested';
  return {
    isRequester,
    canDecide: isApprover && a.status === 'pending',
    canCancel: isApprover && a.status === 'approved',
    canMarkReturned: (isRequester || isApprover) && out,
    canWithdraw: isRequester && a.status === 'pending',
  };
}

export function mayView(a: AuthorisationView, viewerId: string): boolean {
  return a.requester.id === viewerId || a.approvers.some((p) => p.id === viewerId);
}

/** The status card as `viewerId` should see it, refreshing for the requester and the approvers. */
export async function statusCardFor(
  db: Kysely<Database>,
  a: AuthorisationView,
  viewerId: string,
  notice?: string,
): Promise<CardJson> {
  const refreshUserIds = await mrisOf(db, [a.requester.id, ...a.approvers.map((p) => p.id)]);
  return removalStatusCard(a, viewerOf(a, viewerId), { refreshUserIds, notice });
}

export function attach(card: CardJson): Attachment {
  return CardFactory.adaptiveCard(card);
}
