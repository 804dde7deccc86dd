import type { Role } from '../rules/roles.js';
import type { DateMention } from './dates.js';
import { cueText } from './cue-text.js';
import type { Extracted } from './entities.js';
import { allowedFor, INTENT_KINDS, INTENTS, type Intent } from './intents.js';
import { rankTopics, type TopicScore } from './procedure/retrieve.js';

/**
 * The intent from the message's structure: its references, dates and record classes, the
 * verbs and markers around them, whether it is a question, and the asker's roles. Each cue adds
 * weight to the intents it points to; a question takes weight away from every action; the
 * roles decide between readings that share words. The result is every intent with weight, best
 * first, with the cues that counted.
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
  /**
   * The clauses that carry the message's case or record ask a question. A side question ("is
   * that right through here?", "does my manager get this?") does not make a question of a request
   * told in another clause.
   */
  readonly mainQuestion: boolean;
  /** Procedure answer topics, best first. */
  readonly topics: readonly TopicScore[];
}

// --- cue patterns, on the cue text (lower case, typos fixed) ---------------------------------

const LEAD = String.raw`(?:(?:hi|hello|hey|hiya|morning|good\s+morning|afternoon|good\s+afternoon|quick\s+(?:question|q)|sorry|just\s+wondering|q|please|pls|plz|ok|okay|right|so|um|erm|bot|team|all|new\s+here|also|and)\b[\s,!.:-]*)*`;
const QUESTION_START = new RegExp(
  `^${LEAD}(?:how|what|whats|what's|when|where|why|who|whom|which|whose|is|are|am|was|were|do|does|did|can|could|may|might|should|would|will|shall|must|have|has|had|any|anything|if)\\b`,
);
const QUESTION_PHRASE =
  /\b(?:i was wondering|wondering (?:if|whether)|do you know|does anyone know|is it true|am i (?:allowed|able|ok|okay)|are (?:we|staff) (?:allowed|able)|is it (?:ok|okay|alright|allowed|fine|acceptable)|what(?:'s|s| is) the (?:process|procedure|policy|rule|rules)|how do i|how can i|what do i do|what should i do|who do i|what happens|what if|is there (?:a|any)|can (?:she|he|they|managers?|staff|someone|anyone|people|social workers)\b)|\b(?:kindly|please|pls)\s+(?:clarify|advise|explain|let\s+me\s+know)\b|\b(?:confirm|clarify|advise)\s+(?:whether|if)\b|\b(?:can|could)\s+(?:you|someone)\s+(?:clarify|advise|explain|tell\s+me|remind\s+me)\b|\bremind\s+me\b|\bwhat\s+now\b|\bi(?:'d|\s+would)\s+like\s+to\s+know\b|\bi\s+(?:need|want)\s+to\s+know\b/;
const POLITE_REQUEST = new RegExp(
  `(?:^|[,.;!?]\\s+|\\s-\\s+)${LEAD}(?:(?:can|could|may|might)\\s+(?:i|we)\\s+(?:please\\s+|just\\s+)?(?:take|have|borrow|remove|sign|book|bring|keep|pop|grab|collect|pick|request|put|place|start|create|export|approve|decline|cancel|recall|release|lift|confirm|see|view|show|list|mark|withdraw|return|end|set|stop|change|update|switch|get\\s+(?:[\\w-]+\\s+){0,3}(?:signed|booked|checked|out))|(?:can|could|would|will)\\s+you\\s+(?:please\\s+|kindly\\s+|just\\s+)?(?:\\w+\\s+)?(?:approve|decline|reject|cancel|recall|place|put|release|lift|start|create|export|download|show|list|mark|log|record|set|end|stop|withdraw|book|sign|confirm|pull|give|send|tell|check|find|let|arrange|make|add|remove|run|do|kick|prepare|build|generate|draft|begin|produce|compile|raise|get)|(?:can|could)\\s+[a-z]+\\s+(?:please\\s+)?(?:cover|act|deputi[sz]e|approve\\s+for|do\\s+my|(?:pick\\s+up|take\\s+over|deal\\s+with|look\\s+after|handle|manage|mind)\\s+(?:my|our|the\\s+team'?s)\\s+(?:approvals|authorisations|sign[\\s-]?offs|decisions))|(?:i'?d|i\\s+would)\\s+like\\s+to|is\\s+it\\s+(?:ok|okay|alright|possible)\\s+(?:if\\s+i|for\\s+me\\s+to|to)\\s+(?:take|have|borrow|remove|sign|book|bring|keep))\\b`,
);
const THIRD_PERSON_QUESTION =
  /\b(?:can|could|may|is|does|do|should|must|will)\s+(?:she|he|they|my manager|my tm|managers?|the manager|staff|someone|anyone|people|social workers|workers|a manager|a social worker|colleagues?)\b|\b(?:can|could|may|should|must|does|do|will|would)\s+(?:the|my|a|an|our|another|any)\s+(?:[\w-]+\s+)?(?:atm|tm|team\s+manager|manager|student|agency\s+worker|guardian|iro|colleague|worker|admin|team|senior|deputy|parent|solicitor|police|carer|family|person|ssw|pa|practice\s+manager|head\s+of\s+service|hos)\s+(?:also\s+|still\s+|just\s+)?(?:approve|sign|authori[sz]e|agree|take|borrow|see|have|keep|destroy|shred|access|look|ask|do|decide|give|let|use|read|share|request|remove|bring|return|cover|act|need|get|clear|bin|throw|dispose|scan|upload|print|copy|store|save|email|send|move|carry|work|use)\b/;
/** "what happens if", "as a TM can I": a question about the rules, whatever else it says. */
const RULE_QUESTION =
  /\b(?:what happens (?:if|when)|what if|what (?:do|should) i do (?:if|when)|what'?s the (?:process|procedure|policy|rule)|whats the (?:process|procedure)|is it true|as a (?:tm|manager|team manager|sw|social worker)|am i allowed|are (?:we|staff) allowed|(?:would|will|could) (?:i|we) be (?:allowed|permitted)|is it (?:ok|okay|alright|allowed) to|do i need (?:my\s+)?(?:manager'?s?\s+|tm'?s?\s+)?(?:permission|to ask|approval|ok|okay|agreement|sign[\s-]?off|authorisation)|does my manager have to|do i have to|could i get (?:disciplined|in trouble|sacked)|who\s+do\s+i\s+(?:tell|report\s+it\s+to|inform|notify)|will i get|who is allowed|who can)\b|\bdo\s+i\s+(?:need|have)\s+to\s+(?:record|give|say|write|explain|put|note|provide|state)\b|\bwhat\s+now\b|\bwhose\s+(?:job|responsibility)\b|\b(?:are|is)\s+(?:case\s+workers?|staff|social\s+workers?|managers?|we|i)\s+(?:permitted|allowed)\b|\b(?:one|a\s+single|blanket|general|standing)\s+(?:approval|authorisation|authorization|agreement)\b/;
const RULE_QUESTION_EXTRA =
  /\bcan\s+(?:it|they)\s+still\s+be\b|^if\s+(?:a|the|there'?s|my|i|we|you|someone|they|he|she)\b.*\b(?:can|could|may|do|does|should|will|would|is|am)\s+(?:i|we|it|they|he|she|you|that|this)\b|\bis\s+(?:that|this|it)\s+(?:allowed|ok|okay|alright|permitted|acceptable|fine)\b(?!\s+(?:if|for|to)\b)|\bagainst\s+(?:the\s+)?(?:rules|policy|procedure)\b|\bdoes\s+(?:that|this|it)\s+count\s+as\b|\bwho\s+(?:signs?|approves?|authori[sz]es?|agrees?|decides?|can\s+sign)\b|\bdo\s+i\s+(?:need|have)\s+to\s+(?:tell|report|inform|let\s+(?:[\w'-]+\s+){1,2}know)\b|\bhow\s+(?:would|do|can|could)\s+i\s+(?:know|tell|find\s+out|check)\b|\bwho\s+(?:do|does)\b.*\bbelong\b|\bbelong\s+to\b|\bwhere\s+(?:do|should|must|can|am|are|is)\s+(?:i|we|it|they|these|those|this|that)\s+(?:supposed\s+to\s+|meant\s+to\s+|have\s+to\s+|need\s+to\s+)?(?:save|store|file|put|keep|upload|go)\b/;
/** A condition makes a question of a request: "can I take 1234567 home if my manager is off?" */
const CONDITIONAL =
  /\b(?:if|when|without)\s+(?:my|the|i|there|she|he|they|it|asking|permission|approval)\b|\bwithout\s+(?:giving|telling|saying|stating|a\s+reason|any\s+reason|reasons?|notice|warning)\b/;

const RECORD_NOUN =
  /\b(?:file|files|records?|paperwork|papers|bundle|bundles|folder|folders|notes|docs|documents|box|boxes|casefile|lever\s+arch)\b/;
const REMOVAL_VERB =
  /\b(?:(?:can|could|may)\s+i\s+(?:please\s+)?have|take|taking|took|remove|removing|borrow|borrowing|sign(?:ing)?\s+(?:[\w'-]+\s+)?out|book(?:ing)?\s+(?:[\w'-]+\s+)?out|check(?:ing)?\s+(?:[\w'-]+\s+)?out|out\s+(?:of\s+the\s+office|tonight|today|tomorrow|this|on|from|for|until|till|til|\d)|have\s+(?:[\w'-]+\s+){0,3}(?:at\s+home|out|overnight|home)|bring(?:ing)?\s+(?:[\w'-]+\s+){0,3}home|pop\s+(?:[\w'-]+\s+){0,3}(?:home|out)|grab|collect(?:ing)?|pick(?:ing)?\s+up|carry|carrying|off\s+site|offsite|with\s+me|keep\s+(?:[\w'-]+\s+){0,3}(?:overnight|at\s+home|over|till|until|til)|need(?:ed)?\s+(?:[\w'-]+\s+){0,3}(?:for|at|out|home|on|over|tonight|tomorrow|tmrw))\b/;
const COME_HOME = /\b(?:come|go)\s+home\b/;
const DESTINATION =
  /\b(?:home|wfh|work(?:ing)?\s+from\s+home|court|hearing|conference|icpc|rcpc|core\s+group|strategy|strat|panel|tribunal|meeting|visit|visits|irh|plo|legal(?!\s+hold)|school)\b/;
const RETURNED =
  /\b(?:(?:brought|dropped|handed|put|taken|given|carried|popped|returned)\s+(?:[\w'-]+\s+){0,4}back|got\s+(?:[\w'-]+\s+){0,4}back\s+(?:to|in|into|on)\b|returned|(?:is|are|it's|its|they're|theyre|now|all|everything|file's|files are|records are)\s+back\b|^(?:the\s+)?(?:file|bundle|records|papers)\s+back\b|back\s+(?:in|on|at)\s+(?:the\s+)?(?:office|cabinet|site|file room|filing|drawer|cupboard|shelf|records room|base)|back\s+on\s+site|back\s+safe|have\s+returned|has\s+been\s+returned|mark(?:ed)?\s+(?:[\w'-]+\s+){0,3}(?:as\s+)?(?:returned|back)|no\s+longer\s+(?:out|have\s+it)|(?:i|we)\s+returned|(?:returning|bringing)\s+(?:[\w'-]+\s+){0,3}(?:back\s+)?(?:today|now|this\s+(?:morning|afternoon|am|pm))|confirming\s+(?:the\s+)?return)\b/;
/** A case and "back" and nothing more: "2064180 back in", "1234567 is back now". */
const CASE_BACK =
  /\b\d{6,10}\s+(?:(?:is|are|now|all|file'?s|files\s+are)\s+)?back(?:\s+(?:in|now|safe|in\s+the\s+office))?\s*[.!]*$/;
const FUTURE =
  /\b(?:will|i'll|ill|going\s+to|gonna|shall|plan\s+to|intend|need\s+to|want\s+to|would\s+like|can\s+i|could\s+i|may\s+i)\b/;
const WITHDRAW =
  /\b(?:withdraw|withdrawing|retract|scrap|scratch|forget|ditch|drop)\b|\btake\s+(?:my|the|that|this)\s+(?:[\w'-]+\s+){0,2}(?:request|booking|application)\s+off\b|\b(?:cancel|delete|remove|pull|take\s+back)\s+(?:[\w'-]+\s+){0,2}(?:my|this|that|the)\s+(?:[\w'-]+\s+)?(?:request|application|removal|booking|ask)\b|\bno\s+longer\s+need|\bdon'?t\s+need\s+(?:to\s+take|it|them|the\s+(?:file|records|bundle|papers)|[\w'-]+\s+(?:out|home|any\s*more|after\s+all))|\bnot\s+(?:needed|taking|going\s+to\s+take)\b|\b(?:won'?t|will\s+not|wont)\s+(?:be\s+)?(?:taking|needing|need)\b|\bchanged\s+my\s+mind\b|\bignore\s+my\s+request\b|\bafter\s+all\b.*\bcancel\b|\bcancel\s+it\b|\bdon'?t\s+need\s+(?:any\s*more|now|it\s+now)\b|\btake\s+away\s+(?:my|the|this|that)\s+(?:[\w-]+\s+)?request\b|\b(?:cancel|withdraw|scrap|drop|delete)\s+(?:that|this|the)\s+(?:request|booking)\b/;
const MY_REQUEST_WORDS =
  /\b(?:won'?t|wont|will\s+not)\s+be\s+(?:taking|needing)\b|\bmy\s+(?:own\s+|[\w-]+\s+)?(?:request|application|removal|booking)\b|\b(?:no\s+longer|don'?t)\s+need\b|\bchanged\s+my\s+mind\b|\bnot\s+(?:needed|taking)\b|\bi\s+(?:want|need|would\s+like)\s+to\s+withdraw\b|\bwithdraw\b|\bscrap\b|\btake\s+back\b|\b(?:cancel|withdraw|scrap|drop|delete|take\s+away)\s+(?:that|this|the|my)\s+(?:[\w-]+\s+)?(?:request|booking)\b|\bi\s+(?:asked|requested|put\s+in|applied)\s+for\b/;
const MY_LIST =
  /\bmy\s+(?:[\w-]+\s+)?(?:requests?|removals?|authorisations?|applications?|bookings?)\b|\bwhat\s+(?:have|do|did)\s+i\s+(?:got\s+|have\s+|currently\s+|still\s+)*(?:got\s+)?(?:out|signed\s+out|booked\s+out|checked\s+out|taken\s+out|at\s+home|borrowed)\b|\bwhat(?:'s|s|\s+is)?\s+(?:happening|going\s+on)\s+with\s+my\b|\b(?:has|have|did)\s+(?:my|the)\s+(?:manager\s+|tm\s+)?(?:approved?|authori[sz]ed?|signed\s+off|agreed)\s+my\b|\b(?:have|has)\s+my\s+(?:[\w-]+\s+)?(?:request|removal|authorisation)\b|\b(?:do|have)\s+i\s+(?:have|got)\s+(?:any(?:thing)?\s+)?(?:[\w-]+\s+)?(?:out|overdue|due\s+back)\b|\b(?:anything|files?|records?)\s+(?:of\s+mine|i\s+have|i've\s+got|ive\s+got)\b|\bof\s+mine\b|\b(?:list|show|see|check)\s+(?:me\s+)?mine\b|\b(?:signed|okayed|ok'?d)\s+mine\s+off\b|\b(?:approved?|signed\s+off|authori[sz]ed?|looked\s+at|declined|refused)\s+mine\b|\b(?:am\s+i|i'?m)\s+(?:still\s+)?(?:showing|down|listed|marked|recorded|logged|on\s+(?:the\s+)?system)\s+(?:as\s+)?(?:having|with|holding)\b|\b(?:which|what)\s+(?:files?|records?|cases?)\s+(?:am|do|have)\s+i\s+(?:still\s+)?(?:down|showing|listed|got|have|holding)\b|\b(?:of\s+)?my\s+(?:files?|records?|cases?|requests?|removals?)\s+(?:are|is)\s+(?:still\s+)?(?:out|overdue|pending|back|approved|signed\s+out)\b|\bwhen\s+(?:is|are|do|does)\s+(?:my|the)\s+(?:[\w-]+\s+){0,3}(?:due\s+back|need\s+to\s+go\s+back|have\s+to\s+(?:be\s+)?(?:back|returned))\b|\bam\s+i\s+(?:overdue|showing)\b|^(?:[\w'-]+\s+){0,2}(?:is|are)\s+(?:my\s+|the\s+)?(?:[\w-]+\s+){0,2}(?:due\s+back|overdue)\b|\bstatus\s+of\s+my\b|\b(?:what|which)\s+(?:files?|records?)\s+(?:have|do)\s+i\b|\bi\s+have\s+out\b|\bmy\s+(?:files?|records?)\s+(?:out|at\s+home)\b|\bhave\s+i\s+got\s+(?:[\w-]+\s+){0,3}out\b|\b(?:what|which|anything|any\s+(?:files?|records?))\b[^.?!]{0,30}\bout\s+with\s+me\b|\bdo\s+i\s+still\s+have\b|\bis\s+[\w-]+\s+still\s+(?:out|signed\s+out|booked\s+out|with\s+me)\b|\b(?:in|under)\s+my\s+name\b|\bwhat\s+(?:have|do|did)\s+i\s+(?:[\w-]+\s+){0,3}(?:out|signed\s+out|booked\s+out|checked\s+out|taken\s+out|at\s+home|borrowed)\b|\b(?:which|what)\s+(?:files?|records?|cases?)\s+(?:(?:do|have|did)\s+)?i\s+(?:currently\s+|still\s+|have\s+)?(?:have|got|'ve\s+got|requested|asked\s+for|booked|signed|taken)\b|\b(?:files?|records?|requests?|cases?)\s+(?:that\s+)?i(?:'ve|\s+have)?\s+(?:requested|asked\s+for|booked\s+out|signed\s+out|taken\s+out|got\s+out|put\s+in\s+for)\b|\bhave\s+i\s+(?:still\s+|currently\s+)?got\s+(?:[\w-]+\s+){0,3}out\b|^(?:[\w'-]+\s+){0,2}my\s+(?:files|requests|records|removals)\s*(?:please|pls|plz)?[?!.]*$/;
/** "what's signed out to me": my records, when no case is named (with one, a request to sign it out). */
const OUT_TO_ME = /\b(?:booked|signed|checked|taken)\s+out\s+(?:to|by|under|for)\s+me\b/;
const PENDING =
  /\b(?:waiting|pending|awaiting|outstanding|queue)\b|\b(?:needs?|needing)\s+(?:to\s+be\s+)?(?:sign(?:ing|ed)?\s+off|authori[sz]\w*|approv\w*|decid\w*|a\s+decision|looking\s+at|actioning)|\bto\s+(?:approve|sign\s+off|authori[sz]e|look\s+at|decide|action|review)\b|\b(?:need|needs|needing)\s+(?:my\s+)?(?:approval|approving|sign[\s-]?off|authorisation|decision)\b|\bapprovals?\b|\bsay\s+(?:yes\s+or\s+no|yes\s+to)\b|\bput\s+in\s+for\b|\bfor\s+my\s+(?:authori[sz]ation|approval|sign[\s-]?off|decision|ok)\b|\b(?:anything|something)\s+(?:for|waiting\s+for)\s+me\b/;
/** Has my request been decided? "did Priya approve 2031187 yet", "has my request been approved". */
const DECIDED =
  /\b(?:has|have|did|was|were|is|got)\s+(?:[\w'-]+\s+){0,4}(?:approved?|declined?|rejected|refused|signed\s+off|sign\s+off|authori[sz]ed?|agreed|ok'?d|okayed|looked\s+at)\b/;
const DUE_BACK = /\bwhen\s+(?:is|are|does|do)\s+(?:[\w'-]+\s+){0,4}due\s+back\b|\bdue\s+back\s+(?:when|\?)/;
const VAGUE_DURATION = /\bfor\s+(?:a\s+)?(?:few|couple(?:\s+of)?)\s+(?:days|nights|weeks)\b/;
const MY_PENDING =
  /^(?:(?:so|ok|hi|hiya)\s+)?(?:what'?s|whats|what\s+is|anything|any(?:thing)?\s+of\s+mine)\s+(?:still\s+)?(?:pending|waiting|outstanding)\b/;
const TEAM =
  /\bmy\s+team(?:'s)?\b|\bthe\s+team(?:'s)?\s+(?:requests?|removals?|files?|records?|today)\b|\bfrom\s+the\s+team\b|\bteam(?:'s)?\s+(?:requests?|removals?|files?|records?|authorisations?)\b|\bwho(?:'s|s|\s+has|\s+have)\s+(?:got\s+)?(?:[\w'-]+\s+){0,3}(?:out|overdue)\b|\bwho\s+in\s+my\s+team\b|\b(?:my|the)\s+(?:workers|staff|social\s+workers|sws)\b|\b(?:any|anyone|one)\s+(?:of|in)\s+(?:the|my)\s+team\b/;
const REQUESTS_TO_SEE =
  /\b(?:any|have\s+i\s+got\s+any|show\s+(?:me\s+)?)\s*(?:[\w'-]+\s+)?(?:removal\s+)?requests\b/;
const OVERDUE =
  /\b(?:overdue|late|not\s+(?:been\s+)?(?:returned|back)|past\s+(?:their|the)\s+(?:return|due)\s+date)\b/;
const RECALL =
  /\b(?:recall|recalling|pull\s+(?:[\w'-]+\s+){0,2}(?:removal|authorisation|approval|permission)|(?:needs?|has|have)\s+to\s+(?:return|bring\s+(?:[\w'-]+\s+){0,2}back)|(?:file|files|records?|bundle)\s+(?:is\s+|are\s+)?needed\s+(?:here|back|in\s+the\s+office)|pull\s+(?:[\w'-]+\s+){0,3}back|pull\s+in|call\s+(?:[\w'-]+\s+){0,3}back|revoke|revoking|rescind|need\s+(?:[\w'-]+\s+){0,4}back|want\s+(?:[\w'-]+\s+){0,4}back|get\s+(?:[\w'-]+\s+){0,4}back|ask(?:ing)?\s+(?:[\w'-]+\s+){0,2}(?:to\s+)?(?:bring|return)|need\s+[\w'-]+\s+to\s+(?:bring|return)|bring\s+(?:[\w'-]+\s+){0,3}back\s+(?:in\s+)?(?:early|now|today|asap|immediately|straight)|cancel\s+(?:[\w'-]+\s+){0,3}(?:authorisation|authorization|approval|permission)|(?:withdraw|pull)\s+(?:my\s+)?(?:approval|authorisation|permission)|return\s+(?:[\w'-]+\s+){0,3}(?:early|asap|immediately|straight\s+away)|have\s+(?:[\w'-]+\s+){0,3}back\s+by)\b/;
const COVER =
  /\b(?:cover(?:ing)?|deputi[sz]e|deputi[sz]ing|deputy|act(?:ing)?\s+(?:for|as|up)|delegat\w*|stand(?:ing)?\s+in|in\s+my\s+absence|while\s+(?:i'?m|i\s+am)\s+(?:away|off|out|on)|on\s+(?:annual\s+)?leave|(?:i'?m|i\s+am)\s+(?:off|away|on\s+holiday|on\s+leave)|holiday|hols|a\/l|off\s+sick|do\s+my\s+(?:approvals|authorisations|sign[\s-]?offs)|(?:my|the)\s+(?:approvals|authorisations)\s+(?:over|while|until|till|til|up\s+to))\b|\bacting\s+(?:manager|tm|team\s+manager|up)\b|\bbe\s+acting\b/;
const APPROVE_FOR_TEAM =
  /\b(?:approve|approving|sign(?:ing)?\s+off|authori[sz]e|authori[sz]ing|approvals?|decisions)\s+(?:[\w'-]+\s+){0,3}(?:for|on\s+behalf\s+of)\s+(?:me|my\s+team|the\s+team)\b|\b(?:handle|do|take|manage|look\s+after|pick\s+up|take\s+over|deal\s+with|mind|cover)\s+(?:my\s+|the\s+team'?s\s+)?(?:approvals|authorisations|sign[\s-]?offs?|decisions)\b/;
/** Words that only cover means (leave alone may be a leave request). */
const COVER_WORDS =
  /\b(?:cover(?:ing)?|deputi[sz]\w*|deputy|act(?:ing)?\s+(?:for|as|up)|delegat\w*|stand(?:ing)?\s+in|approvals|authorisations|sign[\s-]?offs)\b/;
const COVER_END =
  /\bno\s+(?:more\s+|longer\s+)?(?:cover|covering)\s+(?:needed|required)\b|\b(?:end|stop|cancel|remove|finish|turn\s+off|switch\s+off|take\s+off|no\s+longer\s+need|don'?t\s+need|revoke|clear)\s+(?:[\w'-]+\s+){0,3}(?:cover|covering|deputy|acting|delegation|delegate)\b|\b(?:cover|covering|delegation)\s+(?:can\s+)?(?:end|stop|finish)|(?:doesn'?t|does\s+not|don'?t|no\s+longer)\s+(?:need\s+to\s+)?cover|\bcover(?:ing)?\s+(?:any\s*more|anymore)\b|^(?:i'?m|i\s+am)\s+back\b|\bback\s+(?:from|off)\s+(?:leave|holiday|hols|a\/l|sick)\b|\bback\s+in\s+charge\b/;
const HOW_LONG_KEEP =
  /\b(?:do|does|must|should)\s+(?:we|they|you|i)\s+(?:have\s+to\s+|need\s+to\s+|still\s+)?(?:keep|retain|hold\s+on\s+to)\b|\b(?:how\s+long|how\s+many\s+years|how\s+much\s+longer|hw\s+long)\b.{0,60}\b(?:keep|keeping|kept|retain|retained|retaining|hold|holding|held|store|stored|stay|stays|hang\s+on|have\s+to\s+keep|destroy|go|last)\b|\b(?:keep|kept|retain|retained|hold|held|hang\s+on\s+to)\b.{0,60}\b(?:how\s+long|how\s+many\s+years)\b|\bretention\b|\bretain(?:ed)?\b|\bkept\s+for\b|\b(?:keep|kept|retain)\s+(?:[\w'-]+\s+){0,4}(?:forever|for\s+ever)\b|\bwhen\s+(?:can|could|do|does|should|will|would|are|is|must|may)\b.{0,60}\b(?:destroy|destroyed|shred|shredded|disposed?|deleted?|binned|get\s+rid|go|reviewed|destruction|end)\b|\b(?:destroy|destruction|disposal|review)\s+date\b|\bschedule\s+say\b|\b\d+\s+(?:yrs|years)\s+or\s+\d+\b|\b(?:how\s+long|how\s+many\s+years|hw\s+long)\b.{0,60}\b(?:keeps|retains|stores|holds)\b|\bkept\s+(?:as\s+long|for\s+as\s+long|longer|the\s+same)\b|\b(?:what'?s|what\s+is|whats)\s+the\s+(?:retention\s+)?(?:rule|period|schedule)\s+(?:for|on|with)\b(?!\s+(?:taking|removing|bringing|carrying|signing|booking|working|using|saving))|\bdisposition\b|\bdisposal\s+(?:rule|action|schedule)\b|\bend\s+action\b|\btrigger\s+event\b|\bwhen\s+(?:we|i|they|you)\s+(?:can|could|should|may|must)\s+(?:destroy|shred|dispose|get\s+rid|bin|delete)\b|\bafter\s+how\s+(?:many\s+years|long)\b/;
/** The state of one case's records: on hold, still kept, gone, up for review. */
const CASE_STATE =
  /\b(?:on\s+hold|under\s+(?:a\s+|any\s+)?(?:legal\s+|litigation\s+)?hold|(?:any|a)\s+holds?\s+on|still\s+(?:exist\w*|there|around|on\s+file|on\s+the\s+system|(?:being\s+)?(?:kept|held|retained|stored))|(?:has|is)\s+it\s+(?:gone|been\s+(?:destroyed|shredded|deleted))|up\s+for\s+(?:review|destruction)|(?:about|re|on)\s+keeping|keeping\s+(?:it|this|that))\b/;
/** Words about what becomes of records in time: kept, binned, destroyed, for so many years. */
const RETENTION_TALK =
  /\b(?:kept|keep|keeping|retain\w*|retention|destroy\w*|destruction|shred\w*|bin|binned|thrown?\s+(?:out|away)|get\s+rid|got\s+rid|dispos\w*|delet\w*|archiv\w*|permanent\w*|forever|for\s+ever|\d{1,3}\s*(?:years?|yrs?)(?![\s-]*old)|(?:how\s+many|many)\s+(?:years?|yrs?)|years?\s+(?:after|from)|turns?\s+\d{1,3}|(?:till|until)\s+(?:they'?re|they\s+are|he'?s|she'?s|age)\s+\d{1,3}|what\s+happens\s+to|(?:same|different)\s+(?:as|to|from|rule|period|retention)|(?:ever|eventually)\s+(?:get|be|go)|stay\s+on)\b/;
/** Someone destroying records themselves: "can I shred…", "can the adoption team destroy…" (who destroys). */
const WHO_DESTROYS =
  /\b(?:can|could|may|should|do|am|are|is)\s+(?:i|we|you|they|he|she|(?:the|our|my|a|an)\s+[\w-]+(?:\s+(?:team|worker|manager|service))?)\s+(?:allowed\s+to\s+|just\s+|still\s+)?(?:destroy|shred|bin|dispose|delete|throw)\b/;
/** A meeting, panel or hearing of a kind ("the LAC review meeting", "fostering panel"): not its records. */
const OCCASION_WORDS = /\b(?:meeting|conference|hearing|panel|session|training|course|beds?|visit)\b/;
/** The same question again for another kind of record: "and for CIN?", "what about the 16+ files". */
const FOLLOW_UP =
  /^(?:(?:ok|okay|thanks|ta|cheers|right|and)[,!.]?\s+)?(?:(?:and|what|how)\s+about|and\s+(?:for|with|the|what\s+about)|and\s+\w+\s*\??$|same\s+(?:question\s+|q\s+|again\s+|thing\s+)?(?:for|with|about)|ditto\s+for|also\s+for|what\s+of)\b/;
const HOW_LONG_BARE = /^(?:[\w&'-]+\s+){0,6}(?:-\s+)?(?:how\s+long|hw\s+long)\s*\??$|\bhow\s+long\b/;
const CASE_STATUS =
  /\b(?:retention|destruction|destroy|review)\s+(?:status|date|due|end)\b|\bstatus\s+(?:of\s+)?(?:ll-|pf-|case|\d|record)|\bwhen\s+(?:is|will|can|does)\s+(?:[\w'-]+\s+){0,3}(?:be\s+)?(?:destroyed|due(?!\s+back)|reviewed|shredded|go|reach)\b|\bis\s+(?:[\w'-]+\s+){0,3}(?:due\s+(?:for\s+)?(?:destruction|review|to\s+be\s+destroyed)|past\s+its|still\s+within)\b|\bhow\s+(?:long|much\s+longer)\s+(?:until|till|before|have\s+we|do\s+we)\b|\bcan\s+[\w'-]+\s+be\s+destroyed\b|\bwhat\s+class\s+is\b|\b(?:going\s+to|gonna|due\s+to|about\s+to|ready\s+to)\s+be\s+(?:destroyed|shredded|reviewed)\b|\bend\s+of\s+its\s+retention\b|\bdestroy\s+date\b|\bstatus\s+(?:of|on|for)\b|\bstill\s+(?:kept|held|on\s+file|around|exist\w*|there)\b|\b(?:got|get|been)\s+rid\s+of\b|\bexpir(?:e|es|ed|y|ing)\b/;
const POLICY_WORDS =
  /\b(?:allowed|permission|permitted|rules?|policy|procedure|process|laptop|computer|pc|memory\s+stick|usb|stick|hard\s*drive|harddrive|external|livelink|ll|upload|scan|lose|lost|losing|mislaid|misplaced|stolen|missing|disciplinary|disciplined|trouble|sacked|breach|shred|shredding|confidential\s+waste|bin|train|bus|car|public\s+transport|belong|property|register\s+of|subject\s+access|litigation|sar|claim|data\s+breach|ico|information\s+governance|agree|agreement|case[\s-]by[\s-]case|printer|print|email|gmail|log|myself|own|personal)\b/;
const HOLD_WORD = /\bholds?\b|\bon\s+hold\b|\blegal\s+hold\b|\blitigation\s+hold\b|\bfreeze\b|\bfrozen\b/;
const HOLD_PLACE =
  /\b(?:place|put|add|apply|set|create|log|raise|freeze|flag|need|open|register|record)\s+(?:[\w/-]+\s+){0,4}(?:hold|freeze)\b|(?:^|[.!?]\s+)(?:please\s+)?hold\s+(?:it|all|everything|the|this|case|record|ll-|pf-|\d)|\b(?:hold|freeze)\s+(?:it|all|everything|them|please|pls)\b|\bhold\s+(?:on|for|against)\s+(?:case|record|ll-|pf-|all|\d)|\b(?:litigation|legal|inquiry|claim|sar|foi)\s+hold\b|\bdon'?t\s+(?:let\s+(?:[\w'-]+\s+){0,3})?(?:destroy|shred)\b|\bmust\s+not\s+be\s+destroyed\b|\bstop\s+(?:[\w'-]+\s+){0,3}(?:being\s+)?destroyed\b|\bpreserve\b|\bkeep\s+everything\b/;
const LIST_START =
  /^(?:please\s+|pls\s+|can\s+you\s+)?(?:show|list|any|what|which|are\s+there|is\s+there|how\s+many|see|view|search|find|look\s*up|check|holds\b)\b/;
const HOLD_RELEASE =
  /\b(?:release|releasing|lift|lifting|remove|removing|take\s+off|end|ending|clear|drop|cancel|close)\s+(?:[\w/-]+\s+){0,4}holds?\b|\bholds?\s+(?:[\w'-]+\s+){0,3}(?:released|lifted|removed|can\s+(?:come\s+off|be\s+(?:released|lifted|removed))|no\s+longer\s+(?:needed|required)|(?:has\s+)?ended)\b|\btake\s+(?:the\s+)?hold\s+off\b|\bunfreeze\b|\bhold\b.*\b(?:settled|concluded|withdrawn|finished|completed)\b|\btake\s+(?:the\s+)?(?:[\w'-]+\s+)?hold\s+off\b/;
const RELEASE_VERB =
  /\b(?:release|lift|remove|take\s+off|end|clear|drop|close|closed|settled|withdrawn|concluded|finished|done|over)\b/;
/** A subject access request's deadline moved: extended, or its clock stopped or restarted. */
const SAR_DEADLINE =
  /\b(?:extend(?:s|ed|ing)?|extension|(?:stop|pause|restart|resume|start)(?:s|ed|ped|ing)?\s+(?:[\w'-]+\s+){0,2}clock|clock\s+(?:stopped|paused|restarted|resumed))\b/;
const HOLD_LIST =
  /\b(?:show|list|what|which|any|see|view|current|active|open|all|how\s+many|are\s+there|is\s+there|search|find|look\s*up|check)\b.{0,40}\bholds?\b|\bholds?\s+(?:list|in\s+place|on\s+file)\b|\bon\s+hold\b|\bunder\s+(?:a\s+)?hold\b|^holds?\b/;
const DUE =
  /\bretention\s+(?:period\s+)?(?:ends?|ending|expires?|expiring|runs?\s+out)\s+(?:on|by|before|in|this|next|within|up\s+to|or)\b|\b(?:due|overdue|ready|eligible|reached|passed|expired|expiring|up\s+for|ripe|coming\s+up)\b.{0,40}\b(?:destruction|destroy|destroying|destroyed|disposal|dispose|shredding)\b|\b(?:destruction|destroy|disposal)\b.{0,30}\b(?:due|overdue|ready|eligible)\b|\bwhat\s+can\s+(?:we|i|be)\s+(?:destroy|shred|dispose)|\bcan\s+be\s+destroyed\b|\bdue\s+(?:for\s+|this\s+|next\s+|by\s+|in\s+|before\s+|list)|\bwhat(?:'s|s|\s+is)\s+(?:due|coming\s+up)\b|\b(?:anything|what|any|everything)\s+(?:[\w'-]+\s+){0,3}due\b|\bpast\s+(?:their\s+)?retention\b|\bretention\s+(?:has\s+)?(?:ended|expired|passed|run\s+out)\b|\bdue\s+list\b|\bdue\s+(?:up\s+to|upto|until|till|til|within|over|from)\b/;
/**
 * What a procedure question must be about: records, or what the procedure governs (where they are
 * kept and saved, who may take them out, their loss, retention and destruction). A question that
 * names none of these is not about the procedure, however many everyday words it shares with it.
 */
const PROCEDURE_ANCHOR =
  /\b(?:livelink|ll|laptop|computer|pc|desktop|memory\s+stick|usb|stick|pen\s*drive|hard\s*drive|harddrive|external|upload\w*|scan\w*|destroy\w*|destruction|shred\w*|dispos\w*|retention|retain\w*|kept|keep|breach\w*|disciplin\w*|subject\s+access|sars?|d?sar|foi|litigation|su(?:e|ing)|claims?|register|authori[sz]\w*|approv\w*|permission|allowed|permitted|agree\w*|procedure|policy|rules?|property|belong\w*|owns?|possession|confidential|information|data|lose|lost|losing|stolen|mislaid|misplaced|recall\w*|requests?|sign(?:s|ing|ed)?\s+off|wfh|take\s+(?:it|them)\s+home|car|train|bus|home|office|manager|tm|copy|copies|print\w*|photo\w*|email\w*|delete\w*|duplicate\w*)\b/;

/**
 * Everyday office business that shares words with the domain ("book the meeting room for the LAC
 * review", "my annual leave request", "the expenses claim", "who's on duty"): outside it, unless
 * the message also names a case, a record or the records themselves.
 */
const OFF_TOPIC =
  /\b(?:(?:approve|approves|approving|book|request|put\s+in\s+for|sign\s+off|authorise)\s+(?:[\w']+\s+){0,3}(?:annual\s+leave|a\/l|leave|holiday|time\s+off)|(?:annual\s+)?leave\s+requests?|fire\s+(?:register|roll|book|drill|warden|marshal)(?!\s+records?)|sign\s+(?:me\s+)?(?:in|out)\s+(?:on|of)\s+the\s+(?:fire|visitors?|building)|retention\s+(?:payment|bonus|pay|allowance|scheme|incentive)|pool\s+car|hire\s+car|lease\s+car|car\s+park|projector|fridge|milk|kettle|biscuits?|cake|party|birthday|secret\s+santa|meeting\s+room|(?:book|reserve)\s+(?:a|the|me\s+a)\s+(?:[\w'-]+\s+){0,2}(?:room|taxi|cab|car|desk|space)|printer|photocopier|double\s+sided|parking|canteen|kitchen|microwave|coffee|lunch|fire\s+alarm|wi-?fi|password|log\s*in\s+details|annual\s+leave\s+(?:request|form|balance)|leave\s+(?:request|form|balance)|holiday\s+(?:request|form|balance)|time\s+off\s+request|expenses|mileage|receipts?|timesheet|payslip|pay\s+rise|salary|flexi|training\s+course|team\s+meeting|away\s+day|christmas\s+(?:party|do|lunch)|who'?s\s+on\s+duty|duty\s+(?:rota|worker|desk)|on\s+duty|rota|return\s+home\s+interview|mug|stationery|post\s+room)\b/;

const BATCH = /\bbatch(?:es)?\b|\bdb-?\d|\bdestruction\s+run\b/;
const BATCH_START =
  /\b(?:start|create|make|new|build|prepare|begin|set\s+up|kick\s+off|put\s+together|raise|open|generate|draft|run|do|make\s+up)\s+(?:[\w'-]+\s+){0,3}(?:batch|destruction\s+run)\b|\bbatch\s+(?:up|them|these|those|all)\b|\bpreview\s+(?:[\w'-]+\s+){0,3}batch\b/;
const BATCH_CONFIRM =
  /\b(?:checked|all\s+(?:fine|good|ok|correct)|happy\s+(?:with|for)|confirm|confirming|confirmed|sign\s+off|approve|authori[sz]e|go\s+ahead|proceed|execute|complete|finali[sz]e|carry\s+out|action|checker|second\s+check)\b/;
const NOT_RECORDS_BATCH = /\b(?:cookies?|cakes?|biscuits?|emails?|letters?|photos?|laundry)\b/;
const REVIEW =
  /\breview(?:s|ing)?\b|\bneed(?:s|ing)?\s+(?:a\s+)?(?:decision|decisions)\b|\bawaiting\s+(?:a\s+)?decision\b/;
const REVIEW_MEETING =
  /\b(?:lac|cla|cin|cp|child\s+protection|annual|foster(?:ing)?(?:\s+carer)?|carers?|iro|ehcp|manager'?s|pathway\s+plan|health|placement|looked\s+after)\s+review\b|\breview\s+(?:meeting|of\s+(?:the\s+)?(?:plan|placement|care\s+plan))\b|\b(?:iro|ehcp)\b|\breview'?s\s+been\b/;
const REVIEW_LIST =
  /\b(?:due|need|needs|needing|waiting|outstanding|pending|list|show|what|which|any|awaiting|for)\b|\b(?:anything|queue|backlog|pile|sat)\b/;
const REGISTER =
  /\bregister\b(?!\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}hold)|\b(?:what|which|show|list|was|were|has|have|did)\b.{0,40}\b(?:been\s+)?(?<!\b(?:can|could|to|will|should|may|might|must|be)\s+be\s+)destroyed\b|\bdid\s+we\s+destroy\b|\bdestroyed\s+(?:records|files|cases)\b|(?<!\b(?:can|could|to|will|should|may|might|must)\s+be\s+)\bdestroyed\s+(?:in|last|this|during|since|between)\b|\bdestruction\s+(?:log|record|certificate)s?\b|\bcertificate\b|\bwas\s+[\w'-]+\s+destroyed\b/;
const EXPORT = /\b(?:export|download|csv|excel|xlsx|spreadsheet|extract|send\s+me\s+a\s+copy)\b/;
/** The assistant itself, as people refer to it. */
const BOT = String.raw`(?:you|this(?:\s+(?:thing|bot|app|assistant|tool|chat|service))?|the\s+(?:case\s+records\s+)?(?:bot|assistant|app|tool)|case\s+records\s+assistant|it)`;
/** A question about the assistant itself: what it does, what to ask it, how it works. */
const HELP = new RegExp(
  [
    String.raw`^(?:(?:hi|hello|hey|hiya|so|um|erm)[!,.\s]*)?(?:help|\?+|menu|commands|options|instructions|guide|functions|features|get(?:ting)?\s+started|start)(?:\s+(?:me|please|pls|plz|needed))*\s*[?!.]*$`,
    String.raw`\bwhat\s+(?:can|could)\s+${BOT}\s+(?:do|help\s+(?:me\s+)?with|help\s+with|offer)\b`,
    String.raw`\bwhat\s+(?:do|does)\s+${BOT}\s+do\b`,
    String.raw`\bwhat(?:'s|s|\s+is|\s+are)\s+${BOT}\s+for\b`,
    String.raw`\b(?:guide|manual|instructions|user\s+guide|help\s+page|faq|tutorial|how-?to)\b[^.?!]{0,30}\b(?:this|the)\s+(?:bot|assistant|app|tool|chat)\b`,
    String.raw`^[?!.\s]*(?:[\w'-]+[,!.]?\s+){0,3}what\s+is\s+this(?:\s+(?:thing|bot|app|assistant|tool|chat))?\s*[?!.]*$`,
    String.raw`\bwho\s+are\s+you\b`,
    String.raw`\bhow\s+(?:do|does|can)\s+(?:i\s+use\s+)?${BOT}\s+(?:work|help)\b`,
    String.raw`\bhow\s+(?:do|can|should)\s+i\s+use\s+${BOT}\b`,
    String.raw`\bwhat\s+(?:can|could|should|do)\s+i\s+(?:ask|say|type|use\s+${BOT}\s+for)\b`,
    String.raw`\bthings\s+(?:that\s+)?(?:i\s+can|you\s+can|to)\s+(?:ask|say|do|type)\b`,
    String.raw`\b(?:list|show|set\s+out|explain|tell\s+me|give\s+me)\s+(?:me\s+)?(?:the\s+|all\s+|your\s+|its\s+)?(?:functions|features|commands|options|menu)\b`,
    String.raw`\b(?:list|show|set\s+out|explain|tell\s+me)\s+(?:me\s+)?what\s+${BOT}\s+(?:can|does|do)\b`,
    String.raw`\bwhat\s+(?:this|the)\s+(?:assistant|bot|app|tool|thing)\s+(?:can|does)\b`,
    String.raw`\b(?:functions|features|commands|options)\s+(?:are\s+)?available\b`,
    String.raw`\bwhat\s+commands\b`,
    String.raw`^(?:[\w'-]+[,!.]?\s+){0,2}what\s+(?:are|r)\s+(?:you|u)\s*[?!.]*$`,
    String.raw`\bi(?:'m|\s+am)\s+new\b.*\bwhat\s+(?:do|should|can)\s+i\b`,
    String.raw`\bwhat\s+do\s+i\s+need\s+to\s+know\s*[?!.]*$`,
    String.raw`^(?:any\s+)?(?:tips|hints)\s*[?!.]*$`,
    String.raw`\bwhat\s+(?:sort|kind|type)s?\s+of\s+(?:things?|stuff|questions?|requests?)\s+(?:can|could|do|should)\s+(?:you|i|${BOT})\b`,
    String.raw`\bhelp\s+me\s+(?:use|with\s+(?:this|the)\s+(?:bot|assistant|app))\b`,
  ].join('|'),
);
const CHAT =
  /^(?:(?:hi|hello|hey|hiya|thanks|thank\s+you|cheers|ta|ok|okay|great|brilliant|lovely|good\s+morning|morning|bye|goodbye|lol|nice\s+one|perfect|sorry|happy\s+\w+|all)\b[\s!.,]*)+$/;
const DOMAIN =
  /\b(?:file|files|records?|paperwork|case|cases|retention|destroy|destruction|destroyed|register|batch|hold|holds|approval|approve|authorisation|request|requests|livelink|procedure|policy|removal|return|returned|overdue|cover|review|shred|archive|bundle|notes)\b/;

// --- scoring --------------------------------------------------------------------------------

class Scores {
  private readonly map = new Map<Intent, { score: number; why: string[] }>();
  add(intent: Intent, weight: number, why: string): void {
    const entry = this.map.get(intent) ?? { score: 0, why: [] };
    entry.score += weight;
    entry.why.push(`${why} +${weight}`);
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
  /\b(?:back|bk|return(?:ed|ing)?|bring(?:ing)?\s+(?:[\w'-]+\s+){0,3}back|till|until|untill|til|up\s+to|drop(?:ping)?\s+(?:[\w'-]+\s+)?back|due\s+back|in\s+by)\b[^.;!?]{0,18}$/;

function hasReturnDate(x: Extracted): boolean {
  return x.dates.mentions.some((m) => RETURN_CUE_BEFORE.test(x.text.slice(0, m.from.start).toLowerCase()));
}

/** Whether a sentence reports records already back ("2054477 back.", "brought 2009312 back this am"). */
export function reportsReturn(sentence: string): boolean {
  const cue = cueText(sentence);
  return CASE_BACK.test(cue) || (!/\?/.test(sentence) && RETURNED.test(cue) && !FUTURE.test(cue));
}

/** "back in the office" followed by a date is a return date ("back in office fri"), not a return. */
function returnedNow(x: Extracted): boolean {
  if (CASE_BACK.test(x.cue)) return true;
  // A person back from leave is not records back in the office.
  if (
    /\breturned\s+(?:from|to\s+work|to\s+the\s+office)\b/.test(x.cue) &&
    !/\b(?:file|files|records?|bundle|paperwork|papers)\b/.test(x.cue) &&
    !x.caseRefs.length
  )
    return false;
  const m = RETURNED.exec(x.cue);
  if (!m) return false;
  if (/^(?:returning|bringing)\b/.test(m[0]) || /confirming/.test(m[0])) return true;
  const after = x.cue.slice(m.index + m[0].length);
  const dateSoon =
    /^\s*(?:on\s+|by\s+|the\s+|first\s+thing\s+|before\s+|in\s+time\s+for\s+)?(?:mon|tue|wed|thu|fri|sat|sun|tomorrow|tmrw|2moro|next|\d{1,2}(?!\d))/.test(
      after,
    );
  // "need 1234567 back in the office": wanted back, not back already.
  const wanted =
    /\b(?:need|needs|want|wants|have\s+to|has\s+to|must|should|will|'ll|ill|to\s+be|going\s+to|gonna|until|till|before)\b[^.,;!?]{0,30}$/.test(
      x.cue.slice(0, m.index),
    );
  return !dateSoon && !wanted;
}

function isQuestionText(x: Extracted): boolean {
  return /\?\s*$|\?\s/.test(x.text) || QUESTION_START.test(x.cue) || QUESTION_PHRASE.test(x.cue);
}

/** The message's clauses: its sentences, and a question tagged on after a comma ("…, is that ok?"). */
function clausesOf(cue: string): string[] {
  return cue
    .split(
      /(?<=[.!?])\s+|\n|\s+-\s+|,\s+(?=(?:do|does|did|is|are|can|could|should|will|would|am|have|has|was)\s+(?:i|we|you|that|this|it|there|my|she|he|they)\b)/,
    )
    .map((c) => c.trim())
    .filter(Boolean);
}

function isQuestionClause(clause: string): boolean {
  return (
    /\?/.test(clause) ||
    QUESTION_START.test(clause) ||
    QUESTION_PHRASE.test(clause) ||
    RULE_QUESTION.test(clause) ||
    THIRD_PERSON_QUESTION.test(clause)
  );
}

/** The clauses that name the case or record (all of them when none does). */
function mainClauseList(x: Extracted): string[] {
  const refs = [...x.caseRefs, ...x.recordIds].map((f) => f.value.toLowerCase());
  // A reference set apart as a label ("1903347 - on hold?", "2055418, when…") belongs to what follows.
  const clauses: string[] = [];
  for (const clause of clausesOf(x.cue)) {
    const previous = clauses.at(-1);
    if (
      previous !== undefined &&
      refs.some((r) => previous.replace(r, '').replace(/\b(?:case|ref|re|record)\b|[^a-z]/g, '') === '')
    )
      clauses[clauses.length - 1] = `${previous} ${clause}`;
    else clauses.push(clause);
  }
  const main = refs.length ? clauses.filter((c) => refs.some((r) => c.includes(r))) : [];
  return main.length ? main : clauses;
}

function mainClauses(x: Extracted): string {
  return mainClauseList(x).join(' ');
}

/** Whether the clauses that name the case or record (or, when none does, any clause) ask a question. */
function mainClauseQuestion(x: Extracted): boolean {
  return mainClauseList(x).some(isQuestionClause);
}

export function structureOf(x: Extracted): Structure {
  const t = x.cue;
  const question = isQuestionText(x);
  const caseQuestion =
    x.caseRefs.length > 0 &&
    /^(?:[^,?]*[,!.]\s*)?(?:can|could|may)\s+(?:i|we|#?\d{6,10}|the\s+\w+|it)\b/.test(t) &&
    REMOVAL_VERB.test(t);
  const politeRequest =
    (POLITE_REQUEST.test(t) || caseQuestion) && !THIRD_PERSON_QUESTION.test(t) && !RULE_QUESTION.test(t);
  return { question, politeRequest, mainQuestion: mainClauseQuestion(x), topics: rankTopics(x.text) };
}

/** The words after the first removal verb ("can I take X home if my manager is off": "home if my manager is off"). */
function afterVerb(t: string): string {
  const m = REMOVAL_VERB.exec(t);
  return m ? t.slice(m.index + m[0].length) : '';
}

function datedMentions(mentions: readonly DateMention[]): DateMention[] {
  return mentions.filter((m) => m.kind !== 'month');
}

/** Every intent with weight for this message, best first. */
export function scoreIntents(x: Extracted, roles: readonly Role[], structure: Structure): IntentScore[] {
  const t = x.cue;
  const s = new Scores();
  const lm = roles.includes('line_manager');
  const rm = roles.includes('records_management');
  const hasCase = x.caseRefs.length > 0;
  const hasRecordId = x.recordIds.length > 0;
  const specific = hasCase || hasRecordId;
  const hasBatch = x.batchRefs.length > 0;
  const hasHoldRef = x.holdReferences.length > 0;
  const hasPerson = x.people.length > 0;
  const hasClass = x.classes.length > 0;
  const recordNoun = RECORD_NOUN.test(t);
  const object = specific || recordNoun;
  const dates = datedMentions(x.dates.mentions);
  const dated = dates.length > 0 || VAGUE_DURATION.test(t);
  const returnDate = hasReturnDate(x);
  const { question, politeRequest, mainQuestion } = structure;
  const ruleQuestion =
    RULE_QUESTION.test(t) ||
    RULE_QUESTION_EXTRA.test(t) ||
    (question && CONDITIONAL.test(afterVerb(t)) && !HOW_LONG_KEEP.test(t));
  // The same, asked in the clauses that carry the case: a side question about the rules ("…,
  // do I need to tell anyone?") does not make a question of what the message reports.
  const main = mainClauses(x);
  const ruleQuestionMain =
    RULE_QUESTION.test(main) ||
    RULE_QUESTION_EXTRA.test(main) ||
    (mainQuestion && CONDITIONAL.test(afterVerb(main)) && !HOW_LONG_KEEP.test(main));
  const topic = structure.topics[0];
  const topicScore = topic?.score ?? 0;
  const returned = returnedNow(x);
  const withdraw = WITHDRAW.test(t);
  const recall = RECALL.test(t);
  const coverEnd = COVER_END.test(t);
  // "list pending approvals for my team" asks to see them, not for cover.
  const listingApprovals =
    /\b(?:list|show|see|view|any|pending|waiting|outstanding)\s+(?:[\w'-]+\s+){0,2}approvals\b/.test(t);
  const cover = !coverEnd && (COVER.test(t) || (APPROVE_FOR_TEAM.test(t) && !listingApprovals));

  // Removal request: records (a case, or the words for them) with a removal verb, a
  // destination, or dates out and back.
  const removalVerb = REMOVAL_VERB.test(t) || COME_HOME.test(t);
  const destination = DESTINATION.test(t);
  // "my TM approved 2003417 till monday, can she change her mind?": dates told as what was
  // agreed, and a question about what someone else may do, with nothing asked to be taken out.
  const aboutSomeoneElse =
    question && THIRD_PERSON_QUESTION.test(t) && !removalVerb && !destination && !politeRequest;
  if (hasCase && (dated || removalVerb || destination) && !returned) {
    s.add('removal.request', 2.5, 'case + date/verb/destination');
    if (removalVerb) s.add('removal.request', 1, 'removal verb');
    if (destination) s.add('removal.request', 0.5, 'destination');
    if (returnDate) s.add('removal.request', 1, 'return date');
    if (dates.length >= 2 || dates.some((d) => d.kind === 'range'))
      s.add('removal.request', 0.5, 'out and back');
  } else if (object && removalVerb) {
    s.add('removal.request', 2.5, 'records + removal verb');
    if (dated || destination) s.add('removal.request', 1, 'date/destination');
  } else if (removalVerb && recordNoun && dated) s.add('removal.request', 2, 'removal verb + date');
  if (
    /\b(?:request|ask|apply)\s+(?:[\w'-]+\s+){0,2}(?:to\s+)?(?:take|remove|removal|sign\s+out|book\s+out)\b|^request\b/.test(
      t,
    )
  )
    s.add('removal.request', 1.5, 'request to remove');

  // Returned: said in the past tense (or "returning it today").
  if (returned) {
    const future = FUTURE.test(t) && returnDate;
    s.add('removal.mark_returned', future ? 1 : 4, 'returned');
    if (object) s.add('removal.mark_returned', 0.5, 'records');
  }

  // A manager declining a named colleague's request is not withdrawing one of their own.
  const decliningSomeone = lm && hasPerson && x.decision?.value === 'decline';
  // A manager withdrawing an approval they gave is cancelling it (or asking whether they may).
  const withdrawingOwn =
    withdraw && !decliningSomeone && !(lm && /\b(?:approval|authorisation|permission)\b/.test(t));
  if (withdrawingOwn) {
    s.add('removal.withdraw', MY_REQUEST_WORDS.test(t) ? 4 : 2, 'withdraw');
    if (hasCase) s.add('removal.withdraw', 0.5, 'case');
    if (
      MY_REQUEST_WORDS.test(t) ||
      /\b(?:won'?t|wont|will\s+not|not|don'?t)\s+(?:be\s+)?(?:taking|need)/.test(t)
    )
      s.scale('removal.request', 0.3, 'withdrawing it');
  }

  // A manager's "for my authorisation" is what waits for them, not their own requests.
  const forMyDecision =
    lm && /\bfor\s+my\s+(?:authori[sz]ation|approval|sign[\s-]?off|decision|ok)\b/.test(t);
  const myList = MY_LIST.test(t) || (!hasCase && OUT_TO_ME.test(t));
  if (myList && !(cover && lm) && !forMyDecision && !ruleQuestionMain && !THIRD_PERSON_QUESTION.test(main))
    s.add('removal.list_mine', withdraw ? 1 : 4, 'my requests / what I have out');
  if (
    !lm &&
    DECIDED.test(t) &&
    !cover &&
    (hasCase || /\bmy\s+(?:request|removal|application)|\bit\b|\bmine\b|\bmy\s+manager\b/.test(t))
  )
    s.add('removal.list_mine', 3.5, 'has my request been decided (not a manager)');
  if (DUE_BACK.test(t) && !RULE_QUESTION.test(t))
    s.add(lm ? 'approvals.pending' : 'removal.list_mine', 3, 'due back');
  const myPending =
    !lm && !rm && !hasPerson && (MY_PENDING.test(t) || (PENDING.test(t) && /\bmy\b|\bmine\b|\bme\b/.test(t)));
  if (myPending) s.add('removal.list_mine', 3, 'pending (mine)');

  // A manager's words.
  if (lm) {
    if (
      PENDING.test(t) &&
      !withdraw &&
      !recall &&
      !(
        coverEnd && !/\b(?:waiting|pending|outstanding|to\s+(?:approve|sign|authori[sz]e|decide))\b/.test(t)
      ) &&
      !(cover && !/\b(?:waiting|pending|outstanding)\b/.test(t))
    )
      s.add('approvals.pending', 3.5, 'waiting / approvals');
    if (TEAM.test(t) && !cover) s.add('approvals.pending', 3, 'my team');
    if (REQUESTS_TO_SEE.test(t) && !/\bmy\s+(?:own\s+)?request/.test(t))
      s.add('approvals.pending', 3, 'requests to see');
  } else if (TEAM.test(t) && PENDING.test(t)) s.add('approvals.pending', 2, 'team waiting');
  if (OVERDUE.test(t) && !RULE_QUESTION.test(t)) {
    if (rm && !lm) s.add('destruction.due', 1, 'overdue (records management)');
    else if (lm) s.add('approvals.pending', 3, "overdue (a manager: the team's)");
    else s.add('removal.list_mine', 3, 'overdue (mine)');
  }
  if (x.decision && (hasPerson || hasCase || /\brequests?\b/.test(t)) && !cover) {
    const strong =
      /\b(?:approv|authori[sz]|sign\s+off|go\s+ahead|grant|declin|reject|refus|turn\s+down|yes\s+to|no\s+to|happy\s+for|ok\s+for|(?:not|n't)\s+(?:agree|happy))/.test(
        t,
      ) || /^(?:ok|okay|yes|no)\b/.test(t);
    // Someone who is not a manager is still offered the reading (and told it is a manager's).
    const weight = lm ? (strong ? 4.5 : 2) : strong ? 2.5 : 0.5;
    s.add('removal.decide', weight, `decision: ${x.decision.value}`);
    if (lm && hasPerson) s.add('removal.decide', 0.5, 'person');
    if (lm) s.scale('removal.request', 0.5, "a manager deciding someone's request");
    // "not approving … until he's returned the last one": the condition is not a return.
    if (lm && strong) s.scale('removal.mark_returned', 0.4, 'a decision, with a condition');
  } else if (lm && /^no\s+to\b/.test(t) && (hasPerson || hasCase)) s.add('removal.decide', 4.5, 'no to');
  if (recall) {
    s.add('removal.cancel', hasPerson || hasCase ? 3.5 : 2.5, 'recall / cancel authorisation');
    if (lm) s.add('removal.cancel', 1, 'manager');
    if (
      lm &&
      (hasPerson ||
        /\b(?:recall|recalling|revoke|revoking|rescind|pull\s+(?:[\w'-]+\s+){0,3}back|call\s+(?:[\w'-]+\s+){0,3}back|need\s+(?:[\w'-]+\s+){0,2}back\s+(?:by|in|today|tomorrow|asap|now|first|before|straight))\b/.test(
          t,
        ))
    )
      s.scale('removal.request', 0.4, "a manager recalling someone's records");
    if (lm) s.scale('removal.mark_returned', 0.5, 'wanted back, not back');
  }
  if (cover) {
    const strong =
      APPROVE_FOR_TEAM.test(t) ||
      /\bcover(?:ing)?\b|\bdeputi|\bdelegat|\bact(?:ing)?\s+(?:for|as|up)\b|\bdo\s+my\s+(?:approvals|authorisations)/.test(
        t,
      );
    s.add('acting.set', strong ? 3.5 : 1.5, 'cover');
    if (hasPerson) s.add('acting.set', 1, 'person');
    if (dated) s.add('acting.set', 0.5, 'until');
    if (PENDING.test(t) && /\bfor\s+me\b/.test(t) && !/\buntil|till|til\b/.test(t))
      s.scale('acting.set', 0.3, 'what waits for me while covering');
  }
  if (coverEnd) s.add('acting.clear', 4.5, 'cover ends');

  // Retention: a kind of record, or one case.
  const howLong =
    HOW_LONG_KEEP.test(t) ||
    (HOW_LONG_BARE.test(t) &&
      (hasClass || recordNoun) &&
      !/\bmeeting|review\s+meeting|conference|hearing|panel\b/.test(t));
  const caseStatus =
    CASE_STATUS.test(t) &&
    !/\bstatus\s+of\s+(?:my|the)\s+(?:[\w-]+\s+)?(?:request|removal|application|authorisation|booking)/.test(
      t,
    );
  // A Records Management list of a class ("list LAC records whose retention has ended") is the list.
  const rmList = rm
    ? DUE.test(t) ||
      (BATCH.test(t) && !NOT_RECORDS_BATCH.test(t)) ||
      HOLD_WORD.test(t) ||
      (REVIEW.test(t) && !REVIEW_MEETING.test(t) && REVIEW_LIST.test(t))
    : BATCH_START.test(t) || (HOLD_PLACE.test(t) && !/\bhold(?:ing)?\s+on\s*to\b/.test(t));
  // What can be asked about a kind of record is how long it is kept: its fate, its years, or
  // the same question again for another kind ("and for CIN?").
  const classRetention =
    hasClass &&
    !specific &&
    !rmList &&
    !(WHO_DESTROYS.test(t) && !/\bwhen\b|\bhow\s+long\b|\byears?\b/.test(t)) &&
    (FOLLOW_UP.test(t) ||
      x.diedAtAge !== undefined ||
      classSentences(x).some((c) => RETENTION_TALK.test(c) || HOW_LONG_KEEP.test(c) || CASE_STATUS.test(c)));
  // "this case", "the case": one case the asker has in mind but has not named.
  const caseNotNamed =
    !specific && /\b(?:this|that|the|a|my|one|our)\s+case\b(?!\s*(?:file|record|note|paper))/.test(t);
  if (classRetention) s.add('retention.class', 4.5, 'retention + record class');
  else if (howLong || caseStatus) {
    if (specific) s.add('retention.case', 4.5, 'retention + case');
    else if (hasClass) s.add('retention.class', rmList ? 1.5 : 4.5, 'retention + record class');
    else if (caseNotNamed) s.add('retention.case', 3, 'retention of a case not named');
    else s.add('retention.class', howLong ? 2 : 1, 'retention');
  }
  // A question about a kind of record and nothing else can only be about how long it is kept
  // (unless it is about a meeting or a panel of that kind).
  if (hasClass && question && !specific && !ruleQuestion && !classRetention && !OCCASION_WORDS.test(t))
    s.add(
      'retention.class',
      removalVerb || rmList || POLICY_WORDS.test(t) || THIRD_PERSON_QUESTION.test(t) ? 0.5 : 2.5,
      'question about a class',
    );

  if (
    specific &&
    question &&
    !removalVerb &&
    !ruleQuestion &&
    /\b(?:destroy(?:ed)?|destruction|retention|kept|keep|shred(?:ded)?|disposed?|deleted?)\b/.test(t)
  )
    s.add('retention.case', 2, 'a question about this case being kept or destroyed');
  // Whether one case is on hold, still kept, or up for review: its retention status (Records
  // Management have the holds list and the register for that).
  if (specific && !rm && CASE_STATE.test(t) && !removalVerb)
    s.add('retention.case', 4, 'the state of this case');
  if (specific && /\b(?:status|retention|destroy|destroyed|destruction)\b/.test(t) && !removalVerb && !rm)
    s.add('retention.case', 1, 'case + retention words');

  // The procedure: how well the question matches a section decides how much it counts.
  const band = topicScore >= 12 ? 3.5 : topicScore >= 7 ? 2.5 : topicScore >= 4 ? 1.5 : 0;
  if (band && (question || ruleQuestion)) {
    s.add('policy.question', band, `question + procedure topic ${topic?.topic.id}`);
    if (band >= 2.5 && POLICY_WORDS.test(t)) s.add('policy.question', 0.5, 'policy words');
    if (THIRD_PERSON_QUESTION.test(main)) s.add('policy.question', 1.5, 'third person');
    if (RULE_QUESTION.test(t) || RULE_QUESTION_EXTRA.test(t))
      s.add('policy.question', 2.5, 'a question about the rules');
  } else if (band > 1.5 && POLICY_WORDS.test(t)) s.add('policy.question', 1.5, 'procedure topic');
  if ((howLong || caseStatus || classRetention) && hasClass && !specific && !THIRD_PERSON_QUESTION.test(t))
    s.scale('policy.question', 0.5, 'how long a kind of record is kept');
  if ((howLong || caseStatus) && caseNotNamed && !hasClass && !THIRD_PERSON_QUESTION.test(t))
    s.scale('policy.question', 0.5, 'how long one case is kept');

  // Records Management.
  const holdWord = HOLD_WORD.test(t);
  if (holdWord || hasHoldRef) {
    const release = HOLD_RELEASE.test(t) || (hasHoldRef && RELEASE_VERB.test(t) && !HOLD_PLACE.test(t));
    if (release) s.add('holds.release', 4, 'release hold');
    else if (
      !LIST_START.test(t) &&
      (HOLD_PLACE.test(t) || (x.holdType && (specific || hasHoldRef || hasClass) && !question && holdWord))
    )
      s.add('holds.place', 4, 'place hold');
    if (HOLD_LIST.test(t) && (question || LIST_START.test(t)) && !release) s.add('holds.list', 3, 'holds');
    else if (holdWord && question && !release) s.add('holds.list', 1.5, 'question about holds');
  } else if (x.holdType && specific && HOLD_PLACE.test(t)) s.add('holds.place', 3, 'hold words');
  if (
    rm &&
    x.holdType &&
    (specific || hasHoldRef) &&
    !question &&
    /\b(?:new|received|rec'?d|came\s+in|in\s+from|logged|raised|made|coming|issued|served)\b/.test(t)
  )
    s.add('holds.place', 3.5, 'a new request that stops destruction');
  // "the SAR on 1234567 needs extending": its hold card, which carries the extension and the clock.
  if (
    rm &&
    x.holdType?.value === 'subject_access_request' &&
    (specific || hasHoldRef) &&
    SAR_DEADLINE.test(t) &&
    !HOLD_RELEASE.test(t)
  ) {
    s.add('holds.list', 4.5, 'a subject access deadline: its hold card');
    s.scale('removal.request', 0.3, 'a subject access request, not a removal');
  }
  if (rm && (holdWord || hasHoldRef)) s.scale('removal.request', 0.3, 'a hold, not a removal');
  if (/\bhold\s+music|on\s+hold\s+(?:to|with|for\s+ages)|hold\s+the\s+(?:door|line|lift)\b/.test(t)) {
    s.scale('holds.list', 0.1, 'not a records hold');
    s.scale('holds.place', 0.1, 'not a records hold');
  }
  if (DUE.test(t)) {
    // "when's LL-401552 due for destruction": that record's status, not the list.
    if (specific) s.add('retention.case', 4.5, 'is this case or record due');
    else s.add('destruction.due', rm ? 4 : 1.5, 'due for destruction');
  }
  if (BATCH.test(t) && !NOT_RECORDS_BATCH.test(t)) {
    if (hasBatch && BATCH_CONFIRM.test(t)) s.add('destruction.confirm', 5, 'confirm batch');
    else if (BATCH_START.test(t)) {
      s.add('destruction.batch', 5, 'start batch');
      s.scale('destruction.due', 0.5, 'a batch of what is due');
    } else if (!REGISTER.test(t)) s.add('destruction.batches', 3.5, 'batches');
  }
  if (REVIEW.test(t) && !REVIEW_MEETING.test(t)) {
    if (x.reviewDecision && specific) s.add('review.decide', 4, 'review decision');
    else if (REVIEW_LIST.test(t)) s.add('review.list', rm ? 4 : 1, 'reviews due');
  }
  if (x.reviewDecision && specific && !question) {
    s.add('review.decide', rm ? 4.5 : 1.5, `review: ${x.reviewDecision.value.action}`);
    if (rm) s.scale('retention.case', 0.5, 'a decision, not a question');
  }
  if (
    REGISTER.test(t) &&
    !/\b(?:me|myself|printer|laptop|phone|week)\b.{0,10}$/.test(t) &&
    !/\bdestroyed\s+me\b/.test(t)
  ) {
    if (EXPORT.test(t)) s.add('register.export', 5, 'export register');
    else s.add('register.query', /\bregister\b/.test(t) ? 4.5 : 3, 'register');
    if (rm) s.scale('policy.question', 0.5, 'records management asking about the register');
  } else if (EXPORT.test(t) && /\b(?:destroyed|destruction|register)\b/.test(t))
    s.add('register.export', 4, 'export');

  // Help.
  if (HELP.test(t)) s.add('help', 5, 'help');

  // A record lost, stolen or left somewhere: what the procedure says to do, even told as a statement.
  if (
    object &&
    /\b(?:lost|lose|losing|mislaid|misplaced|stolen|nicked|left\s+(?:it|them|the|a|my)\b[^.?!]{0,30}\b(?:train|bus|car|taxi|cafe|pub))\b/.test(
      t,
    ) &&
    structure.topics[0]?.topic.section === 'P7'
  )
    s.add('policy.question', 3, 'a record lost');

  // Asking the bot to do something with no records in it ("can you book me a room") is not a
  // question about the procedure.
  if (/^(?:[^,]*\b)?(?:can|could|would|will)\s+you\b/.test(t) && !object && !specific)
    s.scale('policy.question', 0.3, 'a request, not about records');

  // A question whose structure says what it is about (a case and dates, a kind of record's
  // retention, my requests, a Records Management list) is that, not a procedure question.
  const structured =
    (hasCase && (dated || removalVerb) && !ruleQuestion) ||
    (specific &&
      question &&
      /\b(?:destroy(?:ed)?|destruction|shred(?:ded)?|disposed?)\b/.test(t) &&
      !/\b(?:can|may|could|should|am)\s+i\b/.test(t)) ||
    ((howLong || caseStatus) && (hasClass || specific)) ||
    (specific && CASE_STATE.test(t)) ||
    (withdrawingOwn && MY_REQUEST_WORDS.test(t)) ||
    myList ||
    myPending ||
    returned ||
    (lm && (PENDING.test(t) || TEAM.test(t))) ||
    (rm && (holdWord || DUE.test(t) || BATCH.test(t) || REGISTER.test(t) || REVIEW.test(t)));
  if (structured && !ruleQuestionMain && !THIRD_PERSON_QUESTION.test(main) && !aboutSomeoneElse)
    s.scale('policy.question', 0.4, 'structure says otherwise');

  // A procedure question is about records or what the procedure governs.
  if (!object && !specific && !hasClass && !PROCEDURE_ANCHOR.test(t))
    s.scale('policy.question', 0.2, 'nothing the procedure governs');
  // Everyday office business is outside the domain, unless records are named too.
  if (officeBusiness(x) && !((howLong || caseStatus) && hasClass)) {
    for (const e of s.list())
      if (!((e.intent === 'acting.set' || e.intent === 'acting.clear') && COVER_WORDS.test(t)))
        s.scale(e.intent, 0.2, 'office business');
  }

  // Questions are answered, never acted on. A request for a named case with its dates is a
  // request, however politely asked, unless it asks about the rules ("…if my manager agrees?").
  const statement = !/\?/.test(x.text) && returned;
  const datedCaseRequest =
    hasCase &&
    !returned &&
    (returnDate || (dates.length > 0 && (removalVerb || destination))) &&
    !RULE_QUESTION.test(t) &&
    !THIRD_PERSON_QUESTION.test(t) &&
    !(question && CONDITIONAL.test(afterVerb(t)));
  if (
    ((mainQuestion && !politeRequest && !datedCaseRequest) || ruleQuestionMain || aboutSomeoneElse) &&
    !statement
  ) {
    for (const intent of INTENTS) if (INTENT_KINDS[intent] === 'action') s.scale(intent, 0.3, 'question');
  }
  // A request with nothing specific ("can I take files home?", "can I cancel an approval I've
  // given?") asks about the rules.
  if (
    politeRequest &&
    !specific &&
    !hasPerson &&
    !hasBatch &&
    /^(?:[^,]*\b)?(?:can|could|may)\s+(?:i|we)\b/.test(t) &&
    (/\b(?:files|records|paperwork|papers|case\s+files|any)\b/.test(t) || (!dated && /\b(?:a|an)\b/.test(t)))
  ) {
    for (const intent of INTENTS)
      if (INTENT_KINDS[intent] === 'action') s.scale(intent, 0.4, 'nothing specific');
    if (topicScore >= 4) s.add('policy.question', 2, 'a general permission question');
  }
  // A case or record and nothing else: offer what can be done with it.
  if (specific && !s.list().some((e) => e.score >= 1)) {
    s.add('retention.case', 1.5, 'a case alone: its retention status');
    s.add('removal.request', 1.2, 'a case alone: take it out');
    if (rm) s.add('holds.list', 1.2, 'a case alone: its holds');
  }
  // The roles decide between readings: what the asker may not do weighs less.
  for (const e of s.list()) if (!allowedFor(e.intent, roles)) s.scale(e.intent, 0.5, 'not for this role');
  return s.list();
}

/** The sentences (as the cues read them) that name a record class. */
function classSentences(x: Extracted): string[] {
  const out: string[] = [];
  const sentence = /[^.!?\n]+[.!?\n]*/g;
  for (const m of x.text.matchAll(sentence)) {
    const start = m.index;
    const end = start + m[0].length;
    if (x.classes.some((c) => c.from.start < end && c.from.end > start)) out.push(cueText(m[0]));
  }
  return out;
}

/**
 * Everyday office business (leave, rooms, cars, the fridge) with no case, record or records
 * named: outside the domain, whatever words it shares with it.
 */
function officeBusiness(x: Extracted): boolean {
  const t = x.cue;
  return (
    OFF_TOPIC.test(t) &&
    !/\bprinter\b.{0,20}\b(?:home|own|personal)\b|\b(?:home|own|personal)\b.{0,20}\bprinter\b/.test(t) &&
    !x.caseRefs.length &&
    !x.recordIds.length &&
    !RECORD_NOUN.test(t)
  );
}

/** Whether the message is about the product's domain at all. */
export function inDomain(x: Extracted): boolean {
  if (officeBusiness(x) && !x.classes.length) return false;
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

/** Which small talk: thanks, or a greeting (or goodbye). */
export function smallTalkOf(x: Extracted): 'greeting' | 'thanks' | undefined {
  if (!isChat(x)) return undefined;
  return /\b(?:thanks|thank|cheers|ta|great|brilliant|lovely|perfect|nice\s+one)\b/.test(x.cue)
    ? 'thanks'
    : 'greeting';
}
