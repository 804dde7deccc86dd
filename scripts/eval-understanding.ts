/**
 * Measures message understanding on the evaluation sets (test/understanding/eval/):
 *
 *   npm run eval:understanding              every part; writes RESULTS.md
 *   npm run eval:understanding -- --dev     the development parts only (for tuning; writes nothing)
 *
 *   npm run eval:understanding -- --dev=dev-3   one development part only
 *
 * Four sets, each written independently and split into a development part and a sealed part:
 * dev.jsonl and sealed.jsonl (the first set), dev-2.jsonl and sealed-2.jsonl (the second),
 * dev-3.jsonl and sealed-3.jsonl (the third), dev-4.jsonl and sealed-4.jsonl (the fourth). Every
 * part present is read. For a development part it prints per-intent precision and recall, date
 * accuracy, the confusion matrix and every failure. For a sealed part it prints and records
 * aggregate figures only: never a message, a failure or anything that could be tuned on.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import { INTENTS, understand, type Intent, type Understanding } from '../src/understanding/index.js';
import type { Role } from '../src/rules/roles.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const EVAL_DIR = join(HERE, '..', 'test', 'understanding', 'eval');
const RESULTS = join(EVAL_DIR, 'RESULTS.md');

interface Expect {
  intent: Intent;
  caseRef?: string;
  recordId?: string;
  outOn?: string;
  returnOn?: string;
  returnBy?: string;
  until?: string;
  dueBy?: string;
  month?: string;
  personName?: string;
  decision?: string;
  recordClass?: string[];
  sections?: string[];
  holdType?: string;
  holdReference?: string;
  batchRef?: string;
  doubt?: boolean;
}

interface Item {
  id: string;
  role: Role;
  today: string;
  text: string;
  expect: Expect;
  /** The second set marks a doubt item beside `expect` rather than in it. */
  doubt?: boolean;
}

interface Part {
  file: string;
  name: string;
  /** The set's README. */
  readme: string;
  /** Developers may read and tune on it; its failures are printed. */
  development: boolean;
}

/** The sets, in the order they were written; each has a development and a sealed part. */
const SETS = [
  { suffix: '', readme: 'README.md' },
  { suffix: '-2', readme: 'README-2.md' },
  { suffix: '-3', readme: 'README-3.md' },
  { suffix: '-4', readme: 'README-4.md' },
] as const;

/** Every part present: the development parts first, then the sealed parts. */
const PARTS: readonly Part[] = [true, false].flatMap((development) =>
  SETS.map((s) => ({
    file: `${development ? 'dev' : 'sealed'}${s.suffix}.jsonl`,
    name: `${development ? 'dev' : 'sealed'}${s.suffix}`,
    readme: s.readme,
    development,
  })).filter((p) => existsSync(join(EVAL_DIR, p.file))),
);

/** The development parts whose failures have been read and fixed by improving the understanding. */
const TUNED_ON: readonly string[] = ['dev', 'dev-2', 'dev-3', 'dev-4'];

const DATE_FIELDS = ['outOn', 'returnOn', 'returnBy', 'until', 'dueBy', 'month'] as const;
const VALUE_FIELDS = [
  'caseRef',
  'recordId',
  'personName',
  'decision',
  'holdType',
  'holdReference',
  'batchRef',
] as const;
const QUESTION_INTENTS: readonly Intent[] = ['policy.question', 'retention.class', 'retention.case'];

type DateResult = 'exact' | 'flagged' | 'missing' | 'silently wrong';

interface Scored {
  item: Item;
  got: Understanding;
  intentOk: boolean;
  problems: string[];
  dates: { field: string; result: DateResult }[];
  understood: boolean;
}

/** A message as compared between parts: lower case, letters and digits only. */
function normal(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/[^a-z0-9']+/g, ' ')
    .replace(/'/g, '')
    .trim();
}

function load(file: string): Item[] {
  return readFileSync(join(EVAL_DIR, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Item)
    .map((i) => (i.doubt ? { ...i, expect: { ...i.expect, doubt: true } } : i));
}

function valueOf(got: Understanding, field: string): unknown {
  const found = (got.reading.entities as Record<string, { value: unknown } | undefined>)[field];
  return found?.value;
}

function score(item: Item): Scored {
  const got = understand(item.text, { today: item.today, roles: [item.role] });
  const e = item.expect;
  const problems: string[] = [];
  const dates: Scored['dates'] = [];
  const intentOk = got.reading.intent === e.intent;
  if (!intentOk) problems.push(`intent ${got.reading.intent} (expected ${e.intent})`);
  if (intentOk) {
    for (const field of VALUE_FIELDS) {
      const want = e[field];
      if (want === undefined) continue;
      const have = valueOf(got, field);
      const same =
        typeof have === 'string' &&
        (field === 'personName' ? have.toLowerCase() === want.toLowerCase() : have === want);
      if (!same) problems.push(`${field} ${JSON.stringify(have)} (expected ${JSON.stringify(want)})`);
    }
    if (e.recordClass) {
      const have = valueOf(got, 'recordClass') as readonly string[] | undefined;
      if (!have?.[0] || !e.recordClass.includes(have[0]))
        problems.push(
          `recordClass ${JSON.stringify(have)} (expected one of ${JSON.stringify(e.recordClass)})`,
        );
    }
    if (e.sections) {
      const section = got.reading.answer?.section;
      if (!section || !e.sections.includes(section))
        problems.push(`section ${section ?? 'none'} (expected one of ${e.sections.join(', ')})`);
    }
  }
  for (const field of DATE_FIELDS) {
    const want = e[field];
    if (want === undefined) continue;
    const have = intentOk ? valueOf(got, field) : undefined;
    const flagged = got.reading.doubts.some(
      (d) =>
        d.entity === field ||
        (field === 'outOn' && d.entity === 'returnOn' && d.kind === 'return-before-out'),
    );
    let result: DateResult;
    if (have === want) result = 'exact';
    else if (have === undefined) result = 'missing';
    else result = flagged ? 'flagged' : 'silently wrong';
    if (e.doubt && result === 'exact' && !got.reading.doubts.length) result = 'silently wrong';
    dates.push({ field, result });
    if (result !== 'exact') problems.push(`${field} ${JSON.stringify(have)} (expected ${want}) ${result}`);
  }
  if (e.doubt && intentOk && !got.reading.doubts.length) problems.push('no doubt asked');
  const datesOk = dates.every((d) => d.result === 'exact' || d.result === 'flagged');
  const otherOk = problems.every((p) => / flagged$/.test(p));
  const understood = intentOk && datesOk && otherOk && !got.unsure;
  if (got.unsure && intentOk)
    problems.push(`unsure (offered ${[got.reading, ...got.alternatives].map((r) => r.intent).join(', ')})`);
  return { item, got, intentOk, problems, dates, understood };
}

interface Figures {
  total: number;
  understood: number;
  intentAccuracy: number;
  unsure: number;
  unsureRightOffered: number;
  removal: { total: number; exact: number; exactOrFlagged: number };
  procedure: { total: number; rightSection: number };
  questionsOpeningAction: number;
  questions: number;
  outOfDomain: { total: number; answeredNothingOpened: number; readAsNone: number };
  dates: Record<DateResult, number>;
  doubtItems: { total: number; asked: number };
  perIntent: {
    intent: Intent;
    support: number;
    predicted: number;
    correct: number;
    precision: number;
    recall: number;
  }[];
  confusion: Map<Intent, Map<Intent, number>>;
}

function figures(results: readonly Scored[]): Figures {
  const perIntent = INTENTS.map((intent) => {
    const support = results.filter((r) => r.item.expect.intent === intent).length;
    const predicted = results.filter((r) => r.got.reading.intent === intent).length;
    const correct = results.filter((r) => r.item.expect.intent === intent && r.intentOk).length;
    return {
      intent,
      support,
      predicted,
      correct,
      precision: predicted ? correct / predicted : NaN,
      recall: support ? correct / support : NaN,
    };
  });
  const confusion = new Map<Intent, Map<Intent, number>>();
  for (const r of results) {
    const row = confusion.get(r.item.expect.intent) ?? new Map<Intent, number>();
    row.set(r.got.reading.intent, (row.get(r.got.reading.intent) ?? 0) + 1);
    confusion.set(r.item.expect.intent, row);
  }
  const removals = results.filter((r) => r.item.expect.intent === 'removal.request');
  // Exact: the case and the dates as expected; for a doubt item (one that cannot be read
  // without asking), the case and a doubt asked about the dates.
  const removalOk = (r: Scored, allowFlagged: boolean): boolean =>
    r.intentOk &&
    valueOf(r.got, 'caseRef') === r.item.expect.caseRef &&
    r.dates.every(
      (d) => d.result === 'exact' || ((allowFlagged || r.item.expect.doubt) && d.result === 'flagged'),
    ) &&
    (!r.item.expect.doubt || r.got.reading.doubts.length > 0);
  const policy = results.filter((r) => r.item.expect.intent === 'policy.question');
  const questions = results.filter((r) => QUESTION_INTENTS.includes(r.item.expect.intent));
  const ood = results.filter((r) => r.item.expect.intent === 'None');
  const dates: Record<DateResult, number> = { exact: 0, flagged: 0, missing: 0, 'silently wrong': 0 };
  for (const r of results) for (const d of r.dates) dates[d.result] += 1;
  const doubtItems = results.filter((r) => r.item.expect.doubt);
  return {
    total: results.length,
    understood: results.filter((r) => r.understood).length,
    intentAccuracy: results.filter((r) => r.intentOk).length,
    unsure: results.filter((r) => r.got.unsure).length,
    unsureRightOffered: results.filter(
      (r) =>
        r.got.unsure && [r.got.reading, ...r.got.alternatives].some((x) => x.intent === r.item.expect.intent),
    ).length,
    removal: {
      total: removals.length,
      exact: removals.filter((r) => removalOk(r, false)).length,
      exactOrFlagged: removals.filter((r) => removalOk(r, true)).length,
    },
    procedure: {
      total: policy.length,
      rightSection: policy.filter(
        (r) => r.intentOk && r.item.expect.sections?.includes(r.got.reading.answer?.section ?? ''),
      ).length,
    },
    questions: questions.length,
    questionsOpeningAction: questions.filter((r) => r.got.reading.kind === 'action' && !r.got.unsure).length,
    outOfDomain: {
      total: ood.length,
      answeredNothingOpened: ood.filter((r) => r.got.reading.kind !== 'action' || r.got.unsure).length,
      readAsNone: ood.filter((r) => r.got.reading.intent === 'None').length,
    },
    dates,
    doubtItems: {
      total: doubtItems.length,
      asked: doubtItems.filter((r) => r.got.reading.doubts.length > 0).length,
    },
    perIntent,
    confusion,
  };
}

function pct(n: number, d: number): string {
  return d ? `${((100 * n) / d).toFixed(1)}%` : '—';
}

function ratio(n: number, d: number): string {
  return `${pct(n, d)} (${n}/${d})`;
}

interface Goal {
  what: string;
  target: string;
  value: (f: Figures) => string;
  met: (f: Figures) => boolean;
}

const GOALS: readonly Goal[] = [
  {
    what: 'Messages understood (intent, entities and dates right; unsure counts as not understood)',
    target: '≥ 95%',
    value: (f) => ratio(f.understood, f.total),
    met: (f) => f.understood / f.total >= 0.95,
  },
  {
    what: 'Removal requests with the case and the exact dates (a doubt item counts when asked)',
    target: '≥ 95%',
    value: (f) => ratio(f.removal.exact, f.removal.total),
    met: (f) => f.removal.exact / f.removal.total >= 0.95,
  },
  {
    what: 'Procedure questions answered from an acceptable section',
    target: '≥ 90%',
    value: (f) => ratio(f.procedure.rightSection, f.procedure.total),
    met: (f) => f.procedure.rightSection / f.procedure.total >= 0.9,
  },
  {
    what: 'Questions (procedure, retention) that open an action',
    target: '0',
    value: (f) => String(f.questionsOpeningAction),
    met: (f) => f.questionsOpeningAction === 0,
  },
  {
    what: 'Expected dates silently wrong (wrong and not asked about)',
    target: '0',
    value: (f) => String(f.dates['silently wrong']),
    met: (f) => f.dates['silently wrong'] === 0,
  },
  {
    what: 'Out-of-domain messages answered with nothing opened',
    target: '100%',
    value: (f) => ratio(f.outOfDomain.answeredNothingOpened, f.outOfDomain.total),
    met: (f) => f.outOfDomain.answeredNothingOpened === f.outOfDomain.total,
  },
];

function summary(name: string, f: Figures): string[] {
  const dateTotal = Object.values(f.dates).reduce((a, b) => a + b, 0);
  return [
    `${name}: ${f.total} messages`,
    `  understood ${ratio(f.understood, f.total)}; intent right ${ratio(f.intentAccuracy, f.total)}; unsure (asked) ${f.unsure}, of which the right reading was offered ${f.unsureRightOffered}`,
    `  removal requests: case and exact dates ${ratio(f.removal.exact, f.removal.total)}; exact or flagged ${ratio(f.removal.exactOrFlagged, f.removal.total)}`,
    `  procedure questions from an acceptable section ${ratio(f.procedure.rightSection, f.procedure.total)}`,
    `  questions opening an action: ${f.questionsOpeningAction} of ${f.questions}`,
    `  out of domain: answered with nothing opened ${ratio(f.outOfDomain.answeredNothingOpened, f.outOfDomain.total)}; read as None ${ratio(f.outOfDomain.readAsNone, f.outOfDomain.total)}`,
    `  dates (${dateTotal} expected): exact ${f.dates.exact}, flagged ${f.dates.flagged}, missing ${f.dates.missing}, silently wrong ${f.dates['silently wrong']}; doubt items asked about ${f.doubtItems.asked}/${f.doubtItems.total}`,
  ];
}

function intentTable(f: Figures): string[] {
  const rows = f.perIntent.filter((p) => p.support || p.predicted);
  const fmt = (x: number): string => (Number.isNaN(x) ? '—' : x.toFixed(2));
  return [
    '| intent | support | predicted | precision | recall |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (p) => `| ${p.intent} | ${p.support} | ${p.predicted} | ${fmt(p.precision)} | ${fmt(p.recall)} |`,
    ),
  ];
}

function confusionTable(f: Figures): string[] {
  const lines: string[] = ['| expected → read as | count |', '| --- | ---: |'];
  for (const intent of INTENTS) {
    const row = f.confusion.get(intent);
    if (!row) continue;
    for (const [got, n] of [...row].sort((a, b) => b[1] - a[1])) {
      if (got !== intent) lines.push(`| ${intent} → ${got} | ${n} |`);
    }
  }
  return lines.length > 2 ? lines : ['No confusions.'];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median cost of understanding one message, in ms: each message timed on its own, after a warm-up. */
function costPerMessage(items: readonly Item[]): { median: number; p95: number } {
  for (let round = 0; round < 3; round++)
    for (const item of items) understand(item.text, { today: item.today, roles: [item.role] });
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const item of items) {
      const start = process.hrtime.bigint();
      understand(item.text, { today: item.today, roles: [item.role] });
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { median: median(times), p95: sorted[Math.floor(sorted.length * 0.95)]! };
}

function printDevelopment(name: string, results: readonly Scored[], f: Figures): void {
  console.log(summary(name, f).join('\n'));
  console.log(`\nPer intent (${name}):`);
  console.log(intentTable(f).join('\n'));
  console.log(`\nConfusions (${name}):`);
  console.log(confusionTable(f).join('\n'));
  console.log(`\nFailures (${name}):`);
  for (const r of results.filter((x) => !x.understood)) {
    console.log(
      `  ${r.item.id} [${r.item.role} ${r.item.today}] ${r.item.text}\n      ${r.problems.join('; ')}`,
    );
  }
  console.log('');
}

/** Figures recorded before tuning on a set, kept in the report as they came. */
const BEFORE_TUNING = ['before-tuning-2.md', 'before-tuning-3.md']
  .map((f) => join(EVAL_DIR, f))
  .filter((f) => existsSync(f));

async function main(): Promise<void> {
  const devArg = process.argv.find((a) => a === '--dev' || a.startsWith('--dev='));
  const devOnly = devArg !== undefined;
  const onlyPart = devArg?.startsWith('--dev=') ? devArg.slice('--dev='.length) : undefined;
  const measured: { part: Part; figures: Figures }[] = [];
  for (const part of PARTS.filter((p) => p.development && (!onlyPart || p.name === onlyPart))) {
    const results = load(part.file).map(score);
    const f = figures(results);
    printDevelopment(part.name, results, f);
    measured.push({ part, figures: f });
  }
  if (devOnly) return;

  // A sealed message whose text is also in a development part has been seen: it is left out.
  const seen = new Set(
    PARTS.filter((p) => p.development).flatMap((p) => load(p.file).map((i) => normal(i.text))),
  );
  const leftOut: string[] = [];
  for (const part of PARTS.filter((p) => !p.development)) {
    const all = load(part.file);
    const items = all.filter((i) => !seen.has(normal(i.text)));
    const dropped = all.filter((i) => seen.has(normal(i.text))).map((i) => `\`${i.id}\``);
    if (dropped.length) {
      const line = `${dropped.length} message(s) of \`${part.name}\` left out (${dropped.join(', ')}): the same text is in a development part.`;
      console.log(line);
      leftOut.push(line);
    }
    const f = figures(items.map(score));
    console.log(`${summary(`${part.name} (aggregate figures only)`, f).join('\n')}\n`);
    measured.push({ part, figures: f });
  }
  const cost = costPerMessage(PARTS.flatMap((p) => load(p.file)));
  console.log(`Cost per message: median ${cost.median.toFixed(3)} ms, p95 ${cost.p95.toFixed(3)} ms`);

  const cpu = cpus();
  const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, load average ${loadavg()[0]!.toFixed(2)}`;
  const sealed = measured.filter((m) => !m.part.development);
  const goalRows = GOALS.map(
    (g) =>
      `| ${g.what} | ${g.target} | ${measured.map((m) => g.value(m.figures)).join(' | ')} | ${sealed.every((m) => g.met(m.figures)) ? 'yes' : '**no**'} |`,
  );
  const costMet = cost.median <= 1;
  const names = measured.map((m) => m.part.name);
  const quoted = (list: readonly string[]): string => list.map((n) => `\`${n}\``).join(', ');
  const development = PARTS.filter((p) => p.development).map((p) => p.name);
  const untuned = development.filter((n) => !TUNED_ON.includes(n));
  const sets = SETS.filter((s) => PARTS.some((p) => p.readme === s.readme)).map(
    (s) => `\`dev${s.suffix}\` and \`sealed${s.suffix}\` ([${s.readme}](${s.readme}))`,
  );
  const report = [
    '# Message understanding: evaluation results',
    '',
    `The latest run of \`npm run eval:understanding\`, written by it (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ${machine}).`,
    `${['No', 'One', 'Two', 'Three', 'Four', 'Five', 'Six'][sets.length] ?? sets.length} sets, each written by its own writer who never saw the implementation nor the other sets:`,
    `${sets.join('; ')}. How they are used: docs/decisions/0010-understanding-and-its-evaluation.md.`,
    '',
    `- **Tuned on:** ${quoted(TUNED_ON)} (their failures are read and fixed by improving the understanding).`,
    ...(untuned.length
      ? [
          `- **Development parts not yet tuned on:** ${quoted(untuned)} (their figures are still out of sample).`,
        ]
      : []),
    `- **Never tuned on:** ${quoted(PARTS.filter((p) => !p.development).map((p) => p.name))}. Only their aggregate figures are ever printed or recorded.`,
    '  A sealed part measured again after later tuning is no longer a first measurement, but nothing was ever',
    "  changed because of its figures. Each set's figures from before any tuning on it are kept below.",
    '- A goal is met only when it is met on every sealed part.',
    ...leftOut.map((l) => `- ${l}`),
    '',
    '## Goals',
    '',
    `| goal | target | ${names.join(' | ')} | met (sealed parts) |`,
    `| --- | --- | ${names.map(() => '---:').join(' | ')} | --- |`,
    ...goalRows,
    `| Median cost of understanding a message (all parts) | ≤ 1 ms | ${names.map(() => '').join(' | ')} ${cost.median.toFixed(3)} ms (p95 ${cost.p95.toFixed(3)} ms) | ${costMet ? 'yes' : '**no**'} |`,
    '',
    '## Figures',
    '',
    '```text',
    ...measured.flatMap((m) => [...summary(m.part.name, m.figures), '']),
    '```',
    '',
    'Dates: "exact" is the expected date; "flagged" is a different date that the reading asks about',
    '(a doubt), so the person sees and corrects it; "missing" is no date read (the form asks for it);',
    '"silently wrong" is a wrong date with no doubt, or a doubt item read without asking.',
    '',
    ...BEFORE_TUNING.flatMap((f) => [readFileSync(f, 'utf8').trim(), '']),
    ...measured.flatMap((m) => [`## Per intent: ${m.part.name}`, '', ...intentTable(m.figures), '']),
    ...measured.flatMap((m) => [`## Confusions: ${m.part.name}`, '', ...confusionTable(m.figures), '']),
  ].join('\n');
  const config = (await prettier.resolveConfig(RESULTS)) ?? {};
  writeFileSync(RESULTS, await prettier.format(report, { ...config, filepath: RESULTS }));
  console.log(`\nWrote ${RESULTS}`);
}

await main();
