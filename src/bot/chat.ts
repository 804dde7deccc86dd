import { z } from 'zod';
import { chatText, hasVisibleLetters, readChatText } from '../actions/inputs.js';
import type { Shown } from '../actions/results.js';
import { VERBS } from '../actions/verbs.js';
import {
  clarificationCard,
  helpCard,
  messageCard,
  type CanDo,
  type CardJson,
  type ChoiceButton,
} from '../cards/index.js';
import { formatDate, isIsoDate, NOT_SET_UP, type IsoDate, type Role, type Schedule } from '../rules/index.js';
import type { CaseRetentionService } from '../services/case-retention.js';
import { today, type Clock } from '../services/clock.js';
import type { PeopleService, StaffMember } from '../services/people.js';
import type { RemovalService } from '../services/removal.js';
import {
  capabilitiesFor,
  INTENT_ROLES,
  isIntent,
  MAX_INPUT_LENGTH,
  readAs,
  understand,
  type Clarification,
  type EntityName,
  type Intent,
  type Reading,
} from '../understanding/index.js';
import { AnswersChat, scheduleClasses } from './answers-chat.js';
import { lastDayOf, type DestructionChat } from './destruction-chat.js';
import type { HoldsChat } from './holds-chat.js';
import { RemovalChat } from './removal-chat.js';
import type { ReviewChat } from './review-chat.js';
import { card, say, type Reply } from './replies.js';
import type { ResultCards } from './result-cards.js';

export type { Reply } from './replies.js';

/** The verb of the "did you mean" buttons: carry out one reading of a message, for whoever presses. */
export const CHAT_READING_VERB = 'chat.reading';

export interface ChatDeps {
  schedule: Schedule;
  clock: Clock;
  people: PeopleService;
  removals: RemovalService;
  retention: CaseRetentionService;
  cards: ResultCards;
  holds: HoldsChat;
  destruction: DestructionChat;
  review: ReviewChat;
  /** Called after a change that queued notifications. */
  notify: () => void;
}

/** The dates a button may set, when the person chose one a doubt offered. */
const CHOSEN_DATES = ['outOn', 'returnOn', 'returnBy', 'until'] as const satisfies readonly EntityName[];
type ChosenDate = (typeof CHOSEN_DATES)[number];

/** What a "did you mean" button carries: the message and the reading chosen. Checked like anything typed. */
const readingData = z.object({
  text: chatText(MAX_INPUT_LENGTH),
  intent: z.string().max(40).refine(isIntent),
  dates: z
    .partialRecord(z.enum(CHOSEN_DATES), z.string().max(20).refine(isIsoDate))
    .optional()
    .transform((d) => d ?? {}),
});

/**
 * Where a message was written: the person's 1:1 chat with the bot, or a conversation others read
 * too (a team channel, a group chat).
 */
export type Where = 'personal' | 'shared';

/** What a message comes to: the replies, and whether they may only go to the asker's 1:1 chat. */
export interface Answer {
  replies: Reply[];
  /** The replies are about a case, a person or a request: for the asker's 1:1 chat only. */
  personal: boolean;
}

/** What pressing a "did you mean" button comes to: the pressed card, and the answers that follow. */
export interface Pressed extends Answer {
  /** The card pressed, now saying what was chosen (nothing about a case: it may be in a channel). */
  card: CardJson;
  /** What was chosen, in words ('' when the button could not be read). */
  chosen: string;
}

/**
 * What is answered wherever it is asked and for anyone, staff directory or not: how long a kind of
 * record is kept, the procedure, help, and a polite word about anything else. Nothing in these is
 * about a case, a person or a request. Everything else is for directory members, in their 1:1 chat.
 */
export const PUBLIC_INTENTS = [
  'help',
  'None',
  'retention.class',
  'policy.question',
] as const satisfies readonly Intent[];

function isPublic(intent: Intent): boolean {
  return (PUBLIC_INTENTS as readonly Intent[]).includes(intent);
}

/** A reason read from a message counts only when it says why in words a person can see. */
function visibleReason(reason: string | undefined): string | undefined {
  return reason && hasVisibleLetters(reason) ? reason : undefined;
}

/** Whose a reading is, told to a person whose roles may not act on it. */
const WHOSE: Partial<Record<Role, string>> = {
  line_manager: 'Only line managers (or a manager covering for one) can',
  records_management: 'Only the Records Management Service can',
};
function notYours(reading: Reading): string {
  const roles = INTENT_ROLES[reading.intent];
  const who = roles === 'anyone' ? undefined : WHOSE[roles[0]!];
  const what = reading.label.charAt(0).toLowerCase() + reading.label.slice(1);
  return who ? `${who} ${what}.` : `"${reading.label}" is not for your role.`;
}

const NOT_A_MANAGER =
  'Approving, declining and recalling requests, and arranging cover, are for line managers (or a manager covering for one).';

/**
 * Answers a message from a staff member: understands it (the text, today, and the person's roles
 * from the directory), then does what it asks, answers it, or, when unsure, offers the likeliest
 * readings as buttons. Questions are answered, never turned into actions.
 */
export class ChatHandler {
  private readonly removals: RemovalChat;
  private readonly answers: AnswersChat;

  constructor(private readonly deps: ChatDeps) {
    this.removals = new RemovalChat(deps);
    this.answers = new AnswersChat(deps.schedule, deps.retention);
  }

  /** The roles a person asks with: the directory's, and a line manager's while covering for one. */
  private async asker(actorId: string): Promise<{ actor: StaffMember | null; roles: Role[] }> {
    const profile = await this.deps.people.profile(actorId);
    if (!profile) return { actor: null, roles: [] };
    const roles = [...profile.person.roles];
    if (profile.views.team && !roles.includes('line_manager')) roles.push('line_manager');
    return { actor: profile.person, roles };
  }

  /**
   * Answers a message written `where`. Its text is read once here (a control character or a broken
   * one is refused). Outside the staff directory, or written where others read, only what holds no
   * case data is answered in place; the rest is for the asker's 1:1 chat (`personal`).
   */
  async reply(actorId: string, raw: unknown, where: Where = 'personal'): Promise<Answer> {
    const read = readChatText(raw);
    if (!read.ok) return { replies: [say('Not read', read.message)], personal: false };
    const day = today(this.deps.clock);
    const { actor, roles } = await this.asker(actorId);
    const understood = understand(read.text, { today: day, roles });
    // Outside the directory, a message most likely about cases or requests gets the one sentence,
    // not a choice of things they could not do.
    const aboutCases = [understood.reading, ...(understood.unsure ? understood.alternatives : [])].some(
      (r) => !isPublic(r.intent),
    );
    if (!actor && aboutCases && !understood.smallTalk)
      return { replies: [say('Not set up', NOT_SET_UP)], personal: false };
    if (understood.unsure && understood.clarification)
      return {
        replies: [card(this.clarificationCard(understood.text, understood.clarification, roles))],
        personal: false,
      };
    if (understood.smallTalk)
      return { replies: [card(this.smallTalkCard(understood.smallTalk, roles))], personal: false };
    return this.answer(actorId, actor, roles, understood.text, understood.reading, day, where);
  }

  /** A reading answered in place when it holds no case data; otherwise for members only, 1:1. */
  private async answer(
    actorId: string,
    actor: StaffMember | null,
    roles: readonly Role[],
    text: string,
    reading: Reading,
    day: IsoDate,
    where: Where,
  ): Promise<Answer> {
    const personal = !isPublic(reading.intent);
    if (personal && !actor) return { replies: [say('Not set up', NOT_SET_UP)], personal: false };
    return { replies: await this.carryOut(actorId, actor, roles, text, reading, day, where), personal };
  }

  /**
   * A "did you mean" (or "which date") button pressed: the reading it names is read again from the
   * message and carried out for the person pressing it, as if they had typed it. A date it carries
   * counts only if the reading still offers it for a doubt.
   */
  async press(actorId: string, data: unknown, where: Where = 'personal'): Promise<Pressed> {
    const parsed = readingData.safeParse(data);
    if (!parsed.success)
      return {
        card: messageCard({
          title: 'Not done',
          lines: ['This button could not be read. Nothing was changed: please type your request again.'],
          style: 'attention',
        }),
        replies: [],
        personal: false,
        chosen: '',
      };
    const { text, dates } = parsed.data;
    const intent = parsed.data.intent;
    const day = today(this.deps.clock);
    const { actor, roles } = await this.asker(actorId);
    const reading = chooseDates(readAs(text, intent, { today: day, roles }), dates);
    const answer = await this.answer(actorId, actor, roles, text, reading, day, where);
    return {
      card: messageCard({ title: 'You chose', lines: [reading.label] }),
      chosen: reading.label,
      ...answer,
    };
  }

  /** A button that carries out `intent` on `text` (with a chosen date), for whoever presses it. */
  private button(
    title: string,
    text: string,
    intent: Intent,
    dates: Partial<Record<ChosenDate, IsoDate>> = {},
  ): ChoiceButton {
    return {
      title,
      verb: CHAT_READING_VERB,
      data: { text, intent, ...(Object.keys(dates).length ? { dates } : {}) },
    };
  }

  private clarificationCard(text: string, clarification: Clarification, roles: readonly Role[]): CardJson {
    const allowed = clarification.options.filter((r) => r.allowed);
    // A reading the person's roles may not act on is not offered: they are told whose it is.
    const notTheirs = clarification.options.filter((r) => !r.allowed).map((r) => notYours(r));
    const own = (c: { intent: Intent }) => INTENT_ROLES[c.intent] !== 'anyone';
    const canDo = [...clarification.canDo.filter(own), ...clarification.canDo.filter((c) => !own(c))];
    const quoted = text.length > 80 ? `${text.slice(0, 77)}…` : text;
    return clarificationCard({
      prompt: allowed.length
        ? `I'm not sure what you meant by "${quoted}". Did you mean:`
        : `I'm not sure what you meant by "${quoted}".`,
      note: [...notTheirs, 'Nothing has been opened or changed.'].join(' '),
      options: allowed.map((r) => this.button(r.label, text, r.intent)),
      canDo: canDo
        .slice(0, roles.length > 1 ? 10 : 8)
        .map((c): CanDo => ({ title: c.title, example: c.example })),
    });
  }

  /** What a reading asks for, done, answered or asked about. */
  private async carryOut(
    actorId: string,
    actor: StaffMember | null,
    roles: readonly Role[],
    text: string,
    reading: Reading,
    day: IsoDate,
    where: Where,
  ): Promise<Reply[]> {
    switch (reading.intent) {
      case 'help': {
        // A person's own work names their cases: only in their 1:1 chat.
        const work = where === 'personal' ? await this.work(actor) : [];
        return [card(helpCard('Here is what you can ask me.', { roles, work }))];
      }
      case 'None':
        return [card(this.outsideCard(roles))];
      case 'retention.class':
        return [card(this.answers.recordClass(reading))];
      case 'retention.case':
        return [card(await this.answers.caseStatus(actorId, reading, day))];
      case 'policy.question':
        return [card(this.answers.procedure(reading))];
      default:
        break;
    }
    if (!actor) return [say('Not set up', NOT_SET_UP)];
    const e = reading.entities;
    const shown = (result: Shown) => this.shown(actor.id, result);
    const filtered = reading.filters ? `Filtered by: ${reading.filters.description}.` : undefined;
    const managerOnly = !roles.includes('line_manager');
    switch (reading.intent) {
      case 'removal.request':
        return [await this.removals.requestForm(actor, reading, day)];
      case 'removal.list_mine':
        return [await this.removals.myRequests(actor)];
      case 'removal.mark_returned':
        return this.removals.markReturned(actor, reading);
      case 'removal.withdraw':
        return this.removals.withdraw(actor, reading);
      case 'approvals.pending':
        return [await this.removals.team(actor, reading)];
      case 'removal.decide':
        return managerOnly ? [say('Not for your role', NOT_A_MANAGER)] : this.removals.decide(actor, reading);
      case 'removal.cancel':
        return managerOnly
          ? [say('Not for your role', NOT_A_MANAGER)]
          : this.removals.recall(actor, reading, day);
      case 'acting.set':
        return [
          managerOnly
            ? say('Not for your role', NOT_A_MANAGER)
            : await this.removals.setActing(actor, reading, (date, title) =>
                this.button(title, text, 'acting.set', { until: date }),
              ),
        ];
      case 'acting.clear':
        return [await this.removals.clearActing(actor)];
      case 'holds.place':
      case 'holds.list':
      case 'holds.release': {
        const holdEntities = {
          caseRef: e.caseRef?.value,
          recordId: e.recordId?.value,
          holdType: e.holdType?.value,
          holdReference: e.holdReference?.value,
          receivedOn: e.receivedOn?.value,
          reason: visibleReason(e.reason?.value),
          classIds: scheduleClasses(this.deps.schedule, e.recordClass?.value ?? []).map((c) => c.id),
        };
        if (reading.intent === 'holds.place')
          return [await shown(await this.deps.holds.place(actor.id, holdEntities))];
        if (reading.intent === 'holds.release')
          return [await shown(await this.deps.holds.release(actor.id, holdEntities))];
        const list = await shown(await this.deps.holds.list(actor.id, holdEntities));
        return [{ ...list, text: this.holdsFilterText(reading) }];
      }
      case 'destruction.due':
      case 'destruction.batch':
        return [await this.dueOrBatch(actor, reading, day)];
      case 'destruction.batches':
        return [
          await shown(
            e.batchRef
              ? await this.deps.destruction.batch(actor.id, e.batchRef.value)
              : await this.deps.destruction.batches(actor.id),
          ),
        ];
      case 'destruction.confirm':
        if (!e.batchRef) {
          const list = await shown(await this.deps.destruction.batches(actor.id));
          return [{ ...list, text: 'Which batch? Open it from the list, check it, then press Confirm.' }];
        }
        return [await shown(await this.deps.destruction.confirm(actor.id, e.batchRef.value))];
      case 'review.list':
      case 'review.decide':
        return [await this.review(actor, reading, day)];
      case 'register.query':
      case 'register.export': {
        const register = await shown(
          await this.deps.destruction.register(actor.id, {
            recordId: e.recordId?.value,
            caseRef: e.caseRef?.value,
            batchRef: e.batchRef?.value,
            month: e.month?.value,
          }),
        );
        const notes = [
          filtered,
          e.recordClass
            ? 'The register cannot be narrowed by kind of record in chat: every kind is shown.'
            : '',
          reading.intent === 'register.export'
            ? 'Use the CSV or Excel button on the card to download the whole register.'
            : '',
        ].filter(Boolean);
        return [{ ...register, text: notes.join(' ') || undefined }];
      }
    }
  }

  /**
   * Records waiting for a review decision, narrowed to the kind of record, case, record, month or
   * date named; or a decision read from the message, on its form to check (nothing is recorded
   * from the words alone).
   */
  private async review(actor: StaffMember, reading: Reading, day: IsoDate): Promise<Reply> {
    const e = reading.entities;
    const ids = e.recordClass?.value ?? [];
    const classes = scheduleClasses(this.deps.schedule, ids);
    const dueBy = e.dueBy?.value ?? (e.month ? lastDayOf(e.month.value) : undefined);
    const echo = reading.filters ? `Filtered by: ${reading.filters.description}.` : undefined;
    if (ids.length && !classes.length)
      return say(
        'Not in the retention schedule',
        `The retention schedule in use (version ${this.deps.schedule.version}) has no class for what you named, so nothing was listed.`,
      );
    if (classes.length > 1) {
      return card(
        clarificationCard({
          prompt: `Which kind of record? "${e.recordClass!.from?.text ?? ''}" fits more than one.`,
          note: 'Nothing has been recorded.',
          options: classes.slice(0, 5).map((c) => ({
            title: c.title,
            verb: VERBS.review,
            data: { classId: c.id, caseRef: e.caseRef?.value ?? '', dueBy: dueBy ?? '' },
          })),
          canDo: [],
        }),
        echo,
      );
    }
    const scope = {
      classId: classes[0]?.id,
      caseRef: e.caseRef?.value,
      recordId: e.recordId?.value,
      dueBy,
    };
    const result =
      reading.intent === 'review.decide'
        ? await this.deps.review.decide(actor.id, reading, scope, day)
        : await this.deps.review.list(actor.id, scope);
    const reply = await this.shown(actor.id, result);
    return result.show === 'refusal' ? reply : { ...reply, text: echo };
  }

  /** What is due, or a preview of a new batch of it, narrowed to the kind of record, month or date named. */
  private async dueOrBatch(actor: StaffMember, reading: Reading, day: IsoDate): Promise<Reply> {
    const e = reading.entities;
    const batch = reading.intent === 'destruction.batch';
    const ids = e.recordClass?.value ?? [];
    const classes = scheduleClasses(this.deps.schedule, ids);
    // "due in March" is everything due by the end of March: what has not been destroyed is still due.
    const dueBy = e.dueBy?.value ?? (e.month ? lastDayOf(e.month.value) : undefined);
    const echo = [
      reading.filters ? `Filtered by: ${reading.filters.description}` : '',
      e.month && !e.dueBy ? `everything due by ${formatDate(dueBy!)}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    if (ids.length && !classes.length)
      return say(
        'Not in the retention schedule',
        `The retention schedule in use (version ${this.deps.schedule.version}) has no class for what you named, so nothing was ${batch ? 'chosen' : 'listed'}.`,
      );
    if (classes.length > 1) {
      return card(
        clarificationCard({
          prompt: `Which kind of record? "${e.recordClass!.from?.text ?? ''}" fits more than one.`,
          note: batch ? 'Nothing has been chosen yet.' : '',
          options: classes.slice(0, 5).map((c) => ({
            title: c.title,
            verb: batch ? VERBS.batchPreview : VERBS.due,
            data: { classId: c.id, dueBy: dueBy ?? (batch ? day : '') },
          })),
          canDo: [],
        }),
        echo ? `${echo}.` : undefined,
      );
    }
    const choice = { classId: classes[0]?.id, dueBy };
    const result = batch
      ? await this.deps.destruction.previewBatch(actor.id, { ...choice, dueBy: dueBy ?? day })
      : await this.deps.destruction.due(actor.id, choice);
    const reply = await this.shown(actor.id, result);
    return result.show === 'refusal' ? reply : { ...reply, text: echo ? `${echo}.` : undefined };
  }

  private holdsFilterText(reading: Reading): string | undefined {
    if (!reading.filters) return undefined;
    const unsupported = reading.entities.recordClass
      ? ' Holds cannot be narrowed by kind of record yet: every hold in force matching the rest is shown.'
      : '';
    return `Filtered by: ${reading.filters.description}.${unsupported}`;
  }

  /** What a request came to, as its card. */
  private async shown(actorId: string, result: Shown): Promise<Reply> {
    return card(await this.deps.cards.card(result, actorId));
  }

  /** A greeting or thanks, answered in kind, with a few things to ask. */
  private smallTalkCard(kind: 'greeting' | 'thanks', roles: readonly Role[]): CardJson {
    return clarificationCard({
      prompt: kind === 'thanks' ? 'You’re welcome.' : 'Hello.',
      note: 'I help you take case records out of the office properly, and answer questions about retention and the records procedure. Say "help" for everything I can do.',
      options: [],
      canDo: this.someOf(roles),
    });
  }

  /** A few things the person's roles can ask, with examples. */
  private someOf(roles: readonly Role[]): CanDo[] {
    const some: readonly Intent[] = [
      'removal.request',
      'retention.class',
      'policy.question',
      'approvals.pending',
      'destruction.due',
    ];
    return capabilitiesFor(roles)
      .filter((c) => some.includes(c.intent))
      .map((c): CanDo => ({ title: c.title, example: c.example }));
  }

  /** An out-of-domain message: a polite answer and a few things the person can ask; nothing is opened. */
  private outsideCard(roles: readonly Role[]): CardJson {
    return clarificationCard({
      prompt: 'Sorry, that is outside what I can help with.',
      note: 'I help staff take case records out of the office properly, and answer questions about retention and the records procedure. Nothing has been opened or changed. Say "help" for everything I can do.',
      options: [],
      canDo: this.someOf(roles),
    });
  }

  /** The person's own work now, for their help card. */
  private async work(actor: StaffMember | null): Promise<string[]> {
    if (!actor) return [];
    const lines: string[] = [];
    const mine = await this.deps.removals.listMine(actor.id);
    const waiting = mine.open.filter((a) => a.status === 'pending');
    const out = mine.open.filter((a) => a.status !== 'pending');
    if (waiting.length)
      lines.push(
        `${waiting.length} of your requests ${waiting.length === 1 ? 'is' : 'are'} waiting for a decision.`,
      );
    for (const a of out.slice(0, 3))
      lines.push(
        `You have the records for case ${a.caseRef} out: back by ${formatDate(a.returnOn)}${a.overdue ? ' (OVERDUE)' : ''}.`,
      );
    const team = await this.deps.removals.team(actor.id);
    if (team.teamView) {
      lines.push(
        `${team.pending.length} request(s) waiting for your decision; ${team.overdue.length} overdue in your team.`,
      );
    }
    lines.push(
      ...(await this.deps.destruction.work(actor.id)),
      ...(await this.deps.review.work(actor.id)),
      ...(await this.deps.holds.work(actor.id)),
    );
    return lines;
  }
}

/** A reading with the dates the person chose for its doubts; a date no doubt offers is ignored. */
function chooseDates(reading: Reading, dates: Partial<Record<ChosenDate, IsoDate>>): Reading {
  const entities: Record<string, unknown> = { ...reading.entities };
  let doubts = reading.doubts;
  for (const name of CHOSEN_DATES) {
    const date = dates[name];
    if (!date || !doubts.some((d) => d.entity === name && d.options.includes(date))) continue;
    entities[name] = { value: date, implied: 'the date you chose' };
    doubts = doubts.filter((d) => d.entity !== name);
  }
  return { ...reading, entities: entities, doubts };
}
