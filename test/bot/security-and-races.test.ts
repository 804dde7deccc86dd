import { describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/store/audit-verify.js';
import { BotHarness, cardOf, STAFF, textOf, type InvokeResult, type Person } from '../support/bot-harness.js';
import { cardIn, useBot, verbsOf as verbs, type Card } from '../support/bot-tests.js';

const NOT_IDENTIFIED = 'I could not tell who you are from Teams, so I have not done anything.';

describe('who may act, forged input, double clicks and races', () => {
  const bot = new BotHarness();
  let id: string;
  /** Sam has asked; Priya was sent the request. */
  const ready = async () => {
    id = await bot.submit('sam');
    await bot.deliverAll();
  };
  /** Tests that change nothing share one bot; the others get their own. */
  const sharedBot = () => useBot('all', { ready }, bot);
  const ownBot = () => useBot('each', { ready }, bot);

  async function unchanged(run: () => Promise<void>): Promise<void> {
    const before = await bot.stateCounts();
    const row = await bot.row(id);
    await run();
    await bot.deliverAll();
    expect(await bot.row(id)).toEqual(row);
    expect(await bot.stateCounts()).toEqual(before);
  }

  describe('only the line manager decides', () => {
    sharedBot();

    it('Sam cannot approve his own request', async () => {
      await unchanged(async () => {
        const card = cardIn(await bot.press('sam', 'removal.approve', { authorisationId: id, version: 1 }));
        expect(textOf(card)).toContain('You cannot decide on your own request: your line manager does that.');
        // Sam still sees his own request as it is, with only his own button.
        expect(textOf(card)).toContain('Waiting for Priya Shah to decide.');
        expect(verbs(card)).toEqual(['removal.withdraw']);
      });
    });

    it.each<[string, Person]>([
      ['a peer (Jo)', 'jo'],
      ['someone in another team (Chris)', 'chris'],
      ['the line manager’s manager (Helen)', 'helen'],
      ['records management (Morgan)', 'morgan'],
    ])('%s cannot approve or decline, and sees nothing of the request', async (_label, person) => {
      await unchanged(async () => {
        for (const [verb, extra] of [
          ['removal.approve', {}],
          ['removal.decline', { reason: 'no' }],
        ] as const) {
          const card = cardIn(await bot.press(person, verb, { authorisationId: id, version: 1, ...extra }));
          const text = textOf(card);
          expect(text).toContain('Not changed');
          expect(text).toContain(
            'Only the requester’s line manager, or a manager acting for them, can do that.',
          );
          expect(text).not.toContain('1234567');
          expect(text).not.toContain('court report');
          expect(verbs(card)).toEqual([]);
        }
      });
    });

    it('Jo cannot withdraw Sam’s request', async () => {
      await unchanged(async () => {
        const card = cardIn(await bot.press('jo', 'removal.withdraw', { authorisationId: id, version: 1 }));
        expect(textOf(card)).toContain('Only the person who made the request can withdraw it.');
      });
    });
  });

  describe('identity comes only from from.aadObjectId', () => {
    sharedBot();

    const invoke = (from: Record<string, unknown>, verb = 'removal.approve') =>
      bot.activity('priya', {
        from,
        type: 'invoke',
        name: 'adaptiveCard/action',
        replyToId: 'card-1',
        value: { action: { type: 'Action.Execute', verb, data: { authorisationId: id, version: 1 } } },
      });

    it.each([
      ['no aadObjectId', { id: '29:priya', name: 'Priya Shah' }],
      ['an empty aadObjectId', { id: '29:priya', name: 'Priya Shah', aadObjectId: '' }],
      ['a non-GUID aadObjectId', { id: '29:priya', name: 'Priya Shah', aadObjectId: 'priya' }],
      [
        'a GUID with something after it',
        { id: '29:priya', name: 'Priya Shah', aadObjectId: `${STAFF.priya}' or '1'='1` },
      ],
      ['a number', { id: '29:priya', aadObjectId: 42 }],
      ['no from at all', undefined],
    ])('an approve with %s gets a refusal card and changes nothing', async (_label, from) => {
      const before = await bot.tableCounts();
      const row = await bot.row(id);
      const activity = invoke(from ?? {});
      if (!from) delete activity.from;
      const { status, text } = await bot.post(activity);
      expect(status).toBe(200);
      const body = JSON.parse(text) as InvokeResult['body'];
      expect(body.statusCode).toBe(200);
      const card = body.value as Card;
      expect(textOf(card)).toContain(NOT_IDENTIFIED);
      expect(verbs(card)).toEqual([]);
      await bot.deliverAll();
      expect(await bot.row(id)).toEqual(row);
      expect(await bot.tableCounts()).toEqual(before);
    });

    it('a message with no aadObjectId is answered, and nothing is saved', async () => {
      const before = await bot.tableCounts();
      const { status } = await bot.post(
        bot.activity('priya', {
          from: { id: '29:someone', name: 'Priya Shah' },
          type: 'message',
          text: 'approve Sam’s request for 1234567',
        }),
      );
      expect(status).toBe(200);
      const reply = bot.connector.sentTo('personal-priya').at(-1)!;
      expect(reply.body.text).toContain(NOT_IDENTIFIED);
      expect(await bot.tableCounts()).toEqual(before);
      expect((await bot.row(id)).status).toBe('pending');
    });

    it('card data naming Priya as the actor or requester is ignored: Sam is still Sam', async () => {
      const forged = {
        authorisationId: id,
        version: 1,
        actorId: STAFF.priya,
        requesterId: STAFF.priya,
        aadObjectId: STAFF.priya,
        decidedBy: STAFF.priya,
        from: { aadObjectId: STAFF.priya },
      };
      await unchanged(async () => {
        const card = cardIn(await bot.press('sam', 'removal.approve', forged));
        expect(textOf(card)).toContain('You cannot decide on your own request');
        const jo = cardIn(await bot.press('jo', 'removal.approve', forged));
        expect(textOf(jo)).toContain('Only the requester’s line manager');
      });
    });

    it('a display name or Teams id of Priya with Jo’s aadObjectId is Jo', async () => {
      await unchanged(async () => {
        const { text } = await bot.post(
          bot.activity('jo', {
            from: { id: '29:priya', name: 'Priya Shah', aadObjectId: STAFF.jo },
            type: 'invoke',
            name: 'adaptiveCard/action',
            value: {
              action: {
                type: 'Action.Execute',
                verb: 'removal.approve',
                data: { authorisationId: id, version: 1 },
              },
            },
          }),
        );
        const body = JSON.parse(text) as InvokeResult['body'];
        expect(textOf(body.value as Card)).toContain('Only the requester’s line manager');
      });
    });

    it('a forged requester on the form is ignored: the request is Sam’s', async () => {
      const forgedId = await bot.submit(
        'sam',
        { requesterId: STAFF.jo, actorId: STAFF.jo } as never,
        'form-2',
      );
      expect(await bot.row(forgedId)).toMatchObject({ requester_id: STAFF.sam, status: 'pending' });
    });
  });

  describe('double clicks', () => {
    ownBot();

    it('Priya pressing approve twice on the same card: one transition, and the second answer is the approved card', async () => {
      const first = cardIn(await bot.press('priya', 'removal.approve', { authorisationId: id, version: 1 }));
      const second = cardIn(await bot.press('priya', 'removal.approve', { authorisationId: id, version: 1 }));
      for (const card of [first, second]) {
        expect(textOf(card)).toContain('Approved by Priya Shah');
        expect(verbs(card)).toEqual(['removal.cancel', 'removal.returned']);
      }
      expect(textOf(second)).not.toContain('has changed since you last saw it');
      expect(await bot.row(id)).toMatchObject({ status: 'approved', version: 2 });
      const history = await bot.history(id);
      expect(history.filter((h) => h.to_status === 'approved')).toHaveLength(1);
      expect(history.map((h) => h.version)).toEqual([1, 2]);
      expect(await bot.auditActions(id)).toEqual(['removal.requested', 'removal.approve']);
      await bot.deliverAll();
      const toSam = (await bot.sentToPerson('sam')).filter((m) => String(m.text).includes('approved'));
      expect(toSam).toHaveLength(1);
    });

    it('two simultaneous approve presses by Priya: one transition, both answers show it approved', async () => {
      const results = await Promise.all([
        bot.press('priya', 'removal.approve', { authorisationId: id, version: 1 }),
        bot.press('priya', 'removal.approve', { authorisationId: id, version: 1 }),
      ]);
      for (const r of results) expect(textOf(cardIn(r))).toContain('Approved by Priya Shah');
      expect(await bot.row(id)).toMatchObject({ status: 'approved', version: 2 });
      expect((await bot.history(id)).filter((h) => h.to_status === 'approved')).toHaveLength(1);
      await bot.deliverAll();
      expect((await bot.outbox('removal.approved')).length).toBe(1);
      expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
    });
  });

  describe('races', () => {
    ownBot();

    it.each<
      [
        string,
        [Person, string, Record<string, unknown>, string],
        [Person, string, Record<string, unknown>, string],
      ]
    >([
      [
        'approve against decline',
        ['priya', 'removal.approve', {}, 'approved'],
        ['priya', 'removal.decline', { reason: 'Not this week' }, 'declined'],
      ],
      [
        'Priya’s approve against Sam’s withdraw',
        ['priya', 'removal.approve', {}, 'approved'],
        ['sam', 'removal.withdraw', {}, 'withdrawn'],
      ],
    ])('%s: exactly one wins, the other is told the current state', async (_label, a, b) => {
      const [ra, rb] = await Promise.all(
        [a, b].map(([person, verb, extra]) =>
          bot.press(person, verb, { authorisationId: id, version: 1, ...extra }, `card-${person}`),
        ),
      );
      const row = await bot.row(id);
      expect(row.version).toBe(2);
      const winner = row.status === a[3] ? 0 : 1;
      expect(row.status).toBe([a, b][winner]![3]);
      const cards = [cardIn(ra!), cardIn(rb!)];
      const loserCard = textOf(cards[1 - winner]!);
      expect(loserCard).toContain(
        `This request has changed since you last saw it: it is now ${row.status}. Nothing was changed.`,
      );
      expect(textOf(cards[winner]!)).not.toContain('has changed since you last saw it');

      const history = await bot.history(id);
      expect(history.map((h) => [h.version, h.from_status, h.to_status])).toEqual([
        [1, null, 'pending'],
        [2, 'pending', row.status],
      ]);
      const audit = await bot.auditActions(id);
      expect(audit).toHaveLength(2);
      expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
      await bot.deliverAll();
      // Only the winner's news goes out.
      const news = (await bot.outbox()).filter(
        (r) => r.kind !== 'removal.approval_request' && r.kind !== 'card.refresh',
      );
      expect(news).toHaveLength(1);
      expect(news[0]!.kind).toBe(`removal.${row.status}`);
    });
  });

  describe('stale cards', () => {
    ownBot();

    it('Priya approving from a version-1 card after Sam withdrew: refused, naming the state, nothing changes', async () => {
      cardIn(await bot.press('sam', 'removal.withdraw', { authorisationId: id, version: 1 }, 'form-sam'));
      await bot.deliverAll();
      expect(await bot.row(id)).toMatchObject({ status: 'withdrawn', version: 2 });
      await unchanged(async () => {
        const card = cardIn(await bot.press('priya', 'removal.approve', { authorisationId: id, version: 1 }));
        expect(textOf(card)).toContain(
          'This request has changed since you last saw it: it is now withdrawn. Nothing was changed.',
        );
        expect(textOf(card)).toContain('Withdrawn by the requester.');
        expect(verbs(card)).toEqual([]);
      });
      expect(await bot.auditActions(id)).toEqual(['removal.requested', 'removal.withdraw']);
    });

    it('a card that refreshes shows the current state without changing anything', async () => {
      cardIn(await bot.press('sam', 'removal.withdraw', { authorisationId: id, version: 1 }, 'form-sam'));
      await bot.deliverAll();
      await unchanged(async () => {
        const card = cardIn(await bot.press('priya', 'removal.refresh', { authorisationId: id, version: 1 }));
        expect(textOf(card)).toContain('Withdrawn by the requester.');
        const jo = cardIn(await bot.press('jo', 'removal.refresh', { authorisationId: id, version: 1 }));
        expect(textOf(jo)).toContain('Only the requester and their line manager can see this request.');
        expect(textOf(jo)).not.toContain('court report');
      });
    });
  });

  describe('cards', () => {
    ownBot();

    it('cards pressed in Teams keep showing the right state to each person', async () => {
      const pressed = cardIn(
        await bot.press('priya', 'removal.approve', { authorisationId: id, version: 1 }, 'priya-card'),
      );
      // The pressed card is answered with the new state; Sam's form is updated to it.
      expect(verbs(pressed)).toEqual(['removal.cancel', 'removal.returned']);
      await bot.deliverAll();
      const samUpdate = bot.connector
        .updates()
        .find((u) => u.conversationId === 'personal-sam' && u.activityId === 'form-sam');
      expect(verbs(cardOf(samUpdate!.body))).toEqual(['removal.returned']);
      // Priya's card, updated too or not (it may be sent before the pressed card is recorded),
      // never shows anything else.
      for (const update of bot.connector.updates().filter((u) => u.activityId === 'priya-card'))
        expect(verbs(cardOf(update.body))).toEqual(['removal.cancel', 'removal.returned']);
      // Once recorded, the pressed card follows every later change.
      cardIn(await bot.press('sam', 'removal.returned', { authorisationId: id, version: 2 }, 'form-sam'));
      await bot.deliverAll();
      const later = bot.connector.updates().filter((u) => u.activityId === 'priya-card');
      expect(later.length).toBeGreaterThan(0);
      expect(verbs(cardOf(later.at(-1)!.body))).toEqual([]);
    });
  });
});
