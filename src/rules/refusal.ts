/** A decision the rules refused, with a code for programs and a sentence for people. */
export interface Refusal<Code extends string = string> {
  ok: false;
  code: Code;
  message: string;
}

export function refuse<Code extends string>(code: Code, message: string): Refusal<Code> {
  return { ok: false, code, message };
}
