import clarificationTemplate from '../../cards/clarification.json' with { type: 'json' };
import { bind, type CardJson } from './render.js';

/** A button that carries out one reading of what the person wrote (or one date they may have meant). */
export interface ChoiceButton {
  title: string;
  verb: string;
  /** What the button sends back: checked again when it is pressed, like anything typed. */
  data: Record<string, unknown>;
}

/** Something the person may ask, with an example of how. */
export interface CanDo {
  title: string;
  example: string;
}

export interface ClarificationCardData {
  /** "I'm not sure what you meant by '…'. Did you mean:", or a doubt about a date. */
  prompt: string;
  /** A line under the prompt ("Nothing has been changed."), or ''. */
  note?: string;
  /** Two or three readings, likeliest first. */
  options: ChoiceButton[];
  /** What the person's roles can do, with an example each. */
  canDo: CanDo[];
}

/**
 * "Did you mean…?": the likeliest readings as buttons, and what the person can ask, so a message
 * that was not clear is never met with "I did not understand" alone.
 */
export function clarificationCard(data: ClarificationCardData): CardJson {
  return bind(clarificationTemplate, {
    note: '',
    ...data,
    canDoHeading: data.options.length ? 'Or ask me something else, for example:' : 'Here is what I can do:',
  });
}
