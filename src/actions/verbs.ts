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
  holdShow: 'hold.show',
  sarExtend: 'hold.sar.extend',
  sarPause: 'hold.sar.pause',
  sarResume: 'hold.sar.resume',
  blanketPlace: 'hold.blanket.place',
  blanketRelease: 'hold.blanket.release',
  blanketShow: 'hold.blanket.show',
  due: 'destruction.due',
  batchPreview: 'destruction.batch.preview',
  batchCreate: 'destruction.batch.create',
  batchConfirm: 'destruction.batch.confirm',
  batchCancel: 'destruction.batch.cancel',
  batchShow: 'destruction.batch.show',
  review: 'review.list',
  reviewForm: 'review.form',
  reviewDecide: 'review.decide',
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
