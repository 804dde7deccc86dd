// Writes demo/staff.csv and demo/inventory.csv: a small fake directory and a few hundred records
// across every record class, deterministic (seeded), with no real names or references.
// Run: npx tsx scripts/generate-demo.ts
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { addYears, classesInUse, defaultSchedule } from '../src/rules/index.js';
import { REPO_ROOT } from '../src/repo-root.js';
import { DEMO_STAFF } from './demo-directory.js';

function staffId(short: string): string {
  return DEMO_STAFF.find((s) => s.id.includes(`-${short}-`))!.id;
}

/** mulberry32: a small seeded generator, so the demo is the same every time. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(20261125);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

/** The demo's "now": every generated date is on or before it. */
const AS_OF = '2026-11-01';

function date(fromYear: number, toYear: number): string {
  for (;;) {
    const d = `${between(fromYear, toYear)}-${String(between(1, 12)).padStart(2, '0')}-${String(between(1, 28)).padStart(2, '0')}`;
    if (d <= AS_OF) return d;
  }
}
function after(start: string, minYears: number, maxYears: number): string {
  const d = addYears(start, between(minYears, maxYears));
  return d > AS_OF ? AS_OF : d;
}

type Dates = Record<
  | 'date_of_birth'
  | 'date_of_death'
  | 'closed_on'
  | 'adoption_order_on'
  | 'approval_ended_on'
  | 'last_contact_on',
  string
>;
const blank = (): Dates => ({
  date_of_birth: '',
  date_of_death: '',
  closed_on: '',
  adoption_order_on: '',
  approval_ended_on: '',
  last_contact_on: '',
});

/** Plausible dates for a case of each class; about one case in twelve lacks a needed date. */
function datesFor(cls: string): Dates {
  const d = blank();
  const dob = date(1946, 2022);
  switch (cls) {
    case 'adoption':
    case 'adoption-no-order':
      d.date_of_birth = dob;
      d.adoption_order_on = cls === 'adoption' ? after(dob, 1, 6) : '';
      d.closed_on = after(dob, 1, 8);
      break;
    case 'prospective-adopter-withdrawn-refused':
    case 'childrens-home-other':
      d.last_contact_on = date(1995, 2026);
      break;
    case 'prospective-adopter-approved':
      d.approval_ended_on = date(2000, 2026);
      if (random() < 0.5) d.adoption_order_on = d.approval_ended_on;
      d.closed_on = d.approval_ended_on;
      break;
    case 'foster-carer-approved':
    case 'connected-person-temporary':
    case 'foster-applicant-refused-withdrawn':
      d.approval_ended_on = date(2008, 2026);
      d.closed_on = d.approval_ended_on;
      break;
    case 'child-protection':
    case 'complaint':
      d.date_of_birth = dob;
      d.closed_on = after(dob, 2, 17);
      break;
    case 'allegation-against-staff':
    case 'lado':
    case 'lado-unfounded-malicious':
    case 'lado-advice-only':
      d.date_of_birth = date(1940, 1995);
      d.closed_on = date(1995, 2026);
      break;
    case 'youth-justice':
    case 'youth-justice-sexual-offences':
      d.date_of_birth = date(1990, 2012);
      d.last_contact_on = after(d.date_of_birth, 12, 19);
      d.closed_on = d.last_contact_on;
      break;
    case 'safeguarding-practice-review':
      d.closed_on = date(2000, 2026);
      break;
    default:
      d.date_of_birth = dob;
      d.closed_on = after(dob, 1, 18);
      d.last_contact_on = d.closed_on;
  }
  if (d.date_of_birth && random() < 0.06) d.date_of_death = after(d.date_of_birth, 3, 16);
  if (random() < 0.08) {
    // An incomplete case: the date its retention counts from is not recorded.
    if (d.adoption_order_on) d.adoption_order_on = '';
    else if (d.approval_ended_on) d.approval_ended_on = '';
    else if (d.date_of_birth && cls !== 'child-protection' && cls !== 'complaint') d.date_of_birth = '';
  }
  return d;
}

const TITLES: Record<string, string[]> = {
  default: [
    'Case file',
    'Chronology',
    'Assessments',
    'Correspondence',
    'Meeting minutes',
    'Court bundle',
    'Case notes',
  ],
  'looked-after-child': [
    'Care plan',
    'Placement records',
    'LAC review minutes',
    'Health assessments',
    'Pathway plan',
  ],
  adoption: ['Adoption case record', 'Later life letter', 'Child permanence report', 'Memory box inventory'],
  'foster-carer-approved': ['Form F assessment', 'Annual reviews', 'Supervision records', 'Panel minutes'],
  'child-protection': [
    'Strategy discussion',
    'Section 47 enquiry',
    'Conference minutes',
    'Child protection plan',
  ],
};

/**
 * The classes in the order the demo first had them, so the cases and records it had keep their
 * references (prospective adopters who withdrew take the old single class's place); classes
 * added since come after, in schedule order.
 */
const FIRST = [
  'looked-after-child',
  'care-leaver',
  'adoption',
  'adoption-no-order',
  'prospective-adopter-withdrawn-refused',
  'foster-carer-approved',
  'connected-person-temporary',
  'foster-applicant-refused-withdrawn',
  'childrens-home-child',
  'childrens-home-other',
  'child-protection',
  'child-in-need',
  'early-help',
  'supervision-order',
  'private-fostering',
  'court-report-private-law',
  'special-guardianship',
  'secure-accommodation',
  'disabled-children-short-breaks',
  'youth-justice',
  'allegation-against-staff',
  'lado',
  'complaint',
  'safeguarding-practice-review',
];
const classIds = [
  ...FIRST,
  ...classesInUse(defaultSchedule)
    .map((c) => c.id)
    .filter((id) => !FIRST.includes(id)),
];
const inventory: Record<string, string>[] = [];
let recordNo = 400100;
let caseNo = 0;

function addCase(caseRef: string, classes: string[], dates: Dates): void {
  const records = between(2, 4);
  for (let i = 0; i < records; i++) {
    const cls = classes[i % classes.length]!;
    const paper = random() < 0.3;
    const title = `${pick(TITLES[cls] ?? TITLES.default!)}${records > 3 ? ` (part ${i + 1})` : ''}`;
    recordNo += between(1, 40);
    inventory.push({
      record_id: paper ? `PF-${recordNo}` : `LL-${recordNo}`,
      case_ref: caseRef,
      record_class: cls,
      title,
      format: paper ? 'paper' : 'electronic',
      location: paper
        ? pick(['Records store, Farnham House', 'Team office, Apsley', 'Offsite store box 114'])
        : 'Livelink',
      ...dates,
    });
  }
}

// Case 1234567 is the one the README and the bot's examples use: a looked-after child, open.
addCase('1234567', ['looked-after-child', 'child-protection'], {
  ...blank(),
  date_of_birth: '2012-05-14',
  closed_on: '',
});
// A child born on 29 February, long ago: due for review.
addCase('1600229', ['looked-after-child'], {
  ...blank(),
  date_of_birth: '1948-02-29',
  closed_on: '1966-03-01',
});
// A child who died before 18.
addCase('1710001', ['childrens-home-child'], {
  ...blank(),
  date_of_birth: '1990-06-01',
  date_of_death: '2005-01-10',
});
// Adoption orders either side of 30 December 2005.
addCase('1805123', ['adoption'], {
  ...blank(),
  date_of_birth: '2003-03-03',
  adoption_order_on: '2005-12-29',
});
addCase('1805124', ['adoption'], {
  ...blank(),
  date_of_birth: '2003-03-03',
  adoption_order_on: '2005-12-30',
});

for (const cls of classIds) {
  const cases = cls === 'looked-after-child' || cls === 'child-protection' || cls === 'child-in-need' ? 6 : 3;
  for (let i = 0; i < cases; i++) {
    caseNo += 1;
    const caseRef = String(2000000 + caseNo * 137);
    addCase(caseRef, [cls], datesFor(cls));
  }
}

// A child protection record of a child who later became looked after: it is kept with the
// looked after child record, to 1 April 2050, not 35 years from closure (1 January 2020).
addCase('1750401', ['looked-after-child', 'child-protection'], {
  ...blank(),
  date_of_birth: '1975-04-01',
  closed_on: '1985-01-01',
});
// A file that is part paper, part electronic: destroyed by both shredding and secure deletion.
recordNo += 1;
inventory.push({
  record_id: `PF-${recordNo}`,
  case_ref: '1750401',
  record_class: 'looked-after-child',
  title: 'Case file (paper and scanned)',
  format: 'mixed',
  location: 'Records store, Farnham House and Livelink',
  ...blank(),
  date_of_birth: '1975-04-01',
  closed_on: '1985-01-01',
});

const staffRows = DEMO_STAFF.map((s) => ({
  aad_object_id: s.id,
  display_name: s.name,
  email: `${s.name.toLowerCase().replace(/[^a-z]+/g, '.')}@council.example`,
  roles: s.roles,
  line_manager_aad_object_id: s.manager ? staffId(s.manager) : '',
}));

const dir = path.join(REPO_ROOT, 'demo');
writeFileSync(path.join(dir, 'staff.csv'), stringify(staffRows, { header: true }));
writeFileSync(path.join(dir, 'inventory.csv'), stringify(inventory, { header: true }));
process.stdout.write(`Wrote ${staffRows.length} staff and ${inventory.length} records to ${dir}\n`);
