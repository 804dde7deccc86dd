/** The procedure's rules as answerable facts (DESIGN.md P1–P7, D1–D4). */
export interface PolicyFact {
  id: string;
  /** Where the procedure says it. */
  section: string;
  /** The short answer to "may I …?": no, yes-with-conditions, or a statement of fact. */
  verdict: 'no' | 'only-if' | 'fact';
  summary: string;
  answer: string;
  /** Words that point to this fact; each phrase scores when all of its words appear. */
  keywords: string[];
}

const S1 = 'Section 1, Case Retention of Documentation';
const S2 = 'Section 2, Destruction of Files';

export const POLICY_FACTS: readonly PolicyFact[] = [
  {
    id: 'P1',
    section: S1,
    verdict: 'fact',
    summary: 'Records belong to the Council.',
    answer:
      'All records made in connection with social work duties, whether written, electronic or visual, are the property of the Council, not of the worker who made them.',
    keywords: ['own', 'owns', 'owner', 'property', 'belong', 'belongs', 'mine', 'my notes', 'personal copy'],
  },
  {
    id: 'P2',
    section: S1,
    verdict: 'fact',
    summary: 'New information goes on Livelink, and uploading it is the case worker’s job.',
    answer:
      'All new information created or received for a child or young person is kept electronically on Livelink. It is the case worker’s responsibility to upload it.',
    keywords: [
      'livelink',
      'upload',
      'where save',
      'where store',
      'save document',
      'scan',
      'electronic',
      'who uploads',
    ],
  },
  {
    id: 'P3',
    section: S1,
    verdict: 'no',
    summary: 'Records are never kept in your possession, at home or elsewhere.',
    answer:
      'No. Under no circumstances are case records kept in an employee’s possession, at home or anywhere else. Records that leave the office on an authorisation come back by the agreed date.',
    keywords: [
      'keep copy',
      'keep a copy',
      'keep records',
      'keep file',
      'at home',
      'in my car',
      'desk at home',
      'possession',
      'hold on to',
      'copy laptop',
      'own laptop',
    ],
  },
  {
    id: 'P4',
    section: S1,
    verdict: 'no',
    summary: 'At home, save to Livelink only: never a memory stick, personal drive or other hardware.',
    answer:
      'No. If you work on a computer at home, every document about a child or family is saved on Livelink only. Memory sticks, USB drives, a personal computer’s hard drive or any other hardware must never be used to save it.',
    keywords: [
      'memory stick',
      'usb',
      'pen drive',
      'flash drive',
      'hard drive',
      'harddrive',
      'personal computer',
      'home computer',
      'laptop',
      'external drive',
      'download',
      'personal device',
      'own device',
      'phone',
      'email home',
      'print at home',
      // A device or saving "at home" is this rule, not "records kept at home" (P3).
      'stick at home',
      'usb at home',
      'drive at home',
      'save at home',
    ],
  },
  {
    id: 'P5',
    section: S1,
    verdict: 'only-if',
    summary: 'Records leave the office only with your line manager’s agreement, case by case.',
    answer:
      'Only if your line manager agrees, for that case. Case records may not leave the office, whether to work at home or for a meeting, unless your line manager has agreed on a case-by-case basis. Ask me: "I need to take the file for case 1234567 home".',
    keywords: [
      'take home',
      'take file',
      'take records',
      'take the file',
      'remove',
      'removal',
      'leave office',
      'out of office',
      'meeting',
      'court',
      'borrow',
      'work from home',
      'working at home',
      'wfh',
    ],
  },
  {
    id: 'P6',
    section: S1,
    verdict: 'fact',
    summary: 'An authorisation can be cancelled, and the records asked back, at any time, with reasons.',
    answer:
      'Your line manager can cancel an authorisation to remove case records, and ask for the records back, at any time. Reasons are always given.',
    keywords: [
      'cancel',
      'cancelled',
      'recall',
      'withdraw authorisation',
      'ask back',
      'return early',
      'revoke',
    ],
  },
  {
    id: 'P7',
    section: S1,
    verdict: 'fact',
    summary: 'A breach may lead to disciplinary action.',
    answer: 'Any breach of these arrangements may lead to disciplinary action.',
    keywords: [
      'breach',
      'disciplinary',
      'consequence',
      'what happens if',
      'lost',
      'lose',
      'trouble',
      'sacked',
    ],
  },
  {
    id: 'D1',
    section: S2,
    verdict: 'fact',
    summary: 'Retention periods come from the Records Retention Schedule.',
    answer:
      'How long each kind of record is kept is set by the Council’s Records Retention Schedule. Ask me "how long do we keep adoption records?" for a class, or "retention status of case 1234567" for a case.',
    keywords: ['how long', 'how long keep', 'retention', 'retention schedule', 'period', 'keep for'],
  },
  {
    id: 'D2',
    section: S2,
    verdict: 'no',
    summary: 'Only the Records Management Service destroys records.',
    answer:
      'Records are destroyed only by the Records Management Service. Case workers and managers never destroy, shred or delete case records themselves.',
    keywords: [
      'destroy',
      'destroys',
      'destruction',
      'shred',
      'shredding',
      'delete',
      'bin',
      'throw away',
      'dispose',
      'get rid',
    ],
  },
  {
    id: 'D3',
    section: S2,
    verdict: 'fact',
    summary: 'Nothing is destroyed while litigation, a claim or a subject access request is outstanding.',
    answer:
      'Before destruction, the Records Management Service checks that there is no outstanding litigation, claim or subject access request. If there is one, the record is not destroyed.',
    keywords: [
      'litigation',
      'claim',
      'subject access',
      'sar',
      'legal hold',
      'hold',
      'checks before',
      'court case',
      'foi',
    ],
  },
  {
    id: 'D4',
    section: S2,
    verdict: 'fact',
    summary: 'Destroyed records are entered in a register kept on Livelink.',
    answer:
      'When records are destroyed, the Records Management Service enters them in a register of destroyed records kept on Livelink (for electronic records).',
    keywords: [
      'register',
      'record of destruction',
      'certificate',
      'proof',
      'was it destroyed',
      'destroyed list',
    ],
  },
];

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’']/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export interface PolicyMatch {
  fact: PolicyFact;
  score: number;
}

/**
 * The procedure facts a question is about, best first. A keyword phrase counts when all its
 * words are in the question; longer phrases count more. Empty when nothing matches.
 */
export function matchPolicy(question: string, facts: readonly PolicyFact[] = POLICY_FACTS): PolicyMatch[] {
  const asked = new Set(words(question));
  const matches: PolicyMatch[] = [];
  for (const fact of facts) {
    let score = 0;
    for (const phrase of fact.keywords) {
      const parts = words(phrase);
      if (parts.length && parts.every((w) => asked.has(w))) score += parts.length;
    }
    if (score > 0) matches.push({ fact, score });
  }
  return matches.sort((a, b) => b.score - a.score || a.fact.id.localeCompare(b.fact.id));
}

export function policyFact(id: string): PolicyFact | undefined {
  return POLICY_FACTS.find((f) => f.id === id);
}
