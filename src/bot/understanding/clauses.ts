/** Free-text parts of a message: reasons, justifications and the kind of record asked about. */

const MAX_CLAUSE_LENGTH = 300;

function tidy(text: string | undefined): string | undefined {
  const value = text
    ?.replace(/\s+/g, ' ')
    .replace(/^[\s,;:\-–]+|[\s,;:.!?\-–]+$/g, '')
    .slice(0, MAX_CLAUSE_LENGTH)
    .trim();
  return value ? value : undefined;
}

/** "as" that does not introduce a reason: "as soon as", "as well", "as agreed"... */
const AS_NOT_REASON =
  'soon|well|much|far|of|per|long|requested|agreed|discussed|planned|usual|above|below|needed|before|a matter|my|your|cover|acting|a deputy';
const CONNECTIVE = new RegExp(
  `\\b(?:because(?:\\s+of)?|since|due to|given that|cos|coz|as(?!\\s+(?:${AS_NOT_REASON})\\b))\\s+`,
  'i',
);
/** A clause that is the instruction itself rather than a reason for it. */
const INSTRUCTION =
  /\b(?:cancel|cancelling|recall|recalling|revoke|revoking|withdraw|withdrawing|retract|scrap|forget|delete|remove|pull|stop|end|please|authorisation|authorization|my request|the request|return|bring)\b/i;

/**
 * Why an authorisation is cancelled or a request withdrawn: the words after "because", "as",
 * "since" or "due to", or else the comma-separated clause that is not the instruction itself
 * ("cancel Sam's authorisation for 1234567, the case is going to court"). `instruction` tells
 * the instruction's clause from the reason's.
 */
export function findReason(text: string, instruction: RegExp = INSTRUCTION): string | undefined {
  const connective = CONNECTIVE.exec(text);
  if (connective) {
    const after = tidy(text.slice(connective.index + connective[0].length).split(/[;\n]/)[0]);
    if (after && after.split(' ').length >= 2) return after;
  }
  const clauses = text.split(/\s*(?:[,;\n]|\s-\s)\s*/);
  if (clauses.length < 2) return undefined;
  for (const clause of clauses) {
    const value = tidy(clause);
    if (value && value.split(' ').length >= 3 && !instruction.test(value)) return value;
  }
  return undefined;
}

const WORK_VERBS =
  'finish|finalise|finalize|write|complete|prepare|do|update|read|review|type|draft|work|check|go over|look at|look over|present|share|discuss|use|attend|catch up|file|scan|copy|photocopy|chronologise|summarise|write up';
const JUSTIFICATION_STARTS: readonly RegExp[] = [
  /\bso(?:\s+that)?\s+(?:i|we)\s+can\s+/i,
  new RegExp(`\\b(?:in order )?to\\s+(?:${WORK_VERBS})\\b`, 'i'),
  /\bfor\s+(?:the|a|an|my|our|her|his|their)\s+(?!case\b|weekend\b|week\b|night\b|day\b|file\b|records?\b)\w/i,
  /\b(?:because|since|as(?!\s+(?:soon|well|long|agreed|usual)\b))\s+/i,
];
const JUSTIFICATION_END =
  /[,;\n.!?]|\s(?:back|and bring|and return|and i'?ll bring|returning|return it|until|till|bring it back)\b/i;

/** Why records are needed out of the office: "to finish the court report", "for the core group". */
export function findJustification(text: string): string | undefined {
  let start: number | undefined;
  for (const pattern of JUSTIFICATION_STARTS) {
    const m = pattern.exec(text);
    if (m && (start === undefined || m.index < start)) start = m.index;
  }
  if (start === undefined) return undefined;
  const rest = text.slice(start);
  const end = JUSTIFICATION_END.exec(rest);
  return tidy(end ? rest.slice(0, end.index) : rest);
}

const DIED_AT =
  /\bdied\s+(?:at|aged|age|at\s+age|at\s+the\s+age\s+of|when\s+(?:he|she|they)\s+(?:was|were))\s+(\d{1,3})\b/i;

/** The age at death in "if the child died at 12", "who died aged 5". */
export function findDiedAtAge(text: string): number | undefined {
  const m = DIED_AT.exec(text);
  const age = m ? Number(m[1]) : NaN;
  return Number.isInteger(age) && age >= 0 && age <= 130 ? age : undefined;
}

/** "if the child died at 12", "who died aged 5 years old": removed from the class query. */
const DEATH_CLAUSE =
  /\s*,?\s*(?:(?:if|when|where)\s+(?:(?:the|a)\s+)?(?:child|young person|person|they|he|she|kid)\s+)?(?:who\s+|that\s+|whose\s+\w+\s+)?(?:has\s+|had\s+)?died\s+(?:at|aged|age|at\s+age|at\s+the\s+age\s+of|when\s+(?:he|she|they)\s+(?:was|were))\s+\d{1,3}(?:\s*(?:years?|yrs?)(?:\s+old)?)?/i;

const CLASS_QUERY_PATTERNS: readonly RegExp[] = [
  /\bhow\s+long\s+(?:do|does|should|must|will|can|did|would)\s+(?:we|i|you|they|hr|the council|social care|the la|the local authority|(?:the\s+)?(?:hr|records|fostering|adoption|youth justice)(?:\s+(?:team|service|department))?)\s+(?:have\s+to\s+|need\s+to\s+|got\s+to\s+)?(?:keep|retain|hold|store|have)\s+(.+)/i,
  /\bhow\s+long\s+(?:are|is|do|does|should|must|will|can)\s+(.+?)\s+(?:be\s+|get\s+|need\s+to\s+be\s+|have\s+to\s+be\s+|to\s+be\s+)?(?:kept|retained|held|stored|keep|kept for|stay|stays|last)\b/i,
  /\bwhen\s+(?:can|should|do|does|will|must|could|may)\s+(?:we|i|you|they)\s+(?:destroy|shred|delete|dispose\s+of|get\s+rid\s+of|bin|review)\s+(.+)/i,
  /\bwhen\s+(?:can|should|do|does|will|must|could|may|are|is)\s+(.+?)\s+(?:be\s+|get\s+|are\s+|is\s+)?(?:destroyed|shredded|deleted|disposed|reviewed|binned|got\s+rid\s+of)\b/i,
  /\b(?:retention|destruction|disposal|keep|review)\s*(?:period|schedule|rules?|date|policy|time|periods)?\s+(?:for|of|on)\s+(.+)/i,
  /\bhow\s+(?:many\s+years|long)\s+(?:for|on|with)\s+(.+)/i,
  /\bwhat\s+about\s+(.+)/i,
  /\b(?:do|does|are|is)\s+(?:we\s+)?(?:keep\s+)?(.+?)\s+(?:kept\s+)?(?:forever|permanently|for ever)\b/i,
];
const QUERY_CUT =
  /\s+(?:if|when|where|once|before|because|so|please|for how long|how long|forever|permanently|in years|kept|retained|held|stored)\b.*$|(?<!\blo+k\w{0,3})\s+after\b.*$|(?:[?!,;]|\.(?!\w)).*$|\s+(?:for|then|now|please)\s*$/i;
/** A condition that names the kind of record: "if no order was made", "when the application was refused". */
const CONDITION = /\s+(?:if|when|where|once)\s+[^?!,;]*?(?=[?!,;]|\.(?!\w)|$)/i;
const QUALIFIER =
  /\b(?:no|not|never|\w+n't|refused|withdrawn|withdrew|disrupted|turned\s+down|unsuccessful|granted|changed|f[ae]ll(?:s|en)?\s+through|br(?:oke|eaks?)\s+down)\b/i;
const QUERY_LEAD = /^(?:(?:the|a|an|our|my|those|these|any|all|of|on|for)\s+)+/i;
/** A query that names nothing: "records", "the file", "we". */
const ONLY_GENERIC =
  /^(?:(?:the|a|an|our|my|their|his|her|its|this|that|those|these|any|all|of|on|for|we|i|you|they|us|case|cases|records?|files?|paperwork|papers?|documents?|docs?|notes?|information|info|stuff|them|it|things?)\b\s*)+$/i;
const QUESTION_WORDS =
  /\b(?:how|long|do|does|we|i|you|keep|kept|retain|retained|retention|period|schedule|for|of|the|a|an|what|whats|what's|is|are|when|can|should|be|destroyed|destruction|shred|shredded|delete|deleted|about|rules?|policy|date|years?|many|there|on|get|rid|hold|held|store|stored|need(?=\s+to\b)|to|have|must)\b/gi;

function classQueryFrom(captured: string): string | undefined {
  const condition = CONDITION.exec(captured);
  const kept = condition && QUALIFIER.test(condition[0]) ? condition[0] : '';
  const head = condition && kept ? captured.slice(0, condition.index) : captured;
  const query = tidy(`${head.replace(QUERY_CUT, '').replace(QUERY_LEAD, '')}${kept}`);
  return query && !ONLY_GENERIC.test(query) ? query : undefined;
}

/**
 * The words naming a kind of record in a retention question, tidied but not resolved to a
 * class: "how long do we keep adoption records?" gives "adoption records"; "what about LAC
 * records if the child died at 12?" gives "LAC records"; a condition that says what kind of
 * record it is stays ("adoption records if no order was made"). Matching it to the retention
 * schedule is left to the schedule's aliases.
 */
export function findRecordClassQuery(text: string): string | undefined {
  const plain = text.replace(DEATH_CLAUSE, ' ').replace(/\s+/g, ' ').trim();
  for (const pattern of CLASS_QUERY_PATTERNS) {
    const captured = pattern.exec(plain)?.[1];
    const query = captured === undefined ? undefined : classQueryFrom(captured);
    if (query) return query;
  }
  return tidy(plain.replace(/[?!]|\.(?!\w)/g, ' ').replace(QUESTION_WORDS, ' '));
}
