import type { Activity } from 'botbuilder';
import type { Shown } from '../actions/results.js';
import {
  authorisationListCard,
  caseRetentionCard,
  helpCard,
  messageCard,
  type CardJson,
} from '../cards/index.js';
import {
  formatDate,
  matchRecordClasses,
  type IsoDate,
  type RequestProblem,
  type Schedule,
} from '../rules/index.js';
import type { CaseRetentionService } from '../services/case-retention.js';
import { today, type Clock } from '../services/clock.js';
import type { PeopleService, StaffMember } from '../services/people.js';
import type { AuthorisationView, RemovalService } from '../services/removal.js';
import { DONE } from '../sentences/removal.js';
import type { DestructionChat, DestructionEntities } from './destruction-chat.js';
import type { HoldsChat } from './holds-chat.js';
import { answerClassQuestion, answerPolicyQuestion } from './questions.js';
import { attach, type ResultCards } from './result-cards.js';
import type { Understanding, Understood } from './understanding/index.js';

/** What the bot says back: text, cards, or both. */
export type Reply = Partial<Activity>;

const card = (json: CardJson, text?: string): Reply => ({
  type: 'message',
  text,
  attachments: [attach(json)],
});
const say = (title: string, ...lines: string[]): Reply => card(messageCard({ title, lines }));

export interface ChatDeps {
  schedule: Schedule;
  clock: Clock;
  people: PeopleService;
  removals: RemovalService;
  retention: CaseRetentionService;
  cards: ResultCards;
  understanding: Understanding;
  holds: HoldsChat;
  destruction: DestructionChat;
  /** Called after a change that queued notifications. */
  notify: () => void;
}

/** Answers a message from a staff member: works out what they ask, then does it or asks back. */
export class ChatHandler {
  constructor(private readonly deps: ChatDeps) {}

  async reply(actorId: string, text: string): Promise<Reply[]> {
    const day = today(this.deps.clock);
    const understood = this.deps.understanding.understand(text, day);
    const actor = await this.deps.people.find(actorId);
    switch (understood.intent) {
      case 'retention.class':
        return [
          card(
            answerClassQuestion(
              this.deps.schedule,
              understood.entities.recordClassQuery ?? text,
              understood.entities.diedAtAge,
            ),
          ),
        ];
      case 'retention.case':
        return this.caseStatus(actorId, understood, day);
      case 'policy.question':
        return [
          card(
            answerPolicyQuestion(text) ??
              helpCard('I could not find that in the procedure. Here is what I can help with.'),
          ),
        ];
      case 'help':
        return [card(helpCard('Here is what I can do.'))];
      case 'None':
        return [card(helpCard('Sorry, I did not understand that. Here is what I can do.'))];
      default:
        break;
    }
    if (!actor) {
      return [
        say(
          'You are not in the staff directory',
          'I can answer retention and procedure questions, but requests and approvals need you to be in Case Records Assistant’s staff directory. Ask your Records Management Service to add you.',
        ),
      ];
    }
    switch (understood.intent) {
      case 'removal.request':
        return [await this.requestForm(actor, understood, day)];
      case 'removal.list_mine':
        return [await this.myRequests(actor)];
      case 'removal.mark_returned':
        return this.markReturned(actor, understood);
      case 'removal.withdraw':
        return this.withdraw(actor, understood);
      case 'approvals.pending':
        return [await this.team(actor)];
      case 'removal.cancel':
        return this.cancel(actor, understood);
      case 'acting.set':
        return [await this.setActing(actor, understood)];
      case 'acting.clear':
        return [await this.clearActing(actor)];
      case 'holds.place':
        return [await this.shown(actor.id, await this.deps.holds.place(actor.id, understood.entities))];
      case 'holds.list':
        return [await this.shown(actor.id, await this.deps.holds.list(actor.id, understood.entities))];
      case 'holds.release':
        return [await this.shown(actor.id, await this.deps.holds.release(actor.id, understood.entities))];
      case 'destruction.due':
        return [
          await this.shown(actor.id, await this.deps.destruction.due(actor.id, this.classFilter(understood))),
        ];
      case 'destruction.batch':
        return [
          await this.shown(
            actor.id,
            await this.deps.destruction.createBatch(actor.id, {
              ...this.classFilter(understood),
              dueBy: understood.entities.dueBy ?? day,
            }),
          ),
        ];
      case 'destruction.batches':
        return [await this.shown(actor.id, await this.deps.destruction.batches(actor.id))];
      case 'register.query':
      case 'register.export':
        return [
          await this.shown(actor.id, await this.deps.destruction.register(actor.id, understood.entities)),
        ];
    }
  }

  /** What a request came to, as its card. */
  private async shown(actorId: string, result: Shown): Promise<Reply> {
    return card(await this.deps.cards.card(result, actorId));
  }

  /** An authorisation's card for the person who acted on it, with what they are told. */
  private async authorisationReply(a: AuthorisationView, text?: string): Promise<Reply> {
    return card(await this.deps.cards.status(a), text);
  }

  /** A class named in a destruction request, when the words clearly name one. */
  private classFilter(understood: Understood): DestructionEntities {
    const query = understood.entities.recordClassQuery;
    const matches = query ? matchRecordClasses(this.deps.schedule, query) : [];
    const top = matches[0];
    const clear = top && !(matches[1] && matches[1].score >= top.score - 1);
    return { classId: clear ? top.recordClass.id : undefined, dueBy: understood.entities.dueBy };
  }

  private async caseStatus(actorId: string, understood: Understood, day: IsoDate): Promise<Reply[]> {
    const caseRef = understood.entities.caseRef;
    if (!caseRef)
      return [
        say('Which case?', 'Give me the case reference, for example: "retention status of case 1234567".'),
      ];
    const result = await this.deps.retention.status(actorId, caseRef);
    if (!result)
      return [
        say(
          `Case ${caseRef} is not in the records inventory`,
          'Check the reference. Only cases in the inventory have a retention status.',
        ),
      ];
    return [card(caseRetentionCard(result, day))];
  }

  async requestForm(actor: StaffMember, understood: Understood | null, day: IsoDate): Promise<Reply> {
    const e = understood?.entities ?? {};
    const caseRef = e.caseRef ?? '';
    const problems: RequestProblem[] = [];
    if (!caseRef && e.personName) {
      problems.push({
        field: 'caseRef',
        code: 'name_not_case',
        message: `I don’t hold children’s names, so I can’t tell which case is ${e.personName}’s. Please give the case reference.`,
      });
    }
    const form = await this.deps.removals.newForm(actor.id, caseRef);
    if (!form)
      return say('You are not in the staff directory', 'Ask your Records Management Service to add you.');
    const values = {
      caseRef,
      recordIds: [],
      purpose: e.purpose ?? null,
      destination: e.destination ?? '',
      outOn: e.outOn ?? day,
      returnOn: e.returnOn ?? null,
      justification: e.justification ?? '',
      acknowledged: false,
      unknownCaseConfirmed: false,
    };
    return card(
      await this.deps.cards.card({ show: 'removal_form', form, values, problems }, actor.id),
      caseRef ? undefined : 'Fill in the case reference and the details, then send it to your line manager.',
    );
  }

  private async myRequests(actor: StaffMember): Promise<Reply> {
    const { open, closed } = await this.deps.removals.listMine(actor.id);
    return card(
      authorisationListCard(
        'Your requests',
        [
          { heading: 'Open', items: open },
          { heading: 'Recently closed', items: closed },
        ],
        'You have no removal requests. Say "I need to take the file for case 1234567 home" to make one.',
      ),
    );
  }

  private async team(actor: StaffMember): Promise<Reply> {
    const team = await this.deps.removals.team(actor.id);
    const empty = team.members
      ? 'Nothing is waiting for you, and nobody in your team has records out of the office.'
      : 'Nobody in the staff directory reports to you, and you are not covering for another manager.';
    return card(
      authorisationListCard(
        'Your team’s authorisations',
        [
          { heading: 'Waiting for your decision', items: team.pending },
          { heading: 'Overdue', items: team.overdue },
          { heading: 'Out of the office now', items: team.outNow },
          { heading: 'Approved, leaving later', items: team.leavingLater },
        ],
        empty,
      ),
    );
  }

  /** The actor's authorisations in `statuses`, narrowed to the case named, if any. */
  private async mine(
    actor: StaffMember,
    statuses: AuthorisationView['status'][],
    caseRef?: string,
  ): Promise<AuthorisationView[]> {
    const { open } = await this.deps.removals.listMine(actor.id);
    return open.filter((a) => statuses.includes(a.status) && (!caseRef || a.caseRef === caseRef));
  }

  private async choose(title: string, options: AuthorisationView[]): Promise<Reply[]> {
    const cards = await Promise.all(options.slice(0, 5).map((a) => this.deps.cards.status(a)));
    return [{ type: 'message', text: title, attachments: cards.map(attach) }];
  }

  private async markReturned(actor: StaffMember, understood: Understood): Promise<Reply[]> {
    const options = await this.mine(actor, ['approved', 'return_requested'], understood.entities.caseRef);
    if (!options.length)
      return [
        say(
          'Nothing to return',
          understood.entities.caseRef
            ? `You have no records of case ${understood.entities.caseRef} out of the office.`
            : 'You have no records out of the office on an authorisation.',
        ),
      ];
    if (options.length > 1)
      return this.choose('Which records are back? Press the button on the right one.', options);
    const a = options[0]!;
    const outcome = await this.deps.removals.act(actor.id, a.id, { kind: 'mark_returned' }, a.version);
    this.deps.notify();
    if (!outcome.ok) return [say('Not changed', outcome.refusal.message)];
    return [await this.authorisationReply(outcome.authorisation, DONE.mark_returned(a))];
  }

  private async withdraw(actor: StaffMember, understood: Understood): Promise<Reply[]> {
    const options = await this.mine(actor, ['pending'], understood.entities.caseRef);
    if (!options.length) return [say('Nothing to withdraw', 'You have no requests waiting for a decision.')];
    if (options.length > 1)
      return this.choose('Which request? Press "Withdraw my request" on the right one.', options);
    const a = options[0]!;
    const outcome = await this.deps.removals.act(
      actor.id,
      a.id,
      { kind: 'withdraw', reason: understood.entities.reason ?? null },
      a.version,
    );
    this.deps.notify();
    if (!outcome.ok) return [say('Not changed', outcome.refusal.message)];
    return [await this.authorisationReply(outcome.authorisation, DONE.withdraw(a))];
  }

  private async cancel(actor: StaffMember, understood: Understood): Promise<Reply[]> {
    const { caseRef, personName, reason } = understood.entities;
    const team = await this.deps.removals.team(actor.id);
    let options = [...team.outNow, ...team.leavingLater, ...team.overdue].filter((a) => a.can.canCancel);
    if (caseRef) options = options.filter((a) => a.caseRef === caseRef);
    if (personName) {
      const named = options.filter(
        (a) => a.requester.name.toLowerCase().split(/\s+/)[0] === personName.toLowerCase(),
      );
      if (named.length) options = named;
    }
    if (!options.length) {
      return [
        say(
          'Nothing to cancel',
          `I found no approved authorisation${caseRef ? ` for case ${caseRef}` : ''}${personName ? ` of ${personName}’s` : ''} that you can cancel. Say "team" to see your team’s authorisations.`,
        ),
      ];
    }
    if (options.length > 1 || !reason) {
      return this.choose(
        reason
          ? 'Which authorisation? Use "Cancel and ask for the records back" on the right one.'
          : 'Please give a reason (the case worker will see it): use "Cancel and ask for the records back" on the card.',
        options,
      );
    }
    const a = options[0]!;
    const outcome = await this.deps.removals.act(actor.id, a.id, { kind: 'cancel', reason }, a.version);
    this.deps.notify();
    if (!outcome.ok) return [say('Not changed', outcome.refusal.message)];
    return [await this.authorisationReply(outcome.authorisation, DONE.cancel(a))];
  }

  private async setActing(actor: StaffMember, understood: Understood): Promise<Reply> {
    const { personName, until } = understood.entities;
    if (!personName)
      return say(
        'Who will cover?',
        'Tell me who and until when, for example: "Priya is covering my approvals until 12 January".',
      );
    const candidates = await this.deps.people.colleaguesCalled(actor.id, personName);
    if (!candidates.length)
      return say(`I can’t find ${personName}`, `Nobody called ${personName} is in the staff directory.`);
    if (candidates.length > 1)
      return say(
        `Which ${personName}?`,
        `There are ${candidates.length} people called ${personName}: ${candidates.map((c) => c.name).join(', ')}. Use their full name.`,
      );
    if (!until)
      return say(
        'Until when?',
        `Tell me the last day ${candidates[0]!.name} should cover, for example: "${personName} is covering my approvals until 12 January".`,
      );
    const result = await this.deps.removals.setActing(actor.id, candidates[0]!.id, until);
    if (!result.ok) return say('Not changed', result.message);
    return say(
      'Cover arranged',
      `${result.acting.name} can approve, decline and cancel your team’s requests until ${formatDate(result.until)} (inclusive). Say "end cover" when you are back.`,
    );
  }

  private async clearActing(actor: StaffMember): Promise<Reply> {
    const ended = await this.deps.removals.clearActing(actor.id);
    return ended
      ? say('Cover ended', 'Only you decide your team’s requests again.')
      : say('No cover in place', 'Nobody is covering your approvals.');
  }
}
