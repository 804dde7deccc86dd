import { describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/store/audit-verify.js';
import { actionsOf, cardOf, REQUEST_FORM as FORM, STAFF, textOf } from '../support/bot-harness.js';
import { useBot } from '../support/bot-tests.js';

describe('removal over HTTP', () => {
  const bot = useBot('each');

  it('request, approve, return: each person sees the right card and the audit chain holds', async () => {
    const replies = await bot.say(
      'sam',
      'I need to take the file for case 1234567 home tonight to finish the court report, back Friday',
    );
    const form = cardOf(replies[0]!);
    expect(textOf(form)).toContain('Take case records out of the office');
    expect(JSON.stringify(form)).toContain('"value":"1234567"');
    expect(actionsOf(form).map((a) => a.verb)).toEqual(['removal.submit']);

    const submitted = await bot.press('sam', 'removal.submit', FORM, 'form-1');
    expect(submitted.status).toBe(200);
    expect(submitted.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const samCard = submitted.body.value as Record<string, unknown>;
    expect(textOf(samCard)).toContain('Waiting for Priya Shah');
    expect(actionsOf(samCard).map((a) => a.verb)).toEqual(['removal.withdraw']);
    const id = actionsOf(samCard)[0]!.data.authorisationId as string;
    expect((await bot.row(id)).status).toBe('pending');

    // Priya has never written to the bot: a 1:1 conversation is created for her.
    await bot.deliver();
    const created = bot.connector.created();
    expect(created).toHaveLength(1);
    expect(JSON.stringify(created[0]!.body)).toContain(STAFF.priya);
    const priyaMessage = bot.connector.calls.find(
      (c) => c.method === 'POST' && c.conversationId?.startsWith('created-'),
    );
    expect(priyaMessage?.body.text).toContain('Sam Taylor asks to take records for case 1234567');
    const priyaCard = cardOf(priyaMessage!.body);
    expect(actionsOf(priyaCard).map((a) => a.verb)).toEqual(['removal.approve', 'removal.decline']);

    const approved = await bot.press(
      'priya',
      'removal.approve',
      { authorisationId: id, version: 1 },
      'priya-card',
    );
    expect(approved.status).toBe(200);
    expect(textOf(approved.body.value as Record<string, unknown>)).toContain('Approved by Priya Shah');
    expect(await bot.row(id)).toMatchObject({ status: 'approved', version: 2, decided_by: STAFF.priya });

    await bot.deliver();
    const toSam = bot.connector.sentTo('personal-sam').at(-1)!;
    expect(toSam.body.text).toContain('Priya Shah approved your request for case 1234567');
    // Sam's original card is brought up to date in place.
    const update = bot.connector
      .updates()
      .find((u) => u.conversationId === 'personal-sam' && u.activityId === 'form-1');
    expect(textOf(cardOf(update!.body))).toContain('Approved by Priya Shah');

    const returned = await bot.say('sam', "I've brought the file for 1234567 back");
    expect(returned.at(-1)!.text).toContain('back in the office');
    expect((await bot.row(id)).status).toBe('returned');

    const audit = await verifyAudit(bot.app.store.db);
    expect(audit).toMatchObject({ ok: true });
    const actions = await bot.app.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'removal.requested',
      'removal.approve',
      'removal.mark_returned',
    ]);
  });
});
