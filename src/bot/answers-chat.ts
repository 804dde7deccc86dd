import {
  caseRetentionCard,
  classAnswerCard,
  classChoiceCard,
  messageCard,
  procedureAnswerCard,
  procedureTopicsCard,
  unknownClassCard,
  type CardJson,
} from '../cards/index.js';
import { findClass, type IsoDate, type RecordClass, type Schedule } from '../rules/index.js';
import type { CaseRetentionService } from '../services/case-retention.js';
import { CLASS_NAMES, TOPICS, type Reading } from '../understanding/index.js';

/**
 * The schedule's classes for the record classes read from a message, in the order read. Every class
 * the understanding names is in the shipped schedule; one a council's own schedule file leaves out
 * is not there to answer from.
 */
export function scheduleClasses(schedule: Schedule, ids: readonly string[]): RecordClass[] {
  return [...new Set(ids)].flatMap((id) => findClass(schedule, id) ?? []);
}

/** The topics of the procedure, once each, for "what can I ask about the procedure?". */
const PROCEDURE_TOPICS = TOPICS.filter((t, i) => TOPICS.findIndex((o) => o.section === t.section) === i);

/** Answers to questions: how long a kind of record is kept, a case's retention, the procedure. */
export class AnswersChat {
  constructor(
    private readonly schedule: Schedule,
    private readonly retention: CaseRetentionService,
  ) {}

  /** How long the kind of record read is kept: one answer, a short choice, or which kinds there are. */
  recordClass(reading: Reading): CardJson {
    const ids = reading.entities.recordClass?.value ?? [];
    const classes = scheduleClasses(this.schedule, ids);
    if (classes.length === 1)
      return classAnswerCard(classes[0]!, this.schedule.version, reading.entities.diedAtAge?.value);
    if (classes.length > 1) return classChoiceCard(classes);
    if (ids.length)
      return messageCard({
        title: 'Not in the retention schedule',
        lines: [
          `The retention schedule in use (version ${this.schedule.version}) has no class for ${ids.map((id) => CLASS_NAMES.get(id) ?? id).join(' or ')}. Ask the Records Management Service how long they are kept.`,
        ],
      });
    return unknownClassCard();
  }

  /** The retention status of the case named, or of the case a named record belongs to. */
  async caseStatus(actorId: string, reading: Reading, day: IsoDate): Promise<CardJson> {
    const recordId = reading.entities.recordId?.value;
    const caseRef = reading.entities.caseRef?.value;
    if (!caseRef && !recordId)
      return messageCard({
        title: 'Which case?',
        lines: ['Give me the case reference, for example: "retention status of case 1234567".'],
      });
    const found = await this.retention.status(actorId, caseRef ? { caseRef } : { recordId: recordId! });
    if (found.ok) return caseRetentionCard(found.retention, day);
    switch (found.code) {
      case 'record_unknown':
        return messageCard({
          title: `Record ${recordId} is not in the records inventory`,
          lines: [
            'Check the record id, or give me the case reference, for example: "retention status of case 1234567".',
          ],
        });
      case 'case_unknown':
        return messageCard({
          title: found.message.replace(/\.$/, ''),
          lines: ['Check the reference. Only cases in the inventory have a retention status.'],
        });
      default:
        return messageCard({ title: 'Not looked up', lines: [found.message], style: 'attention' });
    }
  }

  /** The procedure's answer, quoting its section; or what the procedure covers, when no part was asked about. */
  procedure(reading: Reading): CardJson {
    return reading.answer ? procedureAnswerCard(reading.answer) : procedureTopicsCard(PROCEDURE_TOPICS);
  }
}
