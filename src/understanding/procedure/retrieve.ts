import MiniSearch from 'minisearch';
import { isSectionId, procedureSection, type SectionId } from '../../rules/procedure.js';
import type { ProcedureAnswer } from '../types.js';
import { normalWord } from '../words.js';
import answerBank from './answers.json' with { type: 'json' };

/**
 * Procedure answers by retrieval: the question is matched (BM25, with typo and prefix
 * matching) against the procedure's own words and a curated bank of questions, each tied to an
 * answer topic; the best topic above a threshold answers, quoting its section. Nothing is
 * composed from the question itself.
 */

export interface Topic {
  readonly id: string;
  readonly section: SectionId;
  readonly title: string;
  readonly lines: readonly string[];
  readonly questions: readonly string[];
}

function loadTopics(): Topic[] {
  return answerBank.topics.map((t) => {
    if (!isSectionId(t.section)) throw new Error(`answers.json: topic ${t.id} has no section ${t.section}`);
    return { id: t.id, section: t.section, title: t.title, lines: t.lines, questions: t.questions };
  });
}

export const TOPICS: readonly Topic[] = loadTopics();

/** Words that say nothing about which part of the procedure is meant. */
const STOP = new Set(
  `a an the and or but of to in on at for from by with about into as is are was were be been being am
  i me my mine we us our you your he him his she her they them their it its this that these those
  there here what whats which who whom whose when where why how do does did doing done can could may
  might must shall should will would wont cant dont im ive id its if then than so just also any all
  some please thanks thank hi hello ok okay need want get got go going let lets tell know
  case record file files records paper papers paperwork
  young person people child children childs kid kids family families
  s has have had still month months week weeks day days today tomorrow anyone anything something
  someone down up only other another new now then first last next really actually yet
  again ever bit thing things lot way same sure much many more most very quite too there where
  well like think see look make made put give say said placement`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * Words the procedure and the bank write one way and staff another, read as one ("laptop" is a
 * computer, "usb" a memory stick). Each side is normalised the same way.
 */
const SAME: Readonly<Record<string, string>> = {
  laptop: 'computer',
  pc: 'computer',
  desktop: 'computer',
  usb: 'stick',
  pendrive: 'stick',
  memorystick: 'stick',
  flash: 'stick',
  harddrive: 'drive',
  hardrive: 'drive',
  hardrife: 'drive',
  lost: 'lose',
  losing: 'lose',
  mislaid: 'lose',
  misplaced: 'lose',
  stolen: 'lose',
  nicked: 'lose',
  pinched: 'lose',
  robbed: 'lose',
  theft: 'lose',
  burgled: 'lose',
  missing: 'lose',
  lose: 'lose',
  shredding: 'shred',
  shredded: 'shred',
  destroyed: 'destroy',
  destroying: 'destroy',
  destruction: 'destroy',
  deleted: 'destroy',
  delete: 'destroy',
  deleting: 'destroy',
  sue: 'litigation',
  sued: 'litigation',
  suing: 'litigation',
  lawsuit: 'litigation',
  court: 'litigation',
  removing: 'remove',
  removal: 'remove',
  take: 'remove',
  taking: 'remove',
  took: 'remove',
  carry: 'remove',
  bring: 'remove',
  authorisation: 'approve',
  authorization: 'approve',
  authorised: 'approve',
  approval: 'approve',
  approved: 'approve',
  agreement: 'approve',
  agree: 'approve',
  permission: 'approve',
  allowed: 'allow',
  recalled: 'recall',
  cancelled: 'cancel',
  revoke: 'cancel',
  revoked: 'cancel',
  uploading: 'upload',
  uploaded: 'upload',
  scan: 'upload',
  scanned: 'upload',
  disciplinary: 'discipline',
  disciplined: 'discipline',
  sacked: 'discipline',
  trouble: 'discipline',
  litigation: 'litigation',
  sar: 'subject',
  dsar: 'subject',
  log: 'register',
  list: 'register',
  wfh: 'home',
  house: 'home',
  belong: 'property',
  belongs: 'property',
  owner: 'property',
  owns: 'property',
  own: '',
  ll: 'livelink',
  lcs: 'livelink',
  tm: 'manager',
  atm: 'manager',
  pm: 'manager',
  boss: 'manager',
  info: 'information',
  docs: 'document',
  doc: 'document',
  spilt: 'damage',
  spill: 'damage',
  spilled: 'damage',
  damaged: 'damage',
  ruined: 'damage',
  soaked: 'damage',
  wet: 'damage',
  torn: 'damage',
  ripped: 'damage',
  burnt: 'damage',
  chewed: 'damage',
  tea: 'damage',
  coffee: 'damage',
  juice: 'damage',
  drink: 'damage',
  // Meetings staff take records to (staff-language.md): a conference, a core group, a panel.
  conference: 'meeting',
  icpc: 'meeting',
  rcpc: 'meeting',
  core: 'meeting',
  strat: 'meeting',
  strategy: 'meeting',
  panel: 'meeting',
  meetings: 'meeting',
  photograph: 'photo',
  video: 'photo',
  videos: 'photo',
  recording: 'photo',
  recordings: 'photo',
  visual: 'photo',
  photos: 'photo',
  picture: 'photo',
  pic: 'photo',
  screenshot: 'photo',
  camera: 'photo',
  mobile: 'phone',
  iphone: 'phone',
  tablet: 'phone',
  ipad: 'phone',
  outlook: 'email',
  inbox: 'email',
  emails: 'email',
  whatsapp: 'email',
  printing: 'print',
  printed: 'print',
  printout: 'print',
  printer: 'print',
  sick: 'absent',
  away: 'absent',
  holiday: 'absent',
  logged: 'register',
  logs: 'register',
  boot: 'car',
  shredder: 'shred',
  binned: 'shred',
  bin: 'shred',
};

/**
 * Words that name what a section is about (losing a record, saving it, who owns it, destroying
 * it): they count for more than the everyday words around them ("on the way back from a visit").
 */
const TELLING = new Set(
  `lose discipline breach property livelink upload stick hardware litigation subject possession damage`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * What a question can be about: a bank question that names one the message does not (or the
 * other way round) is about something else ("taking a file home without asking" is not "being
 * disciplined for taking a file home without asking").
 */
const CONCEPTS = new Set(
  `discipline breach lose damage property livelink upload stick drive hardware computer photo phone
  email print litigation subject claim foi register recall cancel destroy shred possession absent`
    .split(/\s+/)
    .filter(Boolean),
);

function conceptsOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.split(/[^\p{L}\p{N}']+/u)) {
    const term = w ? processTerm(w) : null;
    if (term && CONCEPTS.has(term)) out.add(term);
  }
  return out;
}

function processTerm(term: string): string | null {
  const word = normalWord(term);
  if (!word || STOP.has(word) || STOP.has(term.toLowerCase())) return null;
  const same = SAME[term.toLowerCase()] ?? SAME[word] ?? word;
  return same || null;
}

interface Doc {
  readonly id: number;
  readonly topic: string;
  readonly text: string;
  /** What the bank question is about (see CONCEPTS). */
  readonly concepts: readonly string[];
  /** The procedure's own words (weighed less: they are long and general). */
  readonly source: 'bank' | 'procedure';
}

function buildIndex(): MiniSearch<Doc> {
  const docs: Doc[] = [];
  for (const topic of TOPICS) {
    for (const text of [...topic.questions, topic.title])
      docs.push({ id: docs.length, topic: topic.id, text, concepts: [...conceptsOf(text)], source: 'bank' });
  }
  const mainTopic = new Map<SectionId, string>();
  for (const topic of TOPICS) if (!mainTopic.has(topic.section)) mainTopic.set(topic.section, topic.id);
  for (const [section, topic] of mainTopic) {
    docs.push({
      id: docs.length,
      topic,
      text: procedureSection(section).text,
      concepts: [],
      source: 'procedure',
    });
  }
  const index = new MiniSearch<Doc>({
    fields: ['text'],
    storeFields: ['topic', 'source', 'concepts'],
    processTerm,
    searchOptions: {
      fuzzy: (term) => (term.length >= 6 ? 0.2 : false),
      prefix: (term) => term.length >= 5,
      weights: { fuzzy: 0.5, prefix: 0.6 },
      boostTerm: (term) => (TELLING.has(term) ? 2 : 1),
      boostDocument: (_id, _term, stored) => (stored?.source === 'procedure' ? 0.6 : 1),
    },
  });
  index.addAll(docs);
  return index;
}

let index: MiniSearch<Doc> | undefined;

/** Scores below this are not an answer. */
export const ANSWER_THRESHOLD = 4;

export interface TopicScore {
  readonly topic: Topic;
  readonly score: number;
}

/** The topics the question is about, best first, with their scores (all of them, above zero). */
export function rankTopics(question: string): TopicScore[] {
  index ??= buildIndex();
  const words = new Set(
    question
      .split(/[^\p{L}\p{N}']+/u)
      .map((w) => (w ? processTerm(w) : null))
      .filter(Boolean),
  );
  const asked = conceptsOf(question);
  const byTopic = new Map<string, number[]>();
  for (const hit of index.search(question)) {
    const topic = hit.topic as string;
    // In a longer message, one everyday word in common is a weak match ("broken down",
    // "another"); a telling word, or two words, is not.
    const single = words.size >= 4 && hit.terms.length < 2 && !hit.terms.some((t) => TELLING.has(t));
    let score = single ? hit.score / 2 : hit.score;
    // A bank question about something the message does not mention, or missing what it does.
    if (hit.source === 'bank') {
      const about = new Set(hit.concepts as string[]);
      const differ =
        [...about].filter((c) => !asked.has(c)).length + [...asked].filter((c) => !about.has(c)).length;
      score *= 0.65 ** differ;
    }
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), score]);
  }
  // A topic's best match counts, and a second match to it a little (several of its questions agree).
  return [...byTopic]
    .map(([id, scores]) => {
      const [first = 0, second = 0] = scores.sort((a, b) => b - a);
      return { topic: TOPICS.find((t) => t.id === id)!, score: first + 0.25 * second };
    })
    .sort((a, b) => b.score - a.score);
}

/** The answer to a question about the procedure, or undefined when no section is close enough. */
export function answerQuestion(
  question: string,
  ranked: readonly TopicScore[] = rankTopics(question),
): ProcedureAnswer | undefined {
  const top = ranked[0];
  if (!top || top.score < ANSWER_THRESHOLD) return undefined;
  const section = procedureSection(top.topic.section);
  const related: { section: SectionId; title: string }[] = [];
  for (const r of ranked.slice(1)) {
    if (r.score < ANSWER_THRESHOLD || r.score < top.score / 2 || related.length >= 2) continue;
    if (r.topic.section === top.topic.section || related.some((x) => x.section === r.topic.section)) continue;
    related.push({ section: r.topic.section, title: r.topic.title });
  }
  return {
    topic: top.topic.id,
    section: section.id,
    sectionTitle: section.partTitle,
    title: top.topic.title,
    lines: top.topic.lines,
    quote: section.text,
    score: Math.round(top.score * 100) / 100,
    related,
  };
}
