import type { Role } from '../rules/roles.js';
import type { Extracted } from './entities.js';
import { allowedFor, INTENT_KINDS, INTENTS, type Intent } from './intents.js';
import { rankTopics, type TopicScore } from './procedure/retrieve.js';

/**
 * The intent from the message's structure: its references, dates and record classes, the
 * verbs and markers around them, whether it is a question, and the asker's roles. Each cue adds
 * weight to the intents it points to; a question takes weight away from every action; the
 * roles break ties between readings that share words. The result is every intent with weight,
 * best first.
 */

export interface IntentScore {
  readonly intent: Intent;
  readonly score: number;
  /** The cues that counted, for tracing a reading. */
  readonly why: readonly string[];
}

export interface Structure {
  /** A question ("can she…", "how long…", "what's the process…"): answered, never acted on. */
  readonly question: boolean;
  /** A request phrased as a question ("can I take 1234567 home tonight?"). */
  readonly politeRequest: boolean;
  readonly topics: readonly TopicScore[];
}

// --- cue patterns (on the cue text: lower case, typos fixed) ----------------------------------

const GREETING = String.raw`(?:(?:hi|hello|hey|hiya|morning|good\s+morning|afternoon|good\s+afternoon|quick\s+(?:question|q)|sorry|just\s+wondering|q|please|pls|plz|ok|okay|right|so|um|erm|bot|team|all)\b[\s,!.:-]*)*`;
const QUESTION_START = new RegExp(
  `^${GREETING}(?:how|what|whats|what's|when|where|why|who|whom|which|whose|is|isn't|are|aren't|am|was|were|do|does|did|don't|doesn't|can|can't|could|may|might|should|would|will|shall|must|have|has|had|any|anything|if)\\b`,
);
const QUESTION_PHRASE =
  /\b(?:i was wondering|wondering (?:if|whether)|do you know|does anyone know|is it true|am i (?:allowed|able|ok|okay)|are we (?:allowed|able)|is it (?:ok|okay|alright|allowed|fine|acceptable)|what(?:'s| is) the (?:process|procedure|policy|rule|rules)|how do i|how can i|what do i do|what should i do|who do i|what happens|is there (?:a|any)|can (?:she|he|they|managers?|staff|someone|anyone|people|social workers|we)\b)/;
const POLITE_REQUEST = new RegExp(
  `^${GREETING}(?:(?:can|could|may|might)\\s+(?:i|we)\\s+(?:please\\s+|just\\s+)?(?:take|have|borrow|remove|sign|book|get|bring|keep|pop|grab|collect|pick|check|request|ask|put|place|start|create|export|approve|decline|cancel|recall|release|lift|confirm|see|view|show|list|mark|withdraw|return|end|set)|(?:can|could|would|will)\\s+you\\s+(?:please\\s+|kindly\\s+|just\\s+)?(?:\\w+\\s+)?(?:approve|decline|reject|cancel|recall|place|put|release|lift|start|create|export|download|show|list|mark|log|record|set|end|stop|withdraw|book|sign|confirm|pull|give|send|tell|check|find|get|let|arrange|make|add|remove|run|do)|(?:i'?d|i\\s+would)\\s+like\\s+to|is\\s+it\\s+(?:ok|okay|alright|possible)\\s+(?:if\\s+i|for\\s+me\\s+to|to)\\s+(?:take|have|borrow|remove|sign|book|bring|keep))\\b`,
);
const THIRD_PERSON_QUESTION =
  /\b(?:can|could|may|is|does|do|should|must|will)\s+(?:she|he|they|my manager|managers?|the manager|my tm|staff|someone|anyone|people|social workers|workers|a manager|a social worker|colleagues?)\b/;

const RECORD_NOUN =
  /\b(?:file|files|records?|paperwork|papers|bundle|bundles|folder|folders|notes|case\s+notes|docs|documents|box|boxes|casefile|case\s+file|lever\s+arch|court\s+bundle)\b/;
const REMOVAL_VERB =
  /\b(?:take|taking|took|remove|removing|borrow|borrowing|sign(?:ing)?\s+(?:\w+\s+)?out|book(?:ing)?\s+(?:\w+\s+)?out|check(?:ing)?\s+(?:\w+\s+)?out|get\s+(?:\w+\s+)?out|have\s+(?:\w+\s+){0,3}(?:at\s+home|out|overnight|home)|bring\s+(?:\w+\s+){0,3}home|pop\s+(?:\w+\s+){0,3}(?:home|out)|grab|collect(?:ing)?|pick(?:ing)?\s+up|carry|carrying|out\s+of\s+the\s+office|off\s+site|offsite|home\s+with\s+me|keep\s+(?:\w+\s+){0,3}(?:overnight|at\s+home|over\s+the\s+weekend|till|until))\b/;
const DESTINATION =
  /\b(?:home|wfh|work(?:ing)?\s+from\s+home|court|hearing|conference|icpc|rcpc|core\s+group|strategy|panel|tribunal|meeting|home\s+visit|visit|contact\s+centre|family\s+centre|school|hospital)\b/;
const RETURNED =
  /\b(?:(?:brought|dropped|handed|put|taken|given|carried|popped|returned)\s+(?:\w+\s+){0,4}back|returned|(?:is|are|it's|its|they're|theyre|now|all|everything|file's|files are|records are)\s+back\b|back\s+(?:in|on)\s+(?:the\s+)?(?:office|cabinet|site|file room|filing|drawer|cupboard|shelf|records room)|back\s+safe|have\s+returned|has\s+been\s+returned|mark(?:ed)?\s+(?:\w+\s+){0,3}(?:as\s+)?(?:returned|back)|no\s+longer\s+(?:out|have\s+it)|(?:i|we)\s+returned)\b/;
const FUTURE =
  /\b(?:will|i'll|ill|going\s+to|gonna|shall|plan\s+to|intend|need\s+to|want\s+to|would\s+like|can\s+i|could\s+i|may\s+i)\b/;
const WITHDRAW =
  /\b(?:withdraw|withdrawing|retract|scrap|scratch|forget|ditch|drop)\b|\b(?:cancel|delete|remove|pull)\s+(?:\w+\s+){0,2}(?:my|this|that|the)\s+(?:own\s+)?(?:request|application|removal|booking|ask)\b|\bno\s+longer\s+need|\bdon'?t\s+need\s+(?:to\s+take|it|them|the\s+(?:file|records|bundle|papers))|\bnot\s+(?:needed|taking|going\s+to\s+take)\b|\bchanged\s+my\s+mind\b|\bignore\s+my\s+request\b/;
const MY_LIST =
  /\bmy\s+(?:\w+\s+)?(?:requests?|removals?|authorisations?|applications?|bookings?)\b|\bwhat\s+(?:have|do|did)\s+i\s+(?:got\s+|have\s+|currently\s+|still\s+)*(?:got\s+)?(?:out|signed\s+out|booked\s+out|checked\s+out|taken\s+out|at\s+home|borrowed)\b|\bwhat(?:'s|s|\s+is)?\s+(?:happening|going\s+on)\s+with\s+my\b|\b(?:has|have|did)\s+(?:my|the)\s+(?:manager\s+|tm\s+)?(?:approved?|authori[sz]ed?|signed\s+off|agreed)\s+my\b|\b(?:have|has)\s+my\s+(?:\w+\s+)?(?:request|removal|authorisation)\b|\bdo\s+i\s+have\s+(?:any(?:thing)?\s+)?(?:\w+\s+)?(?:out|overdue|due\s+back)\b|\bhave\s+i\s+got\s+(?:any(?:thing)?\s+)?(?:\w+\s+)?(?:out|overdue|due\s+back)\b|\b(?:anything|files?|records?)\s+(?:of\s+mine|i\s+have|i've\s+got|ive\s+got)\s+(?:\w+\s+)?(?:out|overdue|due)\b|\bwhen\s+(?:is|are|do|does)\s+(?:my|the)\s+(?:\w+\s+){0,3}(?:due\s+back|need\s+to\s+go\s+back|have\s+to\s+(?:be\s+)?(?:back|returned))\b|\bwhat(?:'s|s|\s+is)\s+(?:due\s+back|overdue)\b|\bam\s+i\s+overdue\b|\bstatus\s+of\s+my\b|\bwhat\s+(?:files?|records?)\s+(?:have|do)\s+i\b|\bi\s+have\s+out\b|\bmy\s+(?:files?|records?)\s+(?:out|at\s+home)\b|\bwhat(?:'s|s|\s+is)\s+(?:signed|booked|checked)\s+out\s+(?:to|by|in\s+my\s+name)\b/;
const PENDING =
  /\b(?:waiting|pending|awaiting|outstanding|queue|in\s+my\s+(?:tray|inbox))\b|\bto\s+(?:approve|sign\s+off|authori[sz]e|look\s+at|decide|action|review)\b|\b(?:need|needs|needing)\s+(?:my\s+)?(?:approval|sign[\s-]?off|authorisation|decision)\b|\bapprovals?\b/;
const TEAM =
  /\bmy\s+team(?:'s)?\b|\bteam(?:'s)?\s+(?:requests?|removals?|files?|records?)\b|\bwho(?:'s|s|\s+has|\s+have)\s+(?:got\s+)?(?:\w+\s+){0,3}(?:out|overdue)\b|\b(?:my|the)\s+(?:workers|staff|social\s+workers|sws)\b/;
const OVERDUE =
  /\b(?:overdue|late|not\s+(?:been\s+)?(?:returned|back)|past\s+(?:their|the)\s+(?:return|due)\s+date)\b/;
const RECALL =
  /\b(?:recall|recalling|pull\s+(?:\w+\s+){0,3}back|pull\s+in|call\s+(?:\w+\s+){0,3}back|revoke|revoking|rescind|need\s+(?:\w+\s+){0,4}back|want\s+(?:\w+\s+){0,4}back|get\s+(?:\w+\s+){0,4}back|ask(?:ing)?\s+(?:\w+\s+){0,2}(?:to\s+)?(?:bring|return)|bring\s+(?:\w+\s+){0,3}back\s+(?:in\s+)?(?:early|now|today|asap|immediately|straight)|cancel\s+(?:\w+\s+){0,3}(?:authorisation|authorization|approval|removal|permission)|return\s+(?:\w+\s+){0,3}(?:early|asap|immediately|straight\s+away)|have\s+(?:\w+\s+){0,3}back\s+by|back\s+(?:early|asap|immediately|straight\s+away))\b/;
const COVER =
  /\b(?:cover(?:ing)?|deputi[sz]e|deputi[sz]ing|deputy|act(?:ing)?\s+(?:for|as|up)|delegat\w*|stand(?:ing)?\s+in|in\s+my\s+absence|while\s+(?:i'?m|i\s+am)\s+(?:away|off|out|on)|on\s+(?:annual\s+)?leave|(?:i'?m|i\s+am)\s+(?:off|away|on\s+holiday|on\s+leave)|holiday|hols|a\/l)\b/;
const APPROVE_FOR_TEAM =
  /\b(?:approve|approving|sign(?:ing)?\s+off|authori[sz]e|authori[sz]ing|approvals?|decisions)\s+(?:\w+\s+){0,3}(?:for|on\s+behalf\s+of)\s+(?:me|my\s+team|the\s+team)\b|\b(?:handle|do|take|manage|look\s+after)\s+(?:my\s+)?(?:approvals|sign[\s-]?offs?)\b/;
const COVER_END =
  /\b(?:end|stop|cancel|remove|finish|turn\s+off|switch\s+off|take\s+off|no\s+longer\s+need|don'?t\s+need|revoke|clear)\s+(?:\w+\s+){0,3}(?:cover|covering|deputy|acting|delegation|delegate)\b|\b(?:cover|covering|delegation)\s+(?:can\s+)?(?:end|stop|finish)|\b(?:i'?m|i\s+am)\s+back\b(?!\s+(?:on|by|in\s+the\s+office\s+on|at))|\bback\s+(?:from|off)\s+(?:leave|holiday|hols|a\/l)\b|\bback\s+in\s+charge\b/;
const HOW_LONG =
  /\bhow\s+long\b|\bhow\s+many\s+years\b|\bretention\b|\bretain(?:ed)?\b|\bkept\s+(?:for|until|till)\b|\bkeep\s+(?:\w+\s+){0,4}(?:for|until|till)\s+(?:how|long|ever)|\b(?:keep|kept|retain)\s+(?:\w+\s+){0,4}(?:forever|permanently|for\s+ever)\b|\bwhen\s+(?:can|could|do|does|should|will|would|are|is|must|may)\b.{0,60}\b(?:destroy|destroyed|shred|shredded|disposed?|deleted?|binned|get\s+rid|reviewed|destruction)\b|\b(?:destroy|destruction|disposal|review)\s+date\b|\bhow\s+long\s+(?:do|does|are|is|should|must|will)\b/;
const HOLDING_FOR =
  /\b(?:holding|keeping|hold|keep)\s+(?:\w+\s+){0,4}for\b.*\?|\bhow\s+long\s+(?:are|is)\s+(?:we|they)\s+(?:holding|keeping)\b/;
const CASE_STATUS =
  /\b(?:retention|destruction|destroy|review)\s+(?:status|date|due)\b|\bstatus\s+of\b|\bwhen\s+(?:is|will|can|does)\s+(?:\w+\s+){0,3}(?:be\s+)?(?:destroyed|due|reviewed|shredded)\b|\bis\s+(?:\w+\s+){0,3}due\s+(?:for\s+)?(?:destruction|review|to\s+be\s+destroyed)\b|\bhow\s+long\s+(?:until|till|before)\b|\b(?:any|is\s+there\s+a|under\s+a|on)\s+hold\b/;
const POLICY_WORDS =
  /\b(?:allowed|permission|permitted|rules?|policy|procedure|process|laptop|computer|pc|memory\s+stick|usb|stick|hard\s*drive|harddrive|livelink|upload|scan|lose|lost|losing|mislaid|misplaced|stolen|missing|disciplinary|trouble|sacked|breach|shred|shredding|confidential\s+waste|bin|train|bus|car|public\s+transport|own|owns|belong|property|who\s+destroys|register\s+of|subject\s+access|litigation|claim|data\s+breach|ico|information\s+governance|agree|agreement|case[\s-]by[\s-]case)\b/;
const HOLD_WORD = /\bholds?\b|\bon\s+hold\b|\blegal\s+hold\b|\blitigation\s+hold\b|\bfreeze\b|\bfrozen\b/;
const HOLD_PLACE =
  /\b(?:place|put|add|apply|set|create|log|raise|freeze|flag|need|open|register|record)\s+(?:\w+\s+){0,4}(?:hold|freeze)\b|\bhold\s+(?:on|for|against)\s+(?:case|record|ll-|\d)|\b(?:litigation|legal)\s+hold\s+on\b|\bdon'?t\s+(?:let\s+(?:\w+\s+){0,3})?(?:destroy|shred)\b|\bmust\s+not\s+be\s+destroyed\b|\bstop\s+(?:\w+\s+){0,3}(?:being\s+)?destroyed\b|\bpreserve\b/;
const HOLD_RELEASE =
  /\b(?:release|releasing|lift|lifting|remove|removing|take\s+off|end|ending|clear|drop|cancel|close)\s+(?:\w+\s+){0,4}holds?\b|\bholds?\s+(?:\w+\s+){0,3}(?:released|lifted|removed|can\s+(?:come\s+off|be\s+(?:released|lifted|removed))|no\s+longer\s+(?:needed|required)|(?:has\s+)?ended)\b|\bunfreeze\b|\b(?:settled|concluded|closed|withdrawn|finished|completed|over|done)\b.*\bhold\b|\bhold\b.*\b(?:settled|concluded|withdrawn|finished|completed)\b/;
const HOLD_LIST =
  /\b(?:show|list|what|which|any|see|view|current|active|open|all|how\s+many|are\s+there|is\s+there)\b.{0,40}\bholds?\b|\bholds?\s+(?:list|in\s+place|on\s+file)\b|\bon\s+hold\b|\bunder\s+(?:a\s+)?hold\b/;
const DUE =
  /\b(?:due|overdue|ready|eligible|reached|passed|expired|expiring|up\s+for|ripe|past)\b.{0,40}\b(?:destruction|destroy|destroyed|disposal|dispose|shredding)\b|\b(?:destruction|destroy|disposal)\b.{0,30}\b(?:due|overdue|ready|eligible)\b|\bwhat\s+can\s+(?:we|i|be)\s+(?:destroy|shred|dispose)|\bcan\s+be\s+destroyed\b|\bdue\s+(?:for\s+|this\s+|next\s+|by\s+|in\s+|before\s+)|\bwhat(?:'s|s|\s+is)\s+due\b|\b(?:anything|what|any)\s+(?:\w+\s+){0,3}due\b|\bpast\s+(?:their\s+)?retention\b|\bretention\s+(?:has\s+)?(?:ended|expired|passed|run\s+out)\b/;
const BATCH = /\bbatch(?:es)?\b|\bdb-?\d/;
const BATCH_START =
  /\b(?:start|create|make|new|build|prepare|begin|set\s+up|kick\s+off|put\s+together|raise|open|generate|draft|run|do)\s+(?:\w+\s+){0,3}batch\b|\bbatch\s+(?:up|them|these|those|all)\b|\bpreview\s+(?:\w+\s+){0,3}batch\b/;
const BATCH_CONFIRM =
  /\b(?:confirm|confirming|sign\s+off|approve|authori[sz]e|go\s+ahead|proceed|execute|complete|finali[sz]e|carry\s+out|action|destroy|mark\s+(?:\w+\s+)?(?:as\s+)?(?:destroyed|done|complete))\b/;
const REVIEW =
  /\breviews?\b|\bneed(?:s|ing)?\s+(?:a\s+)?(?:decision|decisions)\b|\bretention\s+(?:has\s+)?(?:ended|expired|run\s+out)\b|\bawaiting\s+(?:a\s+)?decision\b/;
const REVIEW_LIST =
  /\b(?:due|need|needs|needing|waiting|outstanding|pending|list|show|what|which|any|awaiting|for)\b/;
const REGISTER =
  /\bregister\b|\bdestroyed\s+(?:in|last|this|during|since|between|on)\b|\b(?:what|which|show|list|was|were|has|have)\b.{0,40}\b(?:been\s+)?destroyed\b|\bdestruction\s+(?:log|record|certificate)s?\b|\bcertificate\b/;
const EXPORT = /\b(?:export|download|csv|excel|xlsx|spreadsheet|extract|send\s+me\s+a\s+copy)\b/;
const HELP =
  /^(?:help|\?|menu|commands|options|start|what\s+can\s+you\s+do|what\s+do\s+you\s+do|what\s+are\s+you(?:\s+for)?|who\s+are\s+you|how\s+do\s+(?:i|you)\s+use\s+(?:this|you|the\s+bot)|what\s+can\s+i\s+(?:ask|do|say)|how\s+does\s+this\s+work|instructions|guide|what\s+can\s+this\s+(?:bot|thing)\s+do)\b/;
const HELP_ANYWHERE =
  /\bwhat\s+can\s+(?:you|this\s+bot|the\s+bot)\s+do\b|\bhelp\s+me\s+(?:use|with\s+this\s+bot)\b|\bhow\s+do\s+i\s+use\s+(?:this|you)\b|^help\b/;
const CHAT =
  /^(?:(?:hi|hello|hey|hiya|thanks|thank\s+you|cheers|ta|ok|okay|great|brilliant|lovely|good\s+morning|morning|bye|goodbye|lol|nice\s+one|perfect|sorry)\b[\s!.,]*)+$/;
const DOMAIN =
  /\b(?:file|files|records?|paperwork|case|cases|retention|destroy|destruction|destroyed|register|batch|hold|holds|approval|approve|authorisation|request|requests|livelink|procedure|policy|removal|return|returned|overdue|cover|review|shred|archive|bundle|notes)\b/;

// --- scoring --------------------------------------------------------------------------------

class Scores {
  private readonly map = new Map<Intent, { score: number; why: string[] }>();
  add(intent: Intent, weight: number, why: string): void {
    const entry = this.map.get(intent) ?? { score: 0, why: [] };
    entry.score += weight;
    entry.why.push(`${why} ${weight > 0 ? '+' : ''}${weight}`);
    this.map.set(intent, entry);
  }
  scale(intent: Intent, factor: number, why: string): void {
    const entry = this.map.get(intent);
    if (!entry || entry.score <= 0) return;
    entry.score *= factor;
    entry.why.push(`${why} ×${factor}`);
  }
  get(intent: Intent): number {
    return this.map.get(intent)?.score ?? 0;
  }
  list(): IntentScore[] {
    return [...this.map]
      .filter(([, e]) => e.score > 0)
      .map(([intent, e]) => ({ intent, score: Math.round(e.score * 100) / 100, why: e.why }))
      .sort((a, b) => b.score - a.score || INTENTS.indexOf(a.intent) - INTENTS.indexOf(b.intent));
  }
}

const RETURN_CUE_BEFORE =
  /\b(?:back|return(?:ed|ing)?|bring(?:ing)?\s+(?:\w+\s+){0,3}back|till|until|untill|til|up\s+to|drop(?:ping)?\s+(?:\w+\s+)?back|due\s+back|in\s+by)\b[^.;!?]{0,18}$/;

export function structureOf(x: Extracted): Structure {
  const t = x.cue;
  const question = /\?\s*$|\?\s/.test(x.text) || QUESTION_START.test(t) || QUESTION_PHRASE.test(t);
  const politeRequest = POLITE_REQUEST.test(t) && !THIRD_PERSON_QUESTION.test(t);
  return { question, politeRequest, topics: rankTopics(x.text) };
}

/** Every intent with weight for this message, best first. */
export function scoreIntents(x: Extracted, roles: readonly Role[], structure: Structure): IntentScore[] {
  const t = x.cue;
  const s = new Scores();
  const lm = roles.includes('line_manager');
  const rm = roles.includes('records_management');
  const hasCase = x.caseRefs.length > 0;
  const hasRecordId = x.recordIds.length > 0;
  const hasBatch = x.batchRefs.length > 0;
  const hasHoldRef = x.holdReferences.length > 0;
  const hasPerson = x.people.length > 0;
  const hasClass = x.classes.length > 0;
  const recordNoun = RECORD_NOUN.test(t);
  const object = hasCase || recordNoun || hasRecordId;
  const mentions = x.dates.mentions;
  const dated = mentions.some((m) => m.kind !== 'month');
  const returnDate = mentions.some((m) =>
    RETURN_CUE_BEFORE.test(x.text.slice(0, m.from.start).toLowerCase()),
  );
  const { question, politeRequest } = structure;
  const topic = structure.topics[0];
  const topicScore = topic?.score ?? 0;

  // Removal request: records (a case, or the words for them) with a removal verb, a
  // destination, or dates out and back.
  const removalVerb = REMOVAL_VERB.test(t);
  const destination = DESTINATION.test(t);
  if (object && removalVerb) s.add('removal.request', 3, 'records + removal verb');
  else if (removalVerb && (dated || destination))
    s.add('removal.request', 1.5, 'removal verb + date/destination');
  if (object && destination && (dated || removalVerb)) s.add('removal.request', 1.5, 'records + destination');
  if (hasCase && returnDate && !RETURNED.test(t)) s.add('removal.request', 2, 'case + return date');
  if (hasCase && dated && mentions.length >= 2) s.add('removal.request', 1, 'case + two dates');
  if (hasCase && dated && !RETURNED.test(t)) s.add('removal.request', 0.5, 'case + date');
  if (
    /\b(?:request|ask|apply)\s+(?:\w+\s+){0,2}(?:to\s+)?(?:take|remove|removal|sign\s+out|book\s+out)\b/.test(
      t,
    )
  )
    s.add('removal.request', 2, 'request to remove');

  // Returned: said in the past tense.
  if (RETURNED.test(t)) {
    const future = FUTURE.test(t) && returnDate;
    s.add('removal.mark_returned', future ? 1 : 3.5, 'returned');
    if (object) s.add('removal.mark_returned', 0.5, 'records');
  }

  if (WITHDRAW.test(t)) {
    const mine =
      /\bmy\s+(?:own\s+)?(?:request|application|removal|booking)\b|\b(?:no\s+longer|don'?t)\s+need\b|\bchanged\s+my\s+mind\b|\bnot\s+(?:needed|taking)\b|\bi\s+(?:want|need|would\s+like)\s+to\s+withdraw\b/.test(
        t,
      );
    s.add('removal.withdraw', mine ? 3.5 : 2, 'withdraw');
  }

  if (MY_LIST.test(t)) s.add('removal.list_mine', 3.5, 'my requests / what I have out');

  // A manager's words.
  if (PENDING.test(t)) s.add('approvals.pending', /\bapprovals?\b/.test(t) ? 2 : 1.5, 'waiting / approvals');
  if (TEAM.test(t)) s.add('approvals.pending', 2, 'my team');
  if (OVERDUE.test(t)) {
    if (rm && !lm) s.add('destruction.due', 1, 'overdue (records management)');
    else if (lm) s.add('approvals.pending', 1.5, "overdue (a manager: the team's)");
    else s.add('removal.list_mine', 1.5, 'overdue (mine)');
  }
  if (
    x.decision &&
    (hasPerson || hasCase || /\brequests?\b/.test(t)) &&
    !COVER.test(t) &&
    !APPROVE_FOR_TEAM.test(t)
  ) {
    const decisionWord =
      x.decision.value === 'decline' ? 3 : /\bapprov|authori[sz]|sign\s+off|go\s+ahead|grant/.test(t) ? 3 : 1;
    s.add('removal.decide', decisionWord, `decision: ${x.decision.value}`);
    if (/\brequest\b/.test(t)) s.add('removal.decide', 0.5, 'request');
  }
  if (RECALL.test(t)) {
    s.add('removal.cancel', hasPerson || hasCase ? 3 : 2, 'recall / cancel authorisation');
    if (lm) s.add('removal.cancel', 0.5, 'manager');
  }
  if (COVER.test(t) || APPROVE_FOR_TEAM.test(t)) {
    const strong =
      APPROVE_FOR_TEAM.test(t) ||
      /\bcover(?:ing)?\b|\bdeputi|\bdelegat|\bact(?:ing)?\s+(?:for|as|up)\b/.test(t);
    s.add('acting.set', strong ? 3 : 1, 'cover');
    if (hasPerson) s.add('acting.set', 1, 'person');
    if (/\b(?:until|till|til|untill|to|through|thru)\b/.test(t) && dated) s.add('acting.set', 0.5, 'until');
  }
  if (COVER_END.test(t)) s.add('acting.clear', 4, 'cover ends');

  // Retention.
  const howLong = HOW_LONG.test(t) || HOLDING_FOR.test(t);
  if (howLong || CASE_STATUS.test(t)) {
    if (hasCase || hasRecordId) s.add('retention.case', 3.5, 'retention + case');
    else if (hasClass) s.add('retention.class', 3.5, 'retention + record class');
    else s.add('retention.class', howLong ? 2 : 1, 'retention');
  }
  if (hasClass && question && !hasCase) s.add('retention.class', 0.5, 'question about a class');
  if (/\b(?:status|retention|destroy|destruction)\b/.test(t) && (hasCase || hasRecordId) && !removalVerb)
    s.add('retention.case', 1, 'case + retention words');

  // The procedure.
  if (question && topicScore >= 4) {
    const weight = Math.min(3.5, topicScore / 6);
    s.add('policy.question', weight, `question + procedure topic ${topic?.topic.id}`);
    if (POLICY_WORDS.test(t)) s.add('policy.question', 1, 'policy words');
    if (THIRD_PERSON_QUESTION.test(t)) s.add('policy.question', 1.5, 'third person');
  } else if (topicScore >= 8 && POLICY_WORDS.test(t)) s.add('policy.question', 1.5, 'procedure topic');

  // Records Management.
  const holdWord = HOLD_WORD.test(t);
  if (holdWord || x.holdType || hasHoldRef) {
    if (HOLD_RELEASE.test(t)) s.add('holds.release', 3.5, 'release hold');
    else if (HOLD_PLACE.test(t) || (x.holdType && (hasCase || hasRecordId) && !question))
      s.add('holds.place', 3, 'place hold');
    if (HOLD_LIST.test(t) || (question && holdWord)) s.add('holds.list', holdWord ? 2.5 : 1, 'holds');
    if (hasHoldRef && !HOLD_RELEASE.test(t) && !HOLD_PLACE.test(t)) s.add('holds.list', 1, 'hold reference');
  }
  if (DUE.test(t)) {
    s.add('destruction.due', rm ? 3 : 1.5, 'due for destruction');
    if (hasCase || hasRecordId) s.add('retention.case', 1.5, 'is this case due');
  }
  if (BATCH.test(t)) {
    if (hasBatch && BATCH_CONFIRM.test(t)) s.add('destruction.confirm', 4, 'confirm batch');
    else if (BATCH_START.test(t)) s.add('destruction.batch', 4, 'start batch');
    else s.add('destruction.batches', 3, 'batches');
  }
  if (
    REVIEW.test(t) &&
    !/\b(?:lac|cla|cin|cp|child\s+protection|annual|foster(?:ing)?\s+(?:carer\s+)?review)\b/.test(t)
  ) {
    if (x.reviewDecision && (hasCase || hasRecordId)) s.add('review.decide', 3, 'review decision');
    else if (REVIEW_LIST.test(t)) s.add('review.list', rm ? 2.5 : 1, 'reviews due');
  }
  if (x.reviewDecision && (hasCase || hasRecordId) && x.reviewDecision.value.action !== 'destroy')
    s.add('review.decide', 2.5, `review: ${x.reviewDecision.value.action}`);
  if (x.reviewDecision?.value.action === 'destroy' && (hasCase || hasRecordId) && rm && !question)
    s.add('review.decide', 1.5, 'destroy this record');
  if (REGISTER.test(t)) {
    if (EXPORT.test(t)) s.add('register.export', 4, 'export register');
    else s.add('register.query', /\bregister\b/.test(t) ? 3 : 2, 'register');
  } else if (EXPORT.test(t) && /\b(?:destroyed|destruction|register)\b/.test(t))
    s.add('register.export', 3, 'export');

  // Help.
  if (HELP.test(t) || HELP_ANYWHERE.test(t)) s.add('help', 4, 'help');

  // Questions are answered, never acted on.
  if (question && !politeRequest) {
    for (const intent of INTENTS) if (INTENT_KINDS[intent] === 'action') s.scale(intent, 0.3, 'question');
    if (s.get('policy.question') === 0 && topicScore >= 4 && !s.list().some((e) => e.score >= 2.5))
      s.add('policy.question', 1, 'question about the procedure');
  }
  // A polite request with nothing specific ("can I take files home?") asks about the rules.
  if (
    politeRequest &&
    !hasCase &&
    !hasRecordId &&
    !hasPerson &&
    !hasBatch &&
    /^(?:[^,]*\b)?(?:can|could|may)\s+(?:i|we)\b/.test(t)
  ) {
    const generic = /\b(?:files|records|paperwork|papers|case\s+files|case\s+records)\b/.test(t) && !dated;
    if (generic) {
      s.scale('removal.request', 0.4, 'nothing specific');
      if (topicScore >= 4) s.add('policy.question', 2, 'generic permission question');
    }
  }
  // The roles decide between readings: what the asker may not do weighs less.
  for (const e of s.list()) if (!allowedFor(e.intent, roles)) s.scale(e.intent, 0.5, 'not for this role');
  return s.list();
}

/** Whether the message is about the product's domain at all. */
export function inDomain(x: Extracted): boolean {
  return (
    DOMAIN.test(x.cue) ||
    x.caseRefs.length > 0 ||
    x.recordIds.length > 0 ||
    x.batchRefs.length > 0 ||
    x.classes.length > 0
  );
}

/** Small talk: a greeting or thanks, and nothing else. */
export function isChat(x: Extracted): boolean {
  return CHAT.test(x.cue);
}
