import { z } from 'zod';
import { isIsoDate } from '../rules/index.js';

// What people type, and what cards and the tab send back, read once at the edge in one vocabulary:
// the card actions' data, the tab API's bodies, route parameters and queries, and chat messages.
// Text is well-formed Unicode without control characters (so no database ever sees a NUL), in
// Unicode normal form C, with invisible characters trimmed from its ends; a reason says why in
// visible letters; ids and references are one line of a known shape; numbers are whole numbers,
// written as such. Anything else is refused with a sentence naming the field, and nothing is done.

/** Control characters: C0 but tab, line feed and carriage return; DEL; C1. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** What ends or breaks a line: not in a one-line field. */
const LINE_BREAK = /[\t\n\r\u2028\u2029\u0085]/;
/**
 * Characters that show nothing: white space, format characters (zero-width spaces and joiners,
 * bidirectional controls, the byte order mark, soft hyphens), the blank Braille pattern and the
 * Hangul fillers that Unicode counts as letters; trimmed from the ends of what is typed.
 */
const BLANK_ENDS = /^[\s\p{Cf}\u2800\u115f\u1160\u3164\uffa0]+|[\s\p{Cf}\u2800\u115f\u1160\u3164\uffa0]+$/gu;
/** The same, and marks that do not stand on their own (combining accents, variation selectors). */
const INVISIBLE = /[\s\p{Cf}\u2800\u115f\u1160\u3164\uffa0]|\p{Mn}|\p{Me}/gu;
const LETTER = /\p{L}/u;
/** A surrogate without its pair: not a character at all. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Marks an issue as one about what was typed, so its sentence is shown as it is. */
const TYPED = { typed: true } as const;

/** Why a piece of text cannot be taken, as the end of a sentence about the field ("The reason …"). */
export type TextProblem = 'ill_formed' | 'control' | 'line_break';

const PROBLEMS: Record<TextProblem, string> = {
  ill_formed: 'is not valid text (it has a broken character in it)',
  control: 'has a control character in it (such as NUL), which cannot be stored',
  line_break: 'must be on one line',
};

/** The text with everything that shows nothing taken out: empty when nothing would be seen. */
export function visiblePart(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** Whether the text has at least one letter a person can see (in any script). */
export function hasVisibleLetters(text: string): boolean {
  return LETTER.test(visiblePart(text));
}

/**
 * Text as typed, made ready to keep: normal form C, line endings as line feeds, invisible
 * characters trimmed from both ends, and '' when nothing in it would be seen. A problem instead
 * when it is not well-formed, holds a control character, or (for one-line fields) a line break.
 */
export function normaliseText(
  raw: string,
  options: { oneLine?: boolean } = {},
): { ok: true; text: string } | { ok: false; problem: TextProblem } {
  if (LONE_SURROGATE.test(raw)) return { ok: false, problem: 'ill_formed' };
  if (CONTROL.test(raw)) return { ok: false, problem: 'control' };
  if (options.oneLine && LINE_BREAK.test(raw)) return { ok: false, problem: 'line_break' };
  const text = raw.normalize('NFC').replace(/\r\n?/g, '\n').replace(BLANK_ENDS, '');
  return { ok: true, text: visiblePart(text) ? text : '' };
}

function normalised(max: number, oneLine: boolean) {
  return z
    .string()
    .transform((raw, ctx) => {
      const result = normaliseText(raw, { oneLine });
      if (!result.ok) {
        ctx.addIssue({ code: 'custom', message: PROBLEMS[result.problem], params: TYPED });
        return z.NEVER;
      }
      return result.text;
    })
    .pipe(z.string().max(max, { message: `is longer than ${max} characters` }));
}

/** Free text of at most `max` characters, several lines allowed; '' when absent. */
export function text(max: number) {
  return normalised(max, false)
    .optional()
    .transform((v) => v ?? '');
}

/** One line of text of at most `max` characters; '' when absent. */
export function line(max: number) {
  return normalised(max, true)
    .optional()
    .transform((v) => v ?? '');
}

/** A reason: free text that, when given, says why in visible letters; '' when absent or blank. */
export function reason(max: number) {
  return text(max).refine((v) => v === '' || hasVisibleLetters(v), {
    message: 'must say why in words',
    params: TYPED,
  });
}

/** An id or reference: one line of letters, digits and . _ : / - (such as a UUID or DB-2026-0001). */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;
export function id(max = 64) {
  return normalised(max, true).pipe(
    z.string().min(1, { message: 'is missing' }).regex(ID_PATTERN, { message: 'is not an id' }),
  );
}

/** A case reference as staff write it: letters and digits (and / or -), up to 40 characters. */
export const CASE_REF = /^[A-Za-z0-9][A-Za-z0-9/-]{0,39}$/;

/** A date written YYYY-MM-DD, or '' when absent; anything else is refused. */
export const optionalDate = line(20).refine((v) => v === '' || isIsoDate(v), {
  message: 'is not a date written YYYY-MM-DD',
  params: TYPED,
});

/**
 * A whole number from `min` to `max`, sent as a JSON number or (unless `digits` is false, for JSON
 * bodies that always send numbers) as digits alone ("2"): never a list, a true or false, an empty
 * string, a fraction or an exponent ("1e3").
 */
export function integer(min: number, max: number, options: { digits?: boolean } = {}) {
  const number = z.number().int();
  const digits = z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number);
  return (options.digits === false ? number : z.union([number, digits])).pipe(
    z.number().int().min(min).max(max),
  );
}

/** A yes/no toggle as Input.Toggle sends it: true only for true or "true". */
export const toggle = z
  .union([z.boolean(), z.string().max(10)])
  .optional()
  .transform((v) => v === true || v === 'true');

/** A chat message's text: at most this many characters are read (the understanding reads fewer). */
export const MAX_CHAT_TEXT = 20_000;

/** Labels for the fields people type into, for the sentence that says what is wrong. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  reason: 'The reason',
  destination: 'The destination',
  justification: 'The justification',
  caseRef: 'The case reference',
  recordIds: 'The record ids',
  reference: 'The reference',
  certificateRef: 'The certificate reference',
  method: 'The destruction method',
  text: 'Your message',
  returnBy: 'The return date',
  outOn: 'The date out',
  returnOn: 'The return date',
  sarReceivedOn: 'The date the request was received',
  recordId: 'The record id',
  type: 'The hold type',
  purpose: 'The purpose',
  classId: 'The record class',
  dueBy: 'The due-by date',
  dates: 'A date',
};

function labelOf(path: readonly PropertyKey[]): string | undefined {
  const field = path.find((p): p is string => typeof p === 'string' && Object.hasOwn(FIELD_LABELS, p));
  return field ? FIELD_LABELS[field] : undefined;
}

/**
 * Reads `data` with `schema`: the data, or the sentence to tell the person. An issue about what was
 * typed into a field people fill in (a control character, a reason without words, too long) is
 * said for that field; anything else (a missing or forged id, a version that is not a whole
 * number) gets `fallback`.
 */
export function readInput<S extends z.ZodType>(
  schema: S,
  data: unknown,
  fallback: string,
): { ok: true; data: z.output<S> } | { ok: false; message: string } {
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, data: parsed.data };
  const typed = parsed.error.issues.find(
    (i) => i.code === 'custom' && (i as { params?: { typed?: boolean } }).params?.typed,
  );
  const tooLong = parsed.error.issues.find((i) => i.code === 'too_big' && i.message.startsWith('is longer'));
  const issue = typed ?? tooLong;
  const label = issue && labelOf(issue.path);
  if (!issue || !label) return { ok: false, message: fallback };
  return { ok: false, message: `${label} ${issue.message}. Nothing was changed.` };
}

/** Format characters (zero-width, bidirectional controls, the byte order mark, soft hyphens). */
const FORMAT = /\p{Cf}/gu;
/** Blanks other than a plain space: odd-width spaces, the blank Braille pattern, Hangul fillers. */
const BLANKS = /[\p{Zs}\u2800\u115f\u1160\u3164\uffa0\u200b]/gu;

/**
 * A chat message's text (or the text a "did you mean" button carries): control characters and
 * broken characters are refused; the rest is put in normal form C with format characters taken
 * out and other blanks made plain spaces, so nothing read from it (a reason, a reference) can be
 * made of characters nobody sees.
 */
export function chatText(max: number) {
  return text(max).transform((v) => v.replace(BLANKS, ' ').replace(FORMAT, '').trim());
}

const chatMessage = z.object({ text: chatText(MAX_CHAT_TEXT) });

/** A chat message as received, or the sentence to answer with. A message without text is ''. */
export function readChatText(raw: unknown): { ok: true; text: string } | { ok: false; message: string } {
  if (typeof raw !== 'string') return { ok: true, text: '' };
  // The understanding reads the first thousand characters: a very long message is cut, between characters.
  const cut = raw.length > MAX_CHAT_TEXT ? raw.slice(0, MAX_CHAT_TEXT).replace(/[\ud800-\udbff]$/, '') : raw;
  const parsed = readInput(
    chatMessage,
    { text: cut },
    'Your message could not be read. Nothing was changed.',
  );
  return parsed.ok ? { ok: true, text: parsed.data.text } : parsed;
}
