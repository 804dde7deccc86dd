import procedureData from './procedure.json' with { type: 'json' };

/**
 * The council's procedure that the product implements ("Case Retention and Destruction of
 * Records"), as data: each section's own words, verbatim, under the ids DESIGN.md uses (P1–P7
 * for part 1, D1–D4 for part 2). Answers quote it; nothing here is paraphrased.
 */

export const SECTION_IDS = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'D1', 'D2', 'D3', 'D4'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export interface ProcedureSection {
  readonly id: SectionId;
  /** The part of the chapter: 1 (retention of documentation) or 2 (destruction of files). */
  readonly part: number;
  /** "1. Case Retention of Documentation" */
  readonly partTitle: string;
  /** The procedure's words for this section, verbatim. */
  readonly text: string;
}

export function isSectionId(value: unknown): value is SectionId {
  return typeof value === 'string' && (SECTION_IDS as readonly string[]).includes(value);
}

function load(): { title: string; amended: string; sections: readonly ProcedureSection[] } {
  const parts = new Map(procedureData.parts.map((p) => [p.number, `${p.number}. ${p.title}`]));
  const sections = procedureData.sections.map((s): ProcedureSection => {
    const partTitle = parts.get(s.part);
    if (!isSectionId(s.id) || !partTitle) throw new Error(`procedure.json: bad section ${s.id}`);
    return { id: s.id, part: s.part, partTitle, text: s.text };
  });
  const ids = sections.map((s) => s.id).join(',');
  if (ids !== SECTION_IDS.join(','))
    throw new Error(`procedure.json: sections must be ${SECTION_IDS.join(',')}`);
  return { title: procedureData.title, amended: procedureData.amended, sections };
}

export const PROCEDURE = load();

export function procedureSection(id: SectionId): ProcedureSection {
  return PROCEDURE.sections.find((s) => s.id === id)!;
}
