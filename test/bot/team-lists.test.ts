import { describe, expect, it } from 'vitest';
import { cardOf, textOf } from '../support/bot-harness.js';
import { useBot } from '../support/bot-tests.js';

// A manager's lists in chat: records are out of the office only once the out date has come;
// a removal approved to start later has a heading of its own.

describe('a line manager asks what is waiting', () => {
  const bot = useBot('each');

  it('lists a removal out today under "Out of the office now" and one that starts later apart', async () => {
    const today = await bot.submit('sam');
    const later = await bot.submit('jo', { caseRef: '1600229', outOn: '2026-11-30', returnOn: '2026-12-02' });
    const waiting = await bot.submit('alex', { caseRef: '1600229' });
    for (const id of [today, later])
      expect((await bot.press('priya', 'removal.approve', { authorisationId: id, version: 1 })).status).toBe(
        200,
      );

    const [reply] = await bot.say('priya', 'any approvals waiting for me?');
    const text = textOf(cardOf(reply!));
    const section = (heading: string, next: string) =>
      text.slice(text.indexOf(heading), next ? text.indexOf(next) : undefined);
    expect(text.indexOf('Out of the office now')).toBeGreaterThan(-1);
    expect(text.indexOf('Approved, leaving later')).toBeGreaterThan(text.indexOf('Out of the office now'));
    const waitingPart = section('Waiting for your decision', 'Out of the office now');
    const outPart = section('Out of the office now', 'Approved, leaving later');
    const laterPart = section('Approved, leaving later', '');
    expect(waitingPart).toContain('Alex Morgan');
    expect(outPart).toContain('Sam Taylor');
    expect(outPart).not.toContain('Jo Patel');
    expect(laterPart).toContain('Jo Patel');
    expect(laterPart).not.toContain('Sam Taylor');
    expect((await bot.row(waiting)).status).toBe('pending');
  });
});
