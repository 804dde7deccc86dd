import { isIsoDate, type IsoDate } from '../../rules/dates.js';
import {
  parsePhrases,
  trainClassifier,
  type Classification,
  type ClassifierOptions,
  type IntentClassifier,
} from './classifier.js';
import { findCaseRefs } from './case-ref.js';
import { matchCommand } from './commands.js';
import { extractEntities, type Entities } from './entities.js';
import type { Intent } from './intents.js';
import phrasesData from './phrases.json' with { type: 'json' };
import { findRecordIds } from './references.js';
import { cleanText } from './text.js';

export { INTENTS, isIntent, type Intent } from './intents.js';
export { COMMANDS, COMMAND_ALIASES, matchCommand, type Command } from './commands.js';
export type { Entities } from './entities.js';
export { DEFAULT_THRESHOLD, type ClassifierOptions } from './classifier.js';
export { MAX_INPUT_LENGTH, cleanText } from './text.js';

export interface Understood {
  readonly intent: Intent;
  /** Confidence, 0 to 1: 1 for a typed command; see `Classification.score` otherwise. */
  readonly score: number;
  /** True when the whole message was one of the typed commands. */
  readonly command: boolean;
  readonly entities: Entities;
}

export interface Understanding {
  /**
   * What a Teams message asks for. `text` may hold Teams markup and be of any length (only the
   * first `MAX_INPUT_LENGTH` characters are read); `today` is the Europe/London calendar date
   * that relative dates ("tomorrow", "Friday") count from. Synchronous, and safe to call from
   * concurrent turns.
   */
  understand(text: string, today: IsoDate): Understood;
}

/**
 * A case reference decides between the two retention intents: "when will 1234567 be destroyed"
 * asks about a case, "when can a CP file be destroyed" about a kind of record. Likewise "is
 * case 2000137 due for destruction" asks about one case, not for the list of records due.
 */
function settleRetention(intent: Intent, text: string): Intent {
  if (intent === 'destruction.due')
    return findCaseRefs(text).length || findRecordIds(text).length ? 'retention.case' : intent;
  if (intent !== 'retention.class' && intent !== 'retention.case') return intent;
  return findCaseRefs(text).length ? 'retention.case' : 'retention.class';
}

function understandWith(classifier: IntentClassifier, raw: string, today: IsoDate): Understood {
  if (!isIsoDate(today))
    throw new RangeError(`today must be a calendar date YYYY-MM-DD, not ${String(today)}`);
  const text = cleanText(raw);
  // An empty message (often just a mention of the bot) is met with what the bot can do.
  if (!text) return { intent: 'help', score: 1, command: false, entities: {} };
  const command = matchCommand(text);
  if (command) {
    return {
      intent: command.intent,
      score: 1,
      command: true,
      entities: extractEntities(text, command.intent, today),
    };
  }
  const classified: Classification = classifier.classify(text);
  const intent = settleRetention(classified.intent, text);
  return { intent, score: classified.score, command: false, entities: extractEntities(text, intent, today) };
}

/** Trains the classifier from phrases.json (well under a second) and returns the understanding. */
export async function createUnderstanding(options: ClassifierOptions = {}): Promise<Understanding> {
  const classifier = await trainClassifier(parsePhrases(phrasesData), options);
  return {
    understand: (text: string, today: IsoDate): Understood => understandWith(classifier, text, today),
  };
}
