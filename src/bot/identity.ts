import type { TurnContext } from 'botbuilder';

/** Who is acting, from the activity itself: never from card data or message text. */
export interface TurnIdentity {
  aadObjectId: string;
  /** The person's Teams id for this bot (`29:…`). */
  mri: string;
  tenantId: string | null;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A Teams user id as Teams writes it (`29:…`): one line of printable characters, never a NUL. */
const MRI = /^[\x21-\x7e]{1,512}$/;

/** The Entra tenant an activity comes from, as Teams states it; null when it does not say. */
export function tenantOf(context: TurnContext): string | null {
  const { conversation } = context.activity;
  const channelData: unknown = context.activity.channelData;
  const channelTenant = (channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  return typeof conversation?.tenantId === 'string'
    ? conversation.tenantId
    : typeof channelTenant === 'string'
      ? channelTenant
      : null;
}

export function identify(context: TurnContext): TurnIdentity | null {
  const { from } = context.activity;
  const aadObjectId = typeof from?.aadObjectId === 'string' ? from.aadObjectId.toLowerCase() : '';
  if (!GUID.test(aadObjectId)) return null;
  return {
    aadObjectId,
    mri: typeof from.id === 'string' && MRI.test(from.id) ? from.id : '',
    tenantId: tenantOf(context),
  };
}
