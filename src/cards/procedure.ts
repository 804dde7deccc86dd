import answerTemplate from '../../cards/procedure-answer.json' with { type: 'json' };
import { PROCEDURE, type SectionId } from '../rules/index.js';
import { messageCard } from './message.js';
import { bind, type CardJson } from './render.js';

/** A procedure answer as retrieved: its topic's lines and the section it quotes. */
export interface ProcedureAnswerData {
  title: string;
  lines: readonly string[];
  section: SectionId;
  /** "1. Case Retention of Documentation" */
  sectionTitle: string;
  /** The procedure's own words, verbatim. */
  quote: string;
  related: readonly { section: SectionId; title: string }[];
}

/** The answer to a question about the procedure, quoting and naming the section it comes from. */
export function procedureAnswerCard(answer: ProcedureAnswerData): CardJson {
  const forbids = /^No\b/.test(answer.lines[0] ?? '');
  return bind(answerTemplate, {
    title: answer.title,
    lines: answer.lines,
    style: forbids ? 'attention' : 'default',
    source: `${PROCEDURE.title}, section ${answer.section} (${answer.sectionTitle}):`,
    quote: answer.quote,
    related: answer.related.length
      ? `See also: ${answer.related.map((r) => `${r.title} (section ${r.section})`).join('; ')}.`
      : '',
  });
}

/** What the procedure covers, when a question did not say which part (the "policy" command). */
export function procedureTopicsCard(topics: readonly { title: string; section: SectionId }[]): CardJson {
  return messageCard({
    title: `Ask me about the procedure: ${PROCEDURE.title}`,
    lines: [
      'Ask in your own words, for example "can I use my work laptop at home?" or "what happens if I lose a file?". I answer from the procedure and quote the section.',
      ...topics.map((t) => `• ${t.title} (section ${t.section})`),
    ],
  });
}
