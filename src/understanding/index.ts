/**
 * Understanding what staff type: a pure module (no I/O, no clock; lint-enforced).
 *
 *   understand(text, { today, roles }) → Understanding
 *
 * `text` is the message as received (Teams markup is removed); `today` is the Europe/London
 * calendar date it was sent on, which relative dates count from; `roles` are the asker's roles
 * from the staff directory, which decide between readings that share words ("what's due" is
 * the destruction list for Records Management, the records due back for a case worker).
 *
 * The contract (see ./types.ts for every field):
 *
 * - `reading`: the likeliest reading — `intent` (one of `INTENTS`), `kind` (`action` opens a
 *   form or changes something once confirmed; `answer`, `list`, `help` and `none` change
 *   nothing), `confidence` (0–1), `entities` (each a `Found<T>`: the `value` and `from`, the
 *   words it came from as offsets into `Understanding.text`; or `implied` when no words gave it,
 *   like the out date "today" of "back Friday"), `doubts`, `filters`, `answer`, `label`, and
 *   `allowed` (whether the asker's roles may do it).
 * - `doubts`: what must be confirmed before acting. Each names the entity, quotes the words
 *   (`from`), says what was read (`read`), offers dates (`options`) and asks (`question`):
 *   "'back fri 11th': the 11th is a Thursday, not a Friday — did you mean Thursday 11 December
 *   or Friday 12 December?". Kinds: a weekday that disagrees with its date, a date in the past,
 *   a return before the out date, words that look like a date but could not be read, an
 *   ambiguous "next Tuesday", an assumed date ("first thing" on a Friday), a list of days with
 *   no return marker. A date is never silently wrong: the chat shows every doubt as a question
 *   on the form.
 * - `filters` (due lists, batches, the register, holds, recalls, approvals): which entities
 *   filter the list, and `description`, to echo in the reply ("child protection records, due by
 *   31 December 2026").
 * - `answer` (policy.question): the procedure section (`section` P1–P7, D1–D4, `sectionTitle`),
 *   the answer (`title`, `lines`), the procedure's own words (`quote`, verbatim) and other
 *   sections that also match (`related`). Absent when no section is close enough: then the
 *   reading is unsure.
 * - `alternatives`: the next likeliest readings (at most two), best first, when the message
 *   could mean more than one thing.
 * - `unsure` and `clarification`: when the product should ask rather than act. The card shows
 *   `clarification.prompt`, a button for each of `clarification.options` (2–3 readings; the
 *   button's title is the reading's `label`; pressing it continues with that reading's intent
 *   and entities), and `clarification.canDo`: what the asker's roles can do, with an example to
 *   type. Never "I did not understand" alone.
 *
 * A question ("can she…", "how long…", "what's the process…") is answered, never read as an
 * action, even when it names a case or a date. An out-of-domain message reads as `None`: answer
 * politely, open nothing (`smallTalk` says when it was only a greeting or thanks).
 */
import type { IsoDate } from '../rules/dates.js';
import { isIsoDate } from '../rules/dates.js';
import type { Role } from '../rules/roles.js';
import { matchCommand } from './commands.js';
import { extract, type Extracted } from './entities.js';
import { inDomain, isChat, scoreIntents, smallTalkOf, structureOf, type IntentScore } from './intent.js';
import type { Intent } from './intents.js';
import { buildReading, capabilitiesFor } from './readings.js';
import { cleanText } from './text.js';
import type { Clarification, Reading, Understanding } from './types.js';

export {
  INTENTS,
  INTENT_KINDS,
  INTENT_ROLES,
  allowedFor,
  isIntent,
  type Intent,
  type IntentKind,
} from './intents.js';
export { MAX_INPUT_LENGTH, cleanText } from './text.js';
export { CLASS_IDS, CLASS_NAMES } from './record-classes.js';
export { COMMANDS, COMMAND_ALIASES, matchCommand, type Command } from './commands.js';
export { TOPICS, ANSWER_THRESHOLD } from './procedure/retrieve.js';
export { capabilitiesFor } from './readings.js';
export type * from './types.js';

export interface Asker {
  /** The Europe/London calendar date the message was sent on, YYYY-MM-DD. */
  readonly today: IsoDate;
  readonly roles: readonly Role[];
}

/** Below this score a reading is not offered at all. */
const MIN_SCORE = 2;
/** Below this a reading is not even offered as a guess. */
const WEAK_SCORE = 1;
/** A reading this strong or stronger, well clear of the next, is acted on without asking. */
const CLEAR_SCORE = 2.5;
/** The next reading within this share of the best makes the message ambiguous. */
const CLOSE_SHARE = 0.75;

function confidenceOf(best: number, next: number): number {
  const margin = best / (best + next);
  const strength = Math.min(1, best / 4);
  return Math.max(0, Math.min(1, margin * strength));
}

function noneReading(x: Extracted, asker: Asker): Reading {
  return buildReading(x, {
    intent: 'None',
    confidence: 0.9,
    roles: asker.roles,
    today: asker.today,
    topics: [],
  });
}

/** What `text`, sent by someone with `asker.roles` on `asker.today`, asks for. Synchronous and pure. */
export function understand(raw: unknown, asker: Asker): Understanding {
  const { today, roles } = asker;
  if (!isIsoDate(today))
    throw new RangeError(`today must be a calendar date YYYY-MM-DD, not ${String(today)}`);
  const text = cleanText(raw);
  const base = { text, today, roles };
  const x = extract(text, today);
  if (!text) {
    const reading = buildReading(x, { intent: 'help', confidence: 1, roles, today, topics: [] });
    return { ...base, reading, alternatives: [], unsure: false };
  }
  // A command from the Teams command list (or typed as one) means exactly what it says.
  const command = matchCommand(text);
  if (command) {
    const reading = buildReading(x, { intent: command.intent, confidence: 1, roles, today, topics: [] });
    return { ...base, reading, alternatives: [], unsure: false };
  }
  const structure = structureOf(x);
  let scores: IntentScore[] = scoreIntents(x, roles, structure);
  // A policy reading needs an answer, and more than a loose match with the procedure's words.
  const withAnswer = (e: IntentScore): boolean =>
    e.intent !== 'policy.question' || ((structure.topics[0]?.score ?? 0) >= 4 && e.score >= MIN_SCORE);
  scores = scores.filter(withAnswer);
  const offered = scores.filter((e) => e.score >= MIN_SCORE).slice(0, 3);
  const build = (e: IntentScore, next: number): Reading =>
    buildReading(x, {
      intent: e.intent,
      confidence: confidenceOf(e.score, next),
      roles,
      today,
      topics: structure.topics,
    });

  if (!offered.length) {
    // Nothing points anywhere: outside the domain (answered politely, nothing opened).
    const weak = scores
      .filter((e) => e.score >= WEAK_SCORE)
      .slice(0, 3)
      .map((e, i, list) => build(e, list[i + 1]?.score ?? 0));
    if (isChat(x) || !inDomain(x) || !weak.length) {
      const smallTalk = smallTalkOf(x);
      return {
        ...base,
        reading: noneReading(x, asker),
        alternatives: [],
        unsure: false,
        ...(smallTalk ? { smallTalk } : {}),
      };
    }
    // In the domain but no reading is strong enough: offer the weak ones, and what the asker can do.
    const reading = weak[0]!;
    return {
      ...base,
      reading,
      alternatives: weak.slice(1),
      unsure: true,
      clarification: clarify(text, weak, roles),
    };
  }

  const [best, second] = offered;
  const readings = offered.map((e, i) => build(e, i === 0 ? (second?.score ?? 0) : best!.score));
  const close =
    second !== undefined &&
    second.score >= best!.score * CLOSE_SHARE &&
    !sameFamily(best!.intent, second.intent);
  const unsure = best!.score < CLEAR_SCORE || close;
  const alternatives = unsure ? readings.slice(1) : [];
  return {
    ...base,
    reading: readings[0]!,
    alternatives,
    unsure,
    ...(unsure ? { clarification: clarify(text, readings, roles) } : {}),
  };
}

/**
 * The reading of `text` as `intent`: what a "did you mean" button carries out. The entities,
 * dates, doubts, filters and answer are read from the text again, as for a typed message.
 */
export function readAs(raw: unknown, intent: Intent, asker: Asker): Reading {
  const { today, roles } = asker;
  if (!isIsoDate(today))
    throw new RangeError(`today must be a calendar date YYYY-MM-DD, not ${String(today)}`);
  const x = extract(cleanText(raw), today);
  const topics = intent === 'policy.question' ? structureOf(x).topics : [];
  return buildReading(x, { intent, confidence: 1, roles, today, topics });
}

/** Two readings that would show the same thing are not worth asking about. */
function sameFamily(a: Intent, b: Intent): boolean {
  const lists: readonly (readonly Intent[])[] = [['retention.class', 'retention.case']];
  return lists.some((l) => l.includes(a) && l.includes(b));
}

function clarify(text: string, options: readonly Reading[], roles: readonly Role[]): Clarification {
  const quoted = text.length > 80 ? `${text.slice(0, 77)}…` : text;
  return {
    prompt: options.length
      ? `I'm not sure what you meant by "${quoted}". Did you mean:`
      : `I'm not sure what you meant by "${quoted}". Here is what I can do:`,
    options: options.slice(0, 3),
    canDo: capabilitiesFor(roles),
  };
}
