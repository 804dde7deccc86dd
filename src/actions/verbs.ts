import type { ActionKind } from '../rules/index.js';

/** Every `Action.Execute` verb the cards use: the keys of the verb table, which handles each. */
export const VERBS = {
  submit: 'removal.submit',
  approve: 'removal.approve',
  decline: 'removal.decline',
  cancel: 'removal.cancel',
  returned: 'removal.returned',
  withdraw: 'removal.withdraw',
  refresh: 'removal.refresh',
  show: 'removal.show',
  holdPlace: 'hold.place',
  holdRelease: 'hold.release',
  due: 'destruction.due',
  batchCreate: 'destruction.batch.create',
  batchConfirm: 'destruction.batch.confirm',
  batchCancel: 'destruction.batch.cancel',
  batchShow: 'destruction.batch.show',
} as const;
export type Verb = (typeof VERBS)[keyof typeof VERBS];

/** The verb of each action on a removal authorisation: the card's buttons and the tab's. */
export const REMOVAL_ACTION_VERBS = {
  approve: VERBS.approve,
  decline: VERBS.decline,
  cancel: VERBS.cancel,
  withdraw: VERBS.withdraw,
  mark_returned: VERBS.returned,
} as const satisfies Record<ActionKind, Verb>;
export type RemovalActionVerb = (typeof REMOVAL_ACTION_VERBS)[ActionKind];
