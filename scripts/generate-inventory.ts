// Writes a synthetic records inventory CSV of any size, for import and benchmark runs:
// classes in realistic proportions, dates spread over 80 years, several records a case.
// Run: npx tsx scripts/generate-inventory.ts <rows> <out.csv>
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** Rough share of each class in a children's services inventory (about 1 in all). */
const CLASS_MIX: [string, number][] = [
  ['child-in-need', 0.22],
  ['early-help', 0.14],
  ['child-protection', 0.14],
  ['looked-after-child', 0.12],
  ['care-leaver', 0.04],
  ['court-report-private-law', 0.04],
  ['youth-justice', 0.04],
  ['foster-carer-approved', 0.03],
  ['foster-applicant-refused-withdrawn', 0.02],
  ['connected-person-temporary', 0.02],
  ['adoption', 0.03],
  ['adoption-no-order', 0.01],
  ['prospective-adopter-approved', 0.01],
  ['prospective-adopter-withdrawn-refused', 0.01],
  ['disabled-children-short-breaks', 0.03],
  ['special-guardianship', 0.02],
  ['supervision-order', 0.01],
  ['private-fostering', 0.01],
  ['childrens-home-child', 0.02],
  ['childrens-home-other', 0.01],
  ['secure-accommodation', 0.005],
  ['allegation-against-staff', 0.01],
  ['lado', 0.01],
  ['complaint', 0.01],
  ['safeguarding-practice-review', 0.005],
  ['uasc', 0.01],
  ['child-arrangements', 0.01],
  ['missing-children', 0.01],
  ['sen-ehcp', 0.01],
  ['lado-unfounded-malicious', 0.005],
  ['lado-advice-only', 0.005],
  ['youth-justice-sexual-offences', 0.005],
];

function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
const AS_OF = '2026-10-31';

export async function writeSyntheticInventory(rows: number, file: string, seed = 1): Promise<void> {
  const random = seeded(seed);
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  // Every date is on or before the generator's "as of" day, so none is in the future.
  const date = (from: number, to: number) => {
    const d = `${between(from, to)}-${pad(between(1, 12))}-${pad(between(1, 28))}`;
    return d > AS_OF ? AS_OF : d;
  };
  const cumulative: [string, number][] = [];
  let sum = 0;
  for (const [id, share] of CLASS_MIX) cumulative.push([id, (sum += share)]);
  const pickClass = () => {
    const r = random() * sum;
    return cumulative.find(([, c]) => r < c)![0];
  };

  const out = createWriteStream(file);
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(
    'record_id,case_ref,record_class,title,format,location,date_of_birth,date_of_death,closed_on,adoption_order_on,approval_ended_on,last_contact_on\n',
  );
  let written = 0;
  let caseNo = 1_000_000;
  while (written < rows) {
    caseNo += 1;
    const cls = pickClass();
    const dob = date(1946, 2025);
    const birthYear = Number(dob.slice(0, 4));
    const died = random() < 0.01 ? date(birthYear, Math.min(2026, birthYear + 17)) : '';
    const closed = random() < 0.7 ? date(Math.min(2025, birthYear + 1), Math.min(2026, birthYear + 18)) : '';
    const adoption =
      cls === 'adoption' || (cls === 'prospective-adopter-approved' && random() < 0.5)
        ? date(Math.min(2025, birthYear + 1), Math.min(2026, birthYear + 6))
        : '';
    const approval =
      cls.startsWith('foster') ||
      cls === 'connected-person-temporary' ||
      cls === 'prospective-adopter-approved'
        ? date(1990, 2026)
        : '';
    const contact = random() < 0.5 ? date(Math.min(2025, birthYear + 1), 2026) : '';
    const dateOfDeath = died && died >= dob ? died : '';
    const n = Math.min(between(1, 8), rows - written);
    for (let i = 0; i < n; i++) {
      written += 1;
      const kind = random();
      const format = kind < 0.22 ? 'paper' : kind < 0.25 ? 'mixed' : 'electronic';
      await write(
        `${format === 'electronic' ? 'LL' : 'PF'}-${written},${caseNo},${cls},Case file part ${i + 1},${format},${format === 'electronic' ? 'Livelink' : 'Records store'},${dob},${dateOfDeath},${closed},${adoption},${approval},${contact}\n`,
      );
    }
  }
  out.end();
  await once(out, 'finish');
}

if (process.argv[1]?.endsWith('generate-inventory.ts')) {
  const rows = Number(process.argv[2] ?? 1000);
  const file = process.argv[3] ?? 'inventory.csv';
  await writeSyntheticInventory(rows, file);
  process.stdout.write(`Wrote ${rows} records to ${file}\n`);
}
