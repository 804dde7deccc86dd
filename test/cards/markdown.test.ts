import { describe, expect, it } from 'vitest';
import { VERBS } from '../../src/actions/verbs.js';
import { CARD_BUILDERS, type CardJson } from '../../src/cards/index.js';
import { escapeMarkdown } from '../../src/cards/render.js';
import { defaultSchedule } from '../../src/rules/index.js';
import { actionsOf } from '../support/bot-harness.js';
import { markdownSinks } from '../support/markdown.js';
import {
  authorisation,
  batch,
  caseStatus,
  COVER,
  decisionView,
  DUE,
  ENTRY,
  MORGAN,
  PREVIEW,
  PRIYA,
  REVIEW,
  REVIEW_ITEM,
  SAM,
  SAR_HOLD,
  TODAY,
} from './examples.js';
import { cardProblems } from './validate.js';

// What people type (and what the inventory and directory hold) is text on every card: markdown in
// it is escaped where Adaptive Cards render markdown (TextBlock text, FactSet titles and values),
// so "[Approve here](https://evil…)" reads as typed and is never a live link, and left exactly as
// typed where a card sends it back (inputs' values, button data).

const LINK = '[Approve here](https://evil.example/approve)';
const HOSTILE = `${LINK} **urgent** _now_ <https://evil.example/x> \`code\` ~~gone~~ | a \\ b\n- item\n# heading\n1. first`;

/**
 * Markdown that would do something: an unescaped character that starts a link, emphasis, code or
 * an HTML tag, or a line (after the first) that starts a heading or a list.
 */
function liveMarkdown(text: string): string[] {
  const problems: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      i += 1;
      continue;
    }
    if ('[]<>*_`~|'.includes(c)) problems.push(`"${c}" at ${i}`);
  }
  for (const line of text.split('\n').slice(1))
    if (/^\s*(#|[-+] |\d+[.)] )/.test(line)) problems.push(`line "${line.slice(0, 20)}"`);
  return problems;
}

/** Each builder that shows text from people, the inventory or the directory, given that text. */
const CARDS: Record<string, () => CardJson> = {
  removalFormCard: () =>
    CARD_BUILDERS.removalFormCard({
      formId: 'form-x',
      form: {
        caseRef: '1234567',
        managerName: HOSTILE,
        caseUnknown: false,
        records: [{ id: 'LL-1', title: HOSTILE }],
      },
      values: {
        caseRef: '1234567',
        recordIds: ['LL-1'],
        purpose: 'home_working',
        destination: HOSTILE,
        outOn: TODAY,
        returnOn: null,
        justification: HOSTILE,
        acknowledged: false,
        unknownCaseConfirmed: false,
      },
      problems: [{ field: 'destination', code: 'x', message: HOSTILE }],
      today: TODAY,
      read: [{ title: 'Where', value: HOSTILE }],
      doubts: [HOSTILE],
    }),
  removalStatusCard: () =>
    CARD_BUILDERS.removalStatusCard(
      authorisation('declined', PRIYA, {
        destination: HOSTILE,
        justification: HOSTILE,
        reason: HOSTILE,
        records: [{ id: 'LL-1', title: HOSTILE }],
        requester: { ...SAM, name: HOSTILE },
      }),
      { refreshUserIds: [], notice: HOSTILE },
    ),
  recallCard: () =>
    CARD_BUILDERS.recallCard({
      authorisation: authorisation('approved', PRIYA, {
        destination: HOSTILE,
        records: [{ id: 'LL-1', title: HOSTILE }],
        requester: { ...SAM, name: HOSTILE },
      }),
      returnBy: TODAY,
      reason: HOSTILE,
      today: TODAY,
      read: [{ title: 'Reason', value: HOSTILE }],
      doubts: [HOSTILE],
    }),
  authorisationListCard: () =>
    CARD_BUILDERS.authorisationListCard(
      'Your requests',
      [
        {
          heading: 'Open',
          items: [
            authorisation('pending', SAM, { destination: HOSTILE, requester: { ...SAM, name: HOSTILE } }),
          ],
        },
      ],
      '',
    ),
  messageCard: () =>
    CARD_BUILDERS.messageCard({
      title: HOSTILE,
      lines: [HOSTILE],
      facts: [{ title: HOSTILE, value: HOSTILE }],
    }),
  helpCard: () => CARD_BUILDERS.helpCard(HOSTILE, { roles: ['case_worker'], work: [HOSTILE] }),
  clarificationCard: () =>
    CARD_BUILDERS.clarificationCard({
      prompt: `I'm not sure what you meant by "${HOSTILE}".`,
      note: HOSTILE,
      options: [{ title: HOSTILE, verb: 'chat.reading', data: { text: HOSTILE, intent: 'help' } }],
      canDo: [{ title: HOSTILE, example: HOSTILE }],
    }),
  caseRetentionCard: () => {
    const status = caseStatus();
    const [first, ...rest] = status.records;
    return CARD_BUILDERS.caseRetentionCard(
      {
        ...status,
        records: [
          {
            ...first!,
            title: HOSTILE,
            holds: [{ id: 'h', type: 'litigation', reference: HOSTILE, scope: 'case' }],
          },
          ...rest,
        ],
      },
      TODAY,
    );
  },
  holdFormCard: () =>
    CARD_BUILDERS.holdFormCard({
      caseRef: '1234567',
      recordId: '',
      type: 'litigation',
      reference: HOSTILE,
      reason: HOSTILE,
      sarReceivedOn: '',
      today: TODAY,
      problem: HOSTILE,
    }),
  holdsListCard: () =>
    CARD_BUILDERS.holdsListCard(
      HOSTILE,
      [{ ...SAR_HOLD, reference: HOSTILE, reason: HOSTILE, placedBy: HOSTILE }],
      { canRelease: true, emptyText: '', notice: HOSTILE, today: TODAY },
    ),
  dueCard: () =>
    CARD_BUILDERS.dueCard(
      { ...DUE, records: DUE.records.map((r) => ({ ...r, title: HOSTILE })) },
      defaultSchedule,
      '',
      HOSTILE,
    ),
  batchCard: () => {
    const b = batch('confirmed', MORGAN);
    return CARD_BUILDERS.batchCard(
      {
        ...b,
        certificateRef: HOSTILE,
        createdBy: { ...b.createdBy, name: HOSTILE },
        items: b.items.map((i) => ({ ...i, title: HOSTILE, reasons: [HOSTILE] })),
      },
      { certificateUrl: '', notice: HOSTILE },
    );
  },
  batchListCard: () =>
    CARD_BUILDERS.batchListCard([
      {
        id: 'b1',
        reference: HOSTILE,
        status: 'awaiting_confirmation',
        statusLabel: 'Waiting',
        createdBy: { id: MORGAN.id, name: HOSTILE },
        createdAt: '2026-11-26T09:00:00.000Z',
        counts: { records: 1, passing: 1, blocked: 0, destroyed: 0 },
      } as unknown as Parameters<typeof CARD_BUILDERS.batchListCard>[0][number],
    ]),
  batchPreviewCard: () =>
    CARD_BUILDERS.batchPreviewCard({
      ...PREVIEW,
      notice: HOSTILE,
      blockedRecords: PREVIEW.blockedRecords.map((r) => ({ ...r, title: HOSTILE, reasons: [HOSTILE] })),
    }),
  blanketHoldFormCard: () =>
    CARD_BUILDERS.blanketHoldFormCard(
      {
        type: 'inquiry',
        name: HOSTILE,
        reference: HOSTILE,
        reason: HOSTILE,
        startsOn: TODAY,
        endsOn: '',
        classes: 'child-protection',
        problem: HOSTILE,
      },
      defaultSchedule,
    ),
  reviewCard: () =>
    CARD_BUILDERS.reviewCard(
      { ...REVIEW, records: REVIEW.records.map((r) => ({ ...r, title: HOSTILE })) },
      defaultSchedule,
      HOSTILE,
    ),
  reviewDecisionCard: () =>
    CARD_BUILDERS.reviewDecisionCard({
      selection: { recordIds: ['LL-400167'] },
      cover: { ...COVER, total: 1, records: [{ ...REVIEW_ITEM, title: HOSTILE }] },
      values: { decision: 'keep', reason: HOSTILE, keepYears: '5', accessionRef: '', archive: '' },
      problem: HOSTILE,
      read: [{ title: 'Reason', value: HOSTILE }],
    }),
  reviewDecidedCard: () =>
    CARD_BUILDERS.reviewDecidedCard(
      [decisionView('transfer', { reason: HOSTILE, archive: HOSTILE })],
      HOSTILE,
    ),
  registerCard: () =>
    CARD_BUILDERS.registerCard(
      HOSTILE,
      [
        {
          ...ENTRY,
          recordClass: HOSTILE,
          authorisedBy: { ...ENTRY.authorisedBy, name: HOSTILE },
          destroyedBy: { ...ENTRY.destroyedBy, name: HOSTILE },
        },
      ],
      1,
      { csvUrl: '', xlsxUrl: '' },
    ),
};

describe('markdown in what a card shows is text', () => {
  it.each(Object.entries(CARDS))(
    '%s: no live link or emphasis, and the text still reads as typed',
    (_name, build) => {
      const card = build();
      expect(cardProblems(card)).toEqual([]);
      const sinks = markdownSinks(card);
      const live = sinks.flatMap((text) =>
        liveMarkdown(text).map((p) => `${p} in ${JSON.stringify(text.slice(0, 80))}`),
      );
      expect(live).toEqual([]);
      // The escaped text is there to read, whole or in part, on the card.
      expect(sinks.some((text) => text.includes(escapeMarkdown(LINK)))).toBe(true);
    },
  );

  it('every card builder that shows such text is covered', () => {
    const quiet = [
      'unknownClassCard',
      'classAnswerCard',
      'classChoiceCard',
      'procedureAnswerCard',
      'procedureTopicsCard',
    ];
    expect(
      Object.keys(CARD_BUILDERS)
        .filter((b) => !quiet.includes(b))
        .sort(),
    ).toEqual(Object.keys(CARDS).sort());
  });

  it('what a card sends back is exactly what was typed: form values and button data', () => {
    const form = CARDS.removalFormCard!();
    const inputs: Record<string, unknown> = {};
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (typeof n.type === 'string' && n.type.startsWith('Input.') && typeof n.id === 'string')
        inputs[n.id] = n.value;
      Object.values(n).forEach(walk);
    };
    walk(form);
    expect(inputs).toMatchObject({ destination: HOSTILE, justification: HOSTILE });
    const hold = CARDS.holdFormCard!();
    walk(hold);
    expect(inputs).toMatchObject({ reference: HOSTILE, reason: HOSTILE });
    const buttons = actionsOf(CARDS.clarificationCard!());
    expect(buttons.find((b) => b.verb === 'chat.reading')).toMatchObject({
      title: HOSTILE,
      data: { text: HOSTILE },
    });
    const recall = actionsOf(CARDS.recallCard!()).find((b) => b.verb === VERBS.cancel);
    expect(recall).toBeDefined();
  });

  it('escaping keeps plain words, dates and numbers as they are', () => {
    expect(escapeMarkdown('Section 47 enquiry (R-1), 26 November 2026, version 2026.2')).toBe(
      'Section 47 enquiry (R-1), 26 November 2026, version 2026.2',
    );
    expect(escapeMarkdown(LINK)).toBe('\\[Approve here\\](https://evil.example/approve)');
  });
});
