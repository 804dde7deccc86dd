import { basisSentence, type RecordClass } from '../rules/index.js';
import { messageCard } from './message.js';
import type { CardJson } from './render.js';

// Answers to retention questions.

const BASIS: Record<RecordClass['basis'], string> = {
  statutory: 'Statutory',
  'statutory-guidance': 'Statutory guidance',
  'case-law': 'Case law and council policy',
  local: 'Council practice',
};
const ACTION: Record<RecordClass['actionAtEnd'], string> = {
  review: 'Reviewed by the Records Management Service (destroy, keep longer or archive)',
  destroy: 'Destroyed by the Records Management Service, after the pre-destruction checks',
  'permanent-preservation': 'Kept permanently',
};

/** How long a class of record is kept, from when, what happens at the end, and on whose authority. */
export function classAnswerCard(cls: RecordClass, scheduleVersion: string, diedAtAge?: number): CardJson {
  const lines = [cls.period];
  if (diedAtAge !== undefined && cls.rules.some((r) => r.when?.some((c) => 'diedBeforeAge' in c))) {
    const rule = cls.rules.find((r) =>
      r.when?.some((c) => 'diedBeforeAge' in c && diedAtAge < c.diedBeforeAge),
    );
    lines.push(
      rule
        ? `For a child who died at ${diedAtAge}: ${rule.label}.`
        : `A child who died at ${diedAtAge} is not covered by the "died before 18" rule, so the standard period applies.`,
    );
  }
  // What the period rests on: only a local period is the council's own choice (decision 17).
  lines.push(basisSentence(cls));
  return messageCard({
    title: `How long we keep: ${cls.title}`,
    lines,
    style: cls.toBeConfirmed ? 'warning' : 'good',
    facts: [
      { title: 'Counted from', value: cls.trigger },
      { title: 'At the end', value: ACTION[cls.actionAtEnd] },
      { title: 'Authority', value: cls.authority.citation },
      { title: 'Basis', value: BASIS[cls.basis] },
      { title: 'Schedule', value: `version ${scheduleVersion}` },
    ],
  });
}

/** The words named several kinds of record about equally: which one is meant? */
export function classChoiceCard(classes: readonly RecordClass[]): CardJson {
  return messageCard({
    title: 'Which of these do you mean?',
    lines: classes
      .slice(0, 5)
      .map((c) => `• ${c.title}: ask "how long do we keep ${c.aliases[0] ?? c.title} records?"`),
  });
}

/** No class matched the words: the kinds of record to ask about. */
export function unknownClassCard(): CardJson {
  return messageCard({
    title: 'Which kind of record?',
    lines: [
      'I could not tell which kind of record you mean. Try one of these: looked after child (LAC), adoption, foster carer, child protection (CP), child in need (CIN), early help, special guardianship (SGO), youth justice, LADO, complaints.',
    ],
  });
}
