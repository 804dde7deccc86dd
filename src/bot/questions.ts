import {
  classAnswerCard,
  classChoiceCard,
  policyAnswerCard,
  unknownClassCard,
  type CardJson,
} from '../cards/index.js';
import { matchPolicy, matchRecordClasses, type Schedule } from '../rules/index.js';

/** A retention question about a kind of record: one answer, a short choice, or a hint. */
export function answerClassQuestion(schedule: Schedule, question: string, diedAtAge?: number): CardJson {
  const matches = matchRecordClasses(schedule, question);
  const top = matches[0];
  if (!top) return unknownClassCard();
  const close = matches.filter((m) => m.score >= top.score - 1);
  if (close.length > 1) return classChoiceCard(close);
  return classAnswerCard(top.recordClass, schedule.version, diedAtAge);
}

/** The procedure's answer to a question, or null when the procedure does not cover it. */
export function answerPolicyQuestion(question: string): CardJson | null {
  const best = matchPolicy(question)[0];
  if (!best) return null;
  const asksPermission =
    /^\s*(can|may|could|am i allowed|is it ok|is it okay|should|do i need|is it alright)\b/i.test(question);
  return policyAnswerCard(best.fact, asksPermission);
}
