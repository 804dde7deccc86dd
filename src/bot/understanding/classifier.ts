import { findCaseRefs } from './case-ref.js';
import { createNlp, createNlpContainer, type NlpContainer, type NlpInstance } from './nlpjs.js';
import { INTENTS, isIntent, type Intent } from './intents.js';
import { findPersonNames } from './people.js';
import { findBatchRefs, findHoldReferences, findRecordIds } from './references.js';

export { COMMANDS, COMMAND_ALIASES, matchCommand, type Command } from './commands.js';

/** Training data: utterances for each intent. */
export type Phrases = Readonly<Record<Intent, readonly string[]>>;

export interface Classification {
  readonly intent: Intent;
  /**
   * Confidence in `intent`, 0 to 1. For `None` chosen because no intent reached the threshold,
   * 1 minus the best intent's score.
   */
  readonly score: number;
}

export interface IntentClassifier {
  /** Synchronous and free of per-call shared state, so safe to call from concurrent turns. */
  classify(text: string): Classification;
}

export interface ClassifierOptions {
  /** Below this score the answer is `None`. */
  readonly threshold?: number;
}

/**
 * On the held-out set, thresholds from 0.35 to 0.5 score 97.2% and 0.6 scores 96.6% (two
 * vaguer requests fall to None). 0.6 is kept: out-of-domain text that shares words with the
 * domain ("can I take Friday off") often scores 0.5 to 0.6, and None gets a helpful answer.
 */
export const DEFAULT_THRESHOLD = 0.6;

const LOCALE = 'en';

/**
 * The text the classifier sees, in training and in use: case references become the word
 * "caseref", record ids "recordid", batch references "batchref", hold references "holdref",
 * people's names "colleague", dates written in figures "date" and other numbers
 * "num", so that no particular number or name is learnt and an unseen one does not look out of
 * domain.
 */
export function classifierText(text: string): string {
  const replacements = [
    ...findCaseRefs(text).map((r) => ({ index: r.index, length: r.length, word: 'caseref' })),
    ...findRecordIds(text).map((r) => ({ index: r.index, length: r.length, word: 'recordid' })),
    ...findBatchRefs(text).map((r) => ({ index: r.index, length: r.length, word: 'batchref' })),
    ...findHoldReferences(text).map((r) => ({ index: r.index, length: r.length, word: 'holdref' })),
    ...findPersonNames(text).map((p) => ({ index: p.index, length: p.name.length, word: 'colleague' })),
  ].sort((a, b) => a.index - b.index);
  let out = '';
  let at = 0;
  for (const r of replacements) {
    if (r.index < at) continue;
    out += `${text.slice(at, r.index)} ${r.word} `;
    at = r.index + r.length;
  }
  return (out + text.slice(at))
    .replace(/\b\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b/g, ' date ')
    .replace(/\d+(?:st|nd|rd|th)?/g, ' num ')
    .replace(/[^\p{L}\p{N}'\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Reads a phrases file, checking that it names only known intents and gives each some phrases. */
export function parsePhrases(data: unknown): Phrases {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new TypeError('phrases must be an object of intent → utterances');
  const entries = Object.entries(data);
  for (const [intent, utterances] of entries) {
    if (!isIntent(intent)) throw new TypeError(`phrases name an unknown intent: ${intent}`);
    if (!Array.isArray(utterances) || !utterances.every((u) => typeof u === 'string' && u.trim()))
      throw new TypeError(`phrases for ${intent} must be a list of non-empty strings`);
  }
  const missing = INTENTS.filter((intent) => !entries.some(([name]) => name === intent));
  if (missing.length) throw new TypeError(`phrases have nothing for: ${missing.join(', ')}`);
  return data as Phrases;
}

/** nlp.js's logger, silenced: training and classifying print nothing. */
const SILENT_LOGGER = {
  name: 'logger',
  debug: (): void => undefined,
  info: (): void => undefined,
  warn: (): void => undefined,
  error: (): void => undefined,
  log: (): void => undefined,
  trace: (): void => undefined,
  fatal: (): void => undefined,
};

/**
 * A container with what `Nlp` needs and nothing else. `containerBootstrap`/`dockStart` would
 * also read ./conf.json, ./.env, ./pipelines.md and ./plugins from the working directory and
 * register nlp.js's HTTP client; none of that is wanted here.
 */
function createContainer(): NlpContainer {
  const container = createNlpContainer();
  container.register('logger', SILENT_LOGGER);
  // No exact-match dictionary: every message goes through the network, as `classify` does.
  // The "none feature" teaches the network that words it has never seen point to None.
  container.registerConfiguration(`domain-manager-${LOCALE}`, {
    trainByDomain: false,
    useStemDict: false,
    useNoneFeature: true,
  });
  // nlp.js's defaults for the neural classifier ('nlu-??'), but without logging every epoch.
  container.registerConfiguration(`nlu-${LOCALE}`, {
    keepStopwords: true,
    nonefeatureValue: 1,
    nonedeltaMultiplier: 1.2,
    spellCheck: false,
    spellCheckDistance: 1,
    filterZeros: true,
    useNoneFeature: true,
    log: false,
  });
  return container;
}

// The parts of nlp.js 4.27 used to classify synchronously, after training with its public API.
interface NluInput {
  text: string;
  locale: string;
  settings: unknown;
  tokens: unknown;
  classifications?: { intent: string; score: number }[];
}
type Step = (input: NluInput) => NluInput;
interface NeuralNluInternals {
  settings: unknown;
  textToFeatures: Step;
  innerProcess: Step;
  filterNonActivated: Step;
  normalizeClassifications: Step;
}
interface LanguagePieces {
  normalizer: { normalize(text: string, input?: unknown): string };
  /** `innerTokenize` is what `tokenize` runs, minus the hour-long cache of every text seen. */
  tokenizer: { innerTokenize(text: string): string[] };
  stemmer: { stem(tokens: string[], input?: unknown): string[] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function hasMethods(value: unknown, names: readonly string[]): boolean {
  return isObject(value) && names.every((name) => typeof value[name] === 'function');
}

function trainedNlu(nlp: NlpInstance): NeuralNluInternals {
  const managers = isObject(nlp.nluManager) ? nlp.nluManager.domainManagers : undefined;
  const manager = isObject(managers) ? managers[LOCALE] : undefined;
  const domains = isObject(manager) ? manager.domains : undefined;
  const nlu = isObject(domains) ? domains.master_domain : undefined;
  if (!hasMethods(nlu, ['textToFeatures', 'innerProcess', 'filterNonActivated', 'normalizeClassifications']))
    throw new Error('nlp.js internals have changed: cannot classify synchronously');
  return nlu as NeuralNluInternals;
}

function languagePieces(container: NlpContainer): LanguagePieces {
  const normalizer = container.get(`normalizer-${LOCALE}`);
  const tokenizer = container.get(`tokenizer-${LOCALE}`);
  const stemmer = container.get(`stemmer-${LOCALE}`);
  if (
    !hasMethods(normalizer, ['normalize']) ||
    !hasMethods(tokenizer, ['innerTokenize']) ||
    !hasMethods(stemmer, ['stem'])
  )
    throw new Error('nlp.js English language plugin is missing');
  return { normalizer, tokenizer, stemmer } as LanguagePieces;
}

function notPromise<T>(value: T): T {
  if (isObject(value) && typeof value.then === 'function')
    throw new Error('nlp.js internals have changed: a step is no longer synchronous');
  return value;
}

/**
 * Runs the trained network the way nlp.js's own `process` does (normalise, tokenise, stem,
 * features, network, filter, normalise scores), without its async wrappers, so that
 * `classify` can be synchronous. A test checks it agrees with `nlp.process`. The network
 * writes its outputs into one shared object; that is safe because nothing here awaits between
 * running it and reading them.
 */
function synchronousClassifier(nlu: NeuralNluInternals, pieces: LanguagePieces) {
  return (text: string): { intent: string; score: number }[] => {
    const input: NluInput = { text, locale: LOCALE, settings: nlu.settings, tokens: undefined };
    input.text = notPromise(pieces.normalizer.normalize(input.text, input));
    const tokens = notPromise(pieces.tokenizer.innerTokenize(input.text)).filter(Boolean);
    const stems = notPromise(pieces.stemmer.stem(tokens, input));
    input.tokens = Object.fromEntries(stems.map((stem) => [stem, 1]));
    let output = notPromise(nlu.textToFeatures(input));
    output = notPromise(nlu.innerProcess(output));
    output = notPromise(nlu.filterNonActivated(output));
    output = notPromise(nlu.normalizeClassifications(output));
    return [...(output.classifications ?? [])].sort((a, b) => b.score - a.score);
  };
}

export interface TrainedModel {
  /** The trained nlp.js instance (its own async `process` gives the same answers). */
  readonly nlp: NlpInstance;
  readonly classifier: IntentClassifier;
  /** Every intent's score for `text` (already prepared with `classifierText`), best first. */
  readonly rank: (preparedText: string) => readonly { intent: string; score: number }[];
}

/**
 * Trains nlp.js's neural intent classifier from `phrases` (in memory: nothing is loaded from or
 * saved to disk, nothing goes over the network) and returns a classifier that answers `None`
 * below `threshold`, or when the two best intents tie.
 */
export async function trainModel(phrases: Phrases, options: ClassifierOptions = {}): Promise<TrainedModel> {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const container = createContainer();
  const nlp = createNlp(
    {
      container,
      languages: [LOCALE],
      autoSave: false,
      autoLoad: false,
      forceNER: false,
      calculateSentiment: false,
    },
    container,
  );
  for (const intent of INTENTS) {
    for (const utterance of phrases[intent]) nlp.addDocument(LOCALE, classifierText(utterance), intent);
  }
  await nlp.train();
  const run = synchronousClassifier(trainedNlu(nlp), languagePieces(container));
  const classifier: IntentClassifier = {
    classify(text: string): Classification {
      const prepared = classifierText(text);
      if (!prepared) return { intent: 'None', score: 1 };
      const [best, second] = run(prepared);
      if (!best || !isIntent(best.intent) || best.intent === 'None')
        return { intent: 'None', score: best?.score ?? 1 };
      if (best.score < threshold || (second && second.score === best.score))
        return { intent: 'None', score: 1 - best.score };
      return { intent: best.intent, score: best.score };
    },
  };
  return { nlp, classifier, rank: run };
}

/** Trains the classifier; see `trainModel`. */
export async function trainClassifier(
  phrases: Phrases,
  options: ClassifierOptions = {},
): Promise<IntentClassifier> {
  return (await trainModel(phrases, options)).classifier;
}
