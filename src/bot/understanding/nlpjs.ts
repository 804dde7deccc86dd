import { createRequire } from 'node:module';

/**
 * The parts of nlp.js (the `@nlpjs/basic` 4.27 bundle, which ships no types) that the classifier
 * uses, typed here.
 *
 * They are loaded from the packages `@nlpjs/basic` is made of, resolved from `@nlpjs/basic`
 * itself, rather than from its index: that index also loads `@nlpjs/logger`, whose old pino
 * prints a deprecation warning at start-up whenever NODE_ENV is not "production".
 */

/** nlp.js's dependency-injection container. */
export interface NlpContainer {
  use(plugin: unknown, name?: string, isSingleton?: boolean): string;
  register(name: string, value: unknown, isSingleton?: boolean): void;
  get(name: string, settings?: unknown): unknown;
  registerConfiguration(tag: string, configuration: Record<string, unknown>, overwrite?: boolean): void;
}

export interface NlpSettings {
  container?: NlpContainer;
  languages?: string[];
  autoSave?: boolean;
  autoLoad?: boolean;
  modelFileName?: string;
  forceNER?: boolean;
  calculateSentiment?: boolean;
  threshold?: number;
}

export interface NlpResult {
  intent: string;
  score: number;
  classifications: { intent: string; score: number }[];
}

export interface NlpInstance {
  settings: NlpSettings;
  /** Internal: reached into by the classifier to run the trained network synchronously. */
  nluManager: unknown;
  addDocument(locale: string, utterance: string, intent: string): void;
  train(): Promise<unknown>;
  process(locale: string, utterance: string): Promise<NlpResult>;
}

interface CoreLoader {
  Container: new () => NlpContainer;
  ArrToObj: unknown;
  Normalizer: unknown;
  ObjToArr: unknown;
  Stemmer: unknown;
  Stopwords: unknown;
  Tokenizer: unknown;
  Timer: unknown;
  MemoryStorage: unknown;
}

const requireHere = createRequire(import.meta.url);
const requireFromBasic = createRequire(requireHere.resolve('@nlpjs/basic'));

const core = requireFromBasic('@nlpjs/core-loader') as CoreLoader;
const { Nlp: NlpClass } = requireFromBasic('@nlpjs/nlp') as {
  Nlp: new (settings: NlpSettings, container: NlpContainer) => NlpInstance;
};
const { LangEn } = requireFromBasic('@nlpjs/lang-en') as { LangEn: unknown };

/** A container with what `Nlp` needs for English, created with no defaults beyond nlp.js core's. */
export function createNlpContainer(): NlpContainer {
  const container = new core.Container();
  for (const plugin of [
    core.ArrToObj,
    core.Normalizer,
    core.ObjToArr,
    core.Stemmer,
    core.Stopwords,
    core.Tokenizer,
    core.Timer,
    core.MemoryStorage,
    LangEn,
  ]) {
    container.use(plugin);
  }
  return container;
}

export function createNlp(settings: NlpSettings, container: NlpContainer): NlpInstance {
  return new NlpClass(settings, container);
}
