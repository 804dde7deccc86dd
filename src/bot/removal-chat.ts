import { authorisationListCard, clarificationCard, recallCard, type ChoiceButton } from '../cards/index.js';
import {
  formatDate,
  formatDayDate,
  PURPOSE_LABELS,
  recallDateProblem,
  type IsoDate,
  type RequestProblem,
} from '../rules/index.js';
import type { PeopleService, StaffMember } from '../services/people.js';
import type { AuthorisationView, RemovalService } from '../services/removal.js';
import { DONE } from '../sentences/removal.js';
import type { Reading } from '../understanding/index.js';
import { dateLine, doubted, lines, questions, valueLine, withSource } from './read-back.js';
import { card, cards, say, type Reply } from './replies.js';
import type { ResultCards } from './result-cards.js';

export interface RemovalChatDeps {
  people: PeopleService;
  removals: RemovalService;
  cards: ResultCards;
  /** Called after a change that queued notifications. */
  notify: () => void;
}

/** A button that carries out the same message again, with a date the person chose. */
export type DateChoice = (date: IsoDate, title: string) => ChoiceButton;

const NOT_A_MANAGER =
  'Approving, declining and recalling requests, and arranging cover, are for line managers (or a manager covering for one). Ask your line manager.';

/** "Sam" matches Sam Taylor: a first name as people write it. */
function firstNameIs(a: AuthorisationView, name: string): boolean {
  return a.requester.name.toLowerCase().split(/\s+/)[0] === name.toLowerCase();
}

/** "Sam's request for case 1234567": the words for what was asked about, for "nothing found" answers. */
function scope(caseRef: string | undefined, personName: string | undefined): string {
  return `${personName ? ` of ${personName}’s` : ''}${caseRef ? ` for case ${caseRef}` : ''}`;
}

/**
 * Removal requests and authorisations asked for in chat: the request form filled in from the
 * message (with what was read and every doubt), a person's own requests, returns and withdrawals,
 * and a manager's team, decisions, recalls and cover. Identity is the actor's; the services check
 * every permission again.
 */
export class RemovalChat {
  constructor(private readonly deps: RemovalChatDeps) {}

  /** The request form, filled in with what was read; dates in doubt are left for the person to choose. */
  async requestForm(actor: StaffMember, reading: Reading, day: IsoDate): Promise<Reply> {
    const e = reading.entities;
    const inDoubt = doubted(reading);
    const caseRef = e.caseRef?.value ?? '';
    const problems: RequestProblem[] = [];
    if (!caseRef && e.personName) {
      problems.push({
        field: 'caseRef',
        code: 'name_not_case',
        message: `I don’t hold children’s names, so I can’t tell which case is ${e.personName.value}’s. Please give the case reference.`,
      });
    }
    if (e.otherCaseRefs?.length) {
      problems.push({
        field: 'caseRef',
        code: 'one_case_per_request',
        message: `One case per request: this form is for case ${caseRef}. Ask again for ${e.otherCaseRefs.map((c) => c.value).join(', ')}.`,
      });
    }
    const opened = await this.deps.removals.newForm(actor.id, caseRef);
    if (!opened.ok) return say('Not looked up', opened.message);
    const form = opened.form;
    const outOn = inDoubt.has('outOn') ? null : (e.outOn?.value ?? day);
    const returnOn = inDoubt.has('returnOn') ? null : (e.returnOn?.value ?? null);
    const read = lines(
      valueLine('Case', e.caseRef),
      valueLine('Purpose', e.purpose, (p) => PURPOSE_LABELS[p]),
      valueLine('Where', e.destination),
      dateLine('Out of the office', e.outOn, inDoubt.has('outOn')),
      dateLine('Back in the office', e.returnOn, inDoubt.has('returnOn')),
      valueLine('Why', e.reason),
    );
    const values = {
      caseRef,
      recordIds: e.recordId ? [e.recordId.value] : [],
      purpose: e.purpose?.value ?? null,
      destination: e.destination?.value ?? '',
      outOn,
      returnOn,
      justification: e.reason?.value ?? '',
      acknowledged: false,
      unknownCaseConfirmed: false,
    };
    const shown = await this.deps.cards.card(
      {
        show: 'removal_form',
        form,
        values,
        problems,
        read,
        doubts: questions(reading.doubts),
      },
      actor.id,
    );
    return card(
      shown,
      reading.doubts.length
        ? 'Please check the dates I was not sure of, then send it to your line manager.'
        : caseRef
          ? undefined
          : 'Fill in the case reference and the details, then send it to your line manager.',
    );
  }

  async myRequests(actor: StaffMember): Promise<Reply> {
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

  /** The manager's team: what waits for them, what is overdue and out; narrowed to a person or case when named. */
  async team(actor: StaffMember, reading: Reading): Promise<Reply> {
    const team = await this.deps.removals.team(actor.id);
    if (!team.teamView) return say('Not for your role', NOT_A_MANAGER);
    const caseRef = reading.entities.caseRef?.value;
    const personName = reading.entities.personName?.value;
    const keep = (a: AuthorisationView) =>
      (!caseRef || a.caseRef === caseRef) && (!personName || firstNameIs(a, personName));
    const filtered = caseRef || personName;
    const empty = filtered
      ? `Nothing${scope(caseRef, personName)} is waiting for you or out of the office.`
      : team.members
        ? 'Nothing is waiting for you, and nobody in your team has records out of the office.'
        : 'Nobody in the staff directory reports to you, and you are not covering for another manager.';
    return card(
      authorisationListCard(
        filtered ? `Your team’s authorisations${scope(caseRef, personName)}` : 'Your team’s authorisations',
        [
          { heading: 'Waiting for your decision', items: team.pending.filter(keep) },
          { heading: 'Overdue', items: team.overdue.filter(keep) },
          { heading: 'Out of the office now', items: team.outNow.filter(keep) },
          { heading: 'Approved, leaving later', items: team.leavingLater.filter(keep) },
        ],
        empty,
      ),
      reading.filters ? `Filtered by: ${reading.filters.description}.` : undefined,
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
    const shown = await Promise.all(options.slice(0, 5).map((a) => this.deps.cards.status(a)));
    return [cards(title, shown)];
  }

  private async authorisationReply(a: AuthorisationView, text?: string): Promise<Reply> {
    return card(await this.deps.cards.status(a), text);
  }

  /** Records back: the actor's own, or (for a manager) a team member's they name. */
  async markReturned(actor: StaffMember, reading: Reading): Promise<Reply[]> {
    const caseRef = reading.entities.caseRef?.value;
    const personName = reading.entities.personName?.value;
    let options = personName ? [] : await this.mine(actor, ['approved', 'return_requested'], caseRef);
    if (!options.length) {
      const team = await this.deps.removals.team(actor.id);
      options = [...team.overdue, ...team.outNow].filter(
        (a) =>
          a.can.canMarkReturned &&
          (!caseRef || a.caseRef === caseRef) &&
          (!personName || firstNameIs(a, personName)),
      );
    }
    if (!options.length)
      return [
        say(
          'Nothing to return',
          caseRef || personName
            ? `I found no records${scope(caseRef, personName)} out of the office on an authorisation you can close.`
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

  async withdraw(actor: StaffMember, reading: Reading): Promise<Reply[]> {
    const options = await this.mine(actor, ['pending'], reading.entities.caseRef?.value);
    if (!options.length) return [say('Nothing to withdraw', 'You have no requests waiting for a decision.')];
    if (options.length > 1)
      return this.choose('Which request? Press "Withdraw my request" on the right one.', options);
    const a = options[0]!;
    const outcome = await this.deps.removals.act(
      actor.id,
      a.id,
      { kind: 'withdraw', reason: reading.entities.reason?.value ?? null },
      a.version,
    );
    this.deps.notify();
    if (!outcome.ok) return [say('Not changed', outcome.refusal.message)];
    return [await this.authorisationReply(outcome.authorisation, DONE.withdraw(a))];
  }

  /**
   * "approve Sam's request for 2000274": that request's card, with its Approve and Decline
   * buttons. Nothing is decided from the words alone: the manager presses the button.
   */
  async decide(actor: StaffMember, reading: Reading): Promise<Reply[]> {
    const team = await this.deps.removals.team(actor.id);
    if (!team.teamView) return [say('Not for your role', NOT_A_MANAGER)];
    const caseRef = reading.entities.caseRef?.value;
    const personName = reading.entities.personName?.value;
    const decline = reading.entities.decision?.value === 'decline';
    const options = team.pending.filter(
      (a) =>
        a.can.canDecide && (!caseRef || a.caseRef === caseRef) && (!personName || firstNameIs(a, personName)),
    );
    if (!options.length)
      return [
        say(
          'Nothing to decide',
          `No request${scope(caseRef, personName)} is waiting for your decision. Say "approvals" to see your team’s requests.`,
        ),
      ];
    if (options.length > 1)
      return this.choose(
        `Which request? Press ${decline ? 'Decline' : 'Approve'} on the right one.`,
        options,
      );
    const a = options[0]!;
    return [
      await this.authorisationReply(
        a,
        decline
          ? `Here is ${a.requester.name}'s request for case ${a.caseRef}: press Decline and give the reason (they will see it).`
          : `Here is ${a.requester.name}'s request for case ${a.caseRef}: check it, then press Approve.`,
      ),
    ];
  }

  /**
   * A recall: the authorisation meant, on a card to check before it is sent, with the date to
   * have the records back by (an earlier one than agreed, when the manager named one) and the
   * reason, both editable. Several possible: their cards, to recall the right one.
   */
  async recall(actor: StaffMember, reading: Reading, day: IsoDate): Promise<Reply[]> {
    const team = await this.deps.removals.team(actor.id);
    if (!team.teamView) return [say('Not for your role', NOT_A_MANAGER)];
    const e = reading.entities;
    const caseRef = e.caseRef?.value;
    const personName = e.personName?.value;
    let options = [...team.overdue, ...team.outNow, ...team.leavingLater].filter((a) => a.can.canCancel);
    if (caseRef) options = options.filter((a) => a.caseRef === caseRef);
    if (personName) options = options.filter((a) => firstNameIs(a, personName));
    if (!options.length) {
      return [
        say(
          'Nothing to recall',
          `I found no approved authorisation${scope(caseRef, personName)} that you can cancel. Say "team" to see your team’s authorisations.`,
        ),
      ];
    }
    if (options.length > 1) {
      return this.choose(
        `${options.length} authorisations match${reading.filters ? ` (${reading.filters.description})` : ''}: use "Cancel and ask for the records back" on the right one.`,
        options.slice(0, 5),
      );
    }
    const a = options[0]!;
    const inDoubt = doubted(reading).has('returnBy');
    const doubts = questions(reading.doubts.filter((d) => d.entity === 'returnBy'));
    let returnBy: IsoDate = inDoubt ? '' : (e.returnBy?.value ?? a.returnOn);
    if (e.returnBy && !inDoubt) {
      // The rules decide which dates a recall may set: say so now, not when it is sent.
      const problem = recallDateProblem(e.returnBy.value, a.returnOn, day);
      if (problem) {
        doubts.push(`${withSource(formatDayDate(e.returnBy.value), e.returnBy)}: ${problem}`);
        returnBy = '';
      }
    }
    const read = lines(
      valueLine('Whose', e.personName),
      valueLine('Case', e.caseRef),
      dateLine('Back by', e.returnBy, returnBy === '' && !!e.returnBy),
      valueLine('Reason', e.reason),
    );
    return [
      card(
        recallCard({
          authorisation: a,
          returnBy,
          reason: e.reason?.value ?? '',
          today: day,
          read,
          doubts,
        }),
        `Check the date and the reason, then press "Send the recall". ${a.requester.name} is told both.`,
      ),
    ];
  }

  /** Cover for the manager's approvals until a date; a date in doubt is asked about first. */
  async setActing(actor: StaffMember, reading: Reading, choose: DateChoice): Promise<Reply> {
    const { personName, until } = reading.entities;
    if (!personName)
      return say(
        'Who will cover?',
        'Tell me who and until when, for example: "Priya is covering my approvals until 12 January".',
      );
    const candidates = await this.deps.people.colleaguesCalled(actor.id, personName.value);
    if (!candidates.length)
      return say(
        `I can’t find ${personName.value}`,
        `Nobody called ${personName.value} is in the staff directory.`,
      );
    if (candidates.length > 1)
      return say(
        `Which ${personName.value}?`,
        `There are ${candidates.length} people called ${personName.value}: ${candidates.map((c) => c.name).join(', ')}. Use their full name.`,
      );
    const acting = candidates[0]!;
    const doubt = reading.doubts.find((d) => d.entity === 'until');
    if (doubt) {
      return card(
        clarificationCard({
          prompt: doubt.question,
          note: `Choose the last day ${acting.name} covers your approvals. Nothing has been set yet.`,
          options: doubt.options.map((d) => choose(d, `Until ${formatDayDate(d)}`)),
          canDo: [],
        }),
      );
    }
    if (!until)
      return say(
        'Until when?',
        `Tell me the last day ${acting.name} should cover, for example: "${personName.value} is covering my approvals until 12 January".`,
      );
    const result = await this.deps.removals.setActing(actor.id, acting.id, until.value);
    if (!result.ok) return say('Not changed', result.message);
    return say(
      'Cover arranged',
      `${result.acting.name} can approve, decline and cancel your team’s requests until ${formatDate(result.until)} (inclusive). Say "end cover" when you are back.`,
      `Last day of cover: ${withSource(formatDayDate(until.value), until)}.`,
    );
  }

  async clearActing(actor: StaffMember): Promise<Reply> {
    const ended = await this.deps.removals.clearActing(actor.id);
    return ended
      ? say('Cover ended', 'Only you decide your team’s requests again.')
      : say('No cover in place', 'Nobody is covering your approvals.');
  }
}
