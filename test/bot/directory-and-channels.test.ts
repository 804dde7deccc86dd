import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VERBS } from '../../src/actions/verbs.js';
import { NOT_SENT_PERSONALLY, SENT_PERSONALLY } from '../../src/bot/card-actions.js';
import { NOT_SET_UP } from '../../src/rules/index.js';
import {
  BotHarness,
  cardOf,
  REQUEST_FORM,
  STAFF,
  TENANT,
  textOf,
  type Person,
} from '../support/bot-harness.js';

// Only members of the staff directory get anything about a case, in chat and on cards; anyone else
// (never in it, or a leaver) gets one sentence, and may still ask how long records are kept and
// what the procedure says. Case lookups are limited per person per hour. In a team channel or a
// group chat the bot answers there only what holds no case data; anything about a case, a person
// or a request goes to the asker's 1:1 chat, with a pointer where they asked.

/** What a case's retention card would give away: record titles, dates, hold references. */
const CASE_DETAILS = /Section 47 enquiry|Health assessments|LL-400109|PF-400149|Counted from|\b20\d\d\b|LIT-/;

const CHANNEL = '19:records-team@thread.tacv2;messageid=1700000000000';
const GROUP = '19:meeting-group@thread.v2';

describe('directory members only', () => {
  const bot = new BotHarness();
  beforeAll(async () => {
    await bot.start({ CASE_LOOKUPS_PER_HOUR: '3' });
  });
  afterAll(async () => {
    await bot.stop();
  });

  /** An activity from someone Teams knows but the staff directory does not. */
  const stranger = (fields: Record<string, unknown>) => {
    const activity = bot.activity('chris', fields);
    activity.from = { id: '29:stranger', name: 'Stranger', aadObjectId: randomUUID() };
    activity.conversation = { id: 'personal-stranger', conversationType: 'personal', tenantId: TENANT };
    return activity;
  };
  const strangerSays = async (text: string) => {
    const before = bot.connector.sentTo('personal-stranger').length;
    expect((await bot.post(stranger({ type: 'message', text }))).status).toBe(200);
    return bot.connector
      .sentTo('personal-stranger')
      .slice(before)
      .map((c) => textOf(cardOf(c.body)) || String(c.body.text));
  };
  const strangerPresses = async (verb: string, data: unknown) => {
    const { text } = await bot.post(
      stranger({
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb, data } },
      }),
    );
    return JSON.parse(text) as { statusCode: number; value: Record<string, unknown> };
  };

  it('someone not in the directory asking about a case gets one sentence and nothing of the case', async () => {
    const before = await bot.stateCounts();
    for (const question of [
      'what is the retention status of case 1234567?',
      'when can LL-400109 be destroyed?',
      'case retention 1234567',
      'I need to take 1234567 home tonight, back tomorrow',
      'what have I got out?',
      'any approvals waiting for me?',
    ]) {
      const replies = await strangerSays(question);
      expect(replies, question).toHaveLength(1);
      expect(replies[0], question).toContain(NOT_SET_UP);
      expect(replies[0], question).not.toMatch(CASE_DETAILS);
    }
    expect(await bot.stateCounts()).toEqual(before);
  });

  it('they may still ask how long records are kept, and what the procedure says', async () => {
    const [kept] = await strangerSays('how long do we keep CP records?');
    expect(kept).toMatch(/How long we keep: Child protection/);
    const [procedure] = await strangerSays('can I use a memory stick at home?');
    expect(procedure).toMatch(/section/i);
    expect(procedure).not.toContain(NOT_SET_UP);
  });

  it('every card action gets the sentence: nothing is looked up, shown or changed', async () => {
    const id = await bot.submit('sam');
    const before = await bot.stateCounts();
    for (const [verb, data] of [
      [VERBS.show, { authorisationId: id }],
      [VERBS.refresh, { authorisationId: id }],
      [VERBS.approve, { authorisationId: id, version: 1 }],
      [VERBS.submit, REQUEST_FORM],
      [VERBS.due, {}],
      [VERBS.batchShow, { id: 'DB-2026-0001' }],
      [VERBS.holdPlace, { caseRef: '1234567', type: 'litigation', reference: 'X', reason: 'A claim' }],
    ] as const) {
      const answer = await strangerPresses(verb, data);
      expect(answer.statusCode, verb).toBe(200);
      const text = textOf(answer.value);
      expect(text, verb).toContain(NOT_SET_UP);
      expect(text, verb).not.toMatch(CASE_DETAILS);
    }
    // "Did you mean" carries out what was chosen as if typed: the answer follows as a message.
    const sent = bot.connector.sentTo('personal-stranger').length;
    await strangerPresses('chat.reading', {
      text: 'retention status of case 1234567',
      intent: 'retention.case',
    });
    const [reply] = bot.connector.sentTo('personal-stranger').slice(sent);
    expect(textOf(cardOf(reply!.body))).toContain(NOT_SET_UP);
    expect(textOf(cardOf(reply!.body))).not.toMatch(CASE_DETAILS);
    expect(await bot.stateCounts()).toEqual(before);
  });

  it('a leaver is treated the same as someone never in the directory', async () => {
    await bot.app.store.db
      .updateTable('staff')
      .set({ left_on: '2026-11-20' })
      .where('aad_object_id', '=', STAFF.alex)
      .execute();
    const [reply] = (await bot.say('alex', 'retention status of case 1234567')).map((b) => textOf(cardOf(b)));
    expect(reply).toContain(NOT_SET_UP);
    expect(reply).not.toMatch(CASE_DETAILS);
  });

  it('case lookups are limited per person per hour, with a clear sentence; the hour slides', async () => {
    const status = async (person: Person, ref: string) =>
      textOf(cardOf((await bot.say(person, `retention status of case ${ref}`))[0]!));
    expect(await status('jo', '1234567')).toContain('Retention status of case 1234567');
    expect(await status('jo', '9999999')).toContain('not in the records inventory');
    bot.clock.advanceHours(0.5);
    expect(await status('jo', '1600229')).toContain('Retention status of case 1600229');
    // The fourth within the hour, found or not, is refused and says when to try again.
    const refused = await status('jo', '1234567');
    expect(refused).toContain(
      'You have looked up 3 cases in the last hour, the most allowed, so I have not looked this one up; you can look up another case from 10:00.',
    );
    expect(refused).not.toMatch(CASE_DETAILS);
    // A removal form names the case's records: it counts, and is refused too.
    const form = textOf(
      cardOf((await bot.say('jo', 'I need to take 1234567 home tonight, back tomorrow'))[0]!),
    );
    expect(form).toContain('You have looked up 3 cases');
    // Someone else is not held back.
    expect(await status('sam', '1234567')).toContain('Retention status of case 1234567');
    // Once the first two lookups are an hour old, two more may be made.
    bot.clock.advanceHours(0.5);
    expect(await status('jo', '1234567')).toContain('Retention status of case 1234567');
    expect(await status('jo', '1600229')).toContain('Retention status of case 1600229');
    expect(await status('jo', '1234567')).toContain('another case from 10:30.');
  });
});

describe('team channels and group chats', () => {
  const bot = new BotHarness();
  beforeAll(async () => {
    await bot.start();
    await bot.say('sam', 'hello'); // Sam has a 1:1 chat with the bot; Rosa never wrote to it.
  });
  afterAll(async () => {
    await bot.stop();
  });
  beforeEach(() => bot.connector.clear());

  const inConversation = (person: Person, kind: 'channel' | 'groupChat', fields: Record<string, unknown>) => {
    const activity = bot.activity(person, fields);
    activity.conversation = {
      id: kind === 'channel' ? CHANNEL : GROUP,
      conversationType: kind,
      isGroup: true,
      tenantId: TENANT,
    };
    if (kind === 'channel')
      activity.channelData = { tenant: { id: TENANT }, team: { id: '19:team' }, channel: { id: CHANNEL } };
    return activity;
  };
  const says = async (person: Person, kind: 'channel' | 'groupChat', text: string) => {
    const { status } = await bot.post(inConversation(person, kind, { type: 'message', text }));
    expect(status).toBe(200);
    const here = kind === 'channel' ? CHANNEL : GROUP;
    return {
      here: bot.connector.sentTo(here).map((c) => textOf(cardOf(c.body)) || String(c.body.text)),
      personal: (await bot.sentToPerson(person)).map((b) => textOf(cardOf(b)) || String(b.text)),
    };
  };

  it.each(['channel', 'groupChat'] as const)(
    '%s: a case question is answered in the 1:1 chat, with a pointer where it was asked',
    async (kind) => {
      const { here, personal } = await says(
        'sam',
        kind,
        '<at>Case Records</at> retention status of case 1234567',
      );
      expect(here).toEqual([SENT_PERSONALLY]);
      expect(personal.join('\n')).toContain('Retention status of case 1234567');
      expect(personal.join('\n')).toContain('Section 47 enquiry');
    },
  );

  it.each(['channel', 'groupChat'] as const)(
    '%s: how long records are kept, and the procedure, are answered where they were asked',
    async (kind) => {
      const kept = await says('sam', kind, 'how long do we keep adoption records?');
      expect(kept.here.join('\n')).toMatch(/How long we keep: Adoption/);
      const procedure = await says('sam', kind, 'who destroys records?');
      expect(procedure.here.join('\n')).toMatch(/Records Management Service/);
      expect((await bot.sentToPerson('sam')).length).toBe(0);
    },
  );

  it('help in a channel says what can be asked, never the person’s own work', async () => {
    await bot.submit('sam');
    bot.connector.clear();
    const { here } = await says('sam', 'channel', 'help');
    expect(here.join('\n')).toContain('Here is what you can ask me.');
    expect(here.join('\n')).not.toMatch(/of your requests|records for case/);
  });

  it('a request in a group chat opens its form in the 1:1 chat, never in the group', async () => {
    const { here, personal } = await says(
      'sam',
      'groupChat',
      'I need to take 2003417 home tonight, back tomorrow',
    );
    expect(here).toEqual([SENT_PERSONALLY]);
    expect(personal.join('\n')).toContain('2003417');
    const group = bot.connector.sentTo(GROUP);
    expect(group.every((c) => cardOf(c.body) === null)).toBe(true);
  });

  it('someone who never wrote to the bot gets a new 1:1 chat, opened through the channel’s service', async () => {
    const { here, personal } = await says('rosa', 'channel', 'retention status of case 1600229');
    expect(here).toEqual([SENT_PERSONALLY]);
    const created = bot.connector.created();
    expect(created).toHaveLength(1);
    expect(created[0]!.body).toMatchObject({
      isGroup: false,
      members: [{ id: STAFF.rosa }],
      tenantId: TENANT,
    });
    expect(personal.join('\n')).toContain('Retention status of case 1600229');
  });

  it('when the 1:1 chat cannot be reached, the channel is told so and shown nothing', async () => {
    bot.connector.fail(403, 5, (call) => call.conversationId === null);
    const { here } = await says('tom', 'channel', 'retention status of case 1234567');
    expect(here).toEqual([NOT_SENT_PERSONALLY]);
  });

  it('a card action pressed in a channel is answered in the 1:1 chat', async () => {
    const id = await bot.submit('sam');
    bot.connector.clear();
    const { status, text } = await bot.post(
      inConversation('sam', 'channel', {
        type: 'invoke',
        name: 'adaptiveCard/action',
        replyToId: 'channel-card',
        value: { action: { type: 'Action.Execute', verb: VERBS.show, data: { authorisationId: id } } },
      }),
    );
    expect(status).toBe(200);
    const answer = JSON.parse(text) as { value: Record<string, unknown> };
    expect(textOf(answer.value)).toContain(SENT_PERSONALLY);
    expect(textOf(answer.value)).not.toContain('1234567');
    const personal = (await bot.sentToPerson('sam')).map((b) => textOf(cardOf(b)));
    expect(personal.join('\n')).toContain('Removal of case records: case 1234567');
  });

  it('a "did you mean" button pressed in a channel sends a case answer 1:1', async () => {
    const { text } = await bot.post(
      inConversation('sam', 'channel', {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: {
          action: {
            type: 'Action.Execute',
            verb: 'chat.reading',
            data: { text: 'retention status of case 1234567', intent: 'retention.case' },
          },
        },
      }),
    );
    const answer = JSON.parse(text) as { value: Record<string, unknown> };
    expect(textOf(answer.value)).toContain(SENT_PERSONALLY);
    expect(textOf(answer.value)).not.toContain('Section 47');
    expect(bot.connector.sentTo(CHANNEL)).toHaveLength(0);
    expect((await bot.sentToPerson('sam')).map((b) => textOf(cardOf(b))).join('\n')).toContain(
      'Section 47 enquiry',
    );
  });
});
