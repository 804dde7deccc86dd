import caseRetentionTemplate from '../../cards/case-retention.json' with { type: 'json' };
import { DATE_FIELD_LABELS, formatDate, type RetentionStatus } from '../rules/index.js';
import type { CaseRetention } from '../services/case-retention.js';
import { bind, type CardJson } from './render.js';

/**
 * The background each status is shown on, in Teams' container styles. The word says the status;
 * the colour only repeats it (and text in Teams' own status colours is too faint to read).
 */
const STATUS_STYLE: Record<RetentionStatus, 'good' | 'warning' | 'attention' | 'emphasis'> = {
  retained: 'good',
  due: 'warning',
  held: 'attention',
  destroyed: 'emphasis',
  incomplete: 'warning',
};

export function caseRetentionCard(result: CaseRetention, today: string): CardJson {
  return bind(caseRetentionTemplate, {
    caseRef: result.caseRef,
    asOn: formatDate(today),
    scheduleVersion: result.scheduleVersion,
    records: result.records.map((r) => {
      const a = r.answer;
      const end = a.permanent
        ? 'kept permanently'
        : a.endsOn
          ? `retention ${a.endsOn > today ? 'ends' : 'ended'} ${formatDate(a.endsOn)}`
          : `end unknown: ${a.missing.map((m) => DATE_FIELD_LABELS[m]).join(' and ')} missing`;
      const hold = r.holds.length
        ? `; on hold: ${r.holds.map((h) => `${h.type.replace(/_/g, ' ')} ${h.reference}`).join(', ')}`
        : '';
      const out = r.out ? `; out of the office until ${formatDate(r.out.returnOn)}` : '';
      return {
        recordId: r.recordId,
        title: r.title,
        statusLabel: a.status.toUpperCase(),
        statusStyle: STATUS_STYLE[a.status],
        summary: `${a.classTitle ?? a.classId}: ${end}${hold}${out}`,
        explanation: a.explanation,
      };
    }),
  });
}
