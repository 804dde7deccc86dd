import type { Kysely } from 'kysely';
import { addDays } from '../rules/index.js';
import { enqueue, type NewNotification } from '../store/outbox.js';
import type { Database } from '../store/schema.js';
import { actingManagerIds, getStaffMany } from '../store/staff.js';
import { today, type Clock } from './clock.js';

export interface ReminderSettings {
  /** Remind approvers after this many hours undecided; escalate to their manager after twice as many. */
  pendingReminderHours: number;
}

/**
 * Queues every reminder that is due now. Each reminder has its own key, so it is queued once
 * however often this runs, on however many instances, and across restarts.
 */
export async function queueReminders(
  db: Kysely<Database>,
  clock: Clock,
  settings: ReminderSettings,
): Promise<number> {
  const now = clock.now();
  const at = now.toISOString();
  const day = today(clock);
  const tomorrow = addDays(day, 1);
  const hours = (h: number) => new Date(now.getTime() - h * 3600_000).toISOString();
  const items: NewNotification[] = [];

  const pending = await db
    .selectFrom('removal_authorisations')
    .select(['id', 'requester_id', 'created_at'])
    .where('status', '=', 'pending')
    .where('created_at', '<=', hours(settings.pendingReminderHours))
    .execute();
  const open = await db
    .selectFrom('removal_authorisations')
    .select(['id', 'requester_id', 'return_on', 'status'])
    .where('status', 'in', ['approved', 'return_requested'])
    .where('return_on', '<=', tomorrow)
    .execute();

  const people = await getStaffMany(
    db,
    [...pending, ...open].map((r) => r.requester_id),
  );
  const managers = await getStaffMany(
    db,
    [...people.values()].map((p) => p.lineManagerId).filter((id): id is string => !!id),
  );
  const approversOf = async (requesterId: string) => {
    const manager = people.get(requesterId)?.lineManagerId;
    return manager ? [manager, ...(await actingManagerIds(db, manager, day))] : [];
  };

  for (const r of pending) {
    for (const to of await approversOf(r.requester_id)) {
      items.push({
        dedupeKey: `reminder.pending:${r.id}:${to}`,
        recipientId: to,
        kind: 'reminder.pending',
        authorisationId: r.id,
        dueAt: at,
      });
    }
    if (r.created_at <= hours(2 * settings.pendingReminderHours)) {
      const manager = people.get(r.requester_id)?.lineManagerId;
      const above = manager ? managers.get(manager)?.lineManagerId : null;
      if (above) {
        items.push({
          dedupeKey: `reminder.pending_escalated:${r.id}`,
          recipientId: above,
          kind: 'reminder.pending_escalated',
          authorisationId: r.id,
          dueAt: at,
        });
      }
    }
  }
  for (const r of open) {
    // Someone who has left cannot be reached; their manager still is, below.
    const requesterLeft = !!people.get(r.requester_id)?.leftOn;
    if (r.return_on === tomorrow && r.status === 'approved' && !requesterLeft) {
      items.push({
        dedupeKey: `reminder.return_due:${r.id}:${r.return_on}`,
        recipientId: r.requester_id,
        kind: 'reminder.return_due',
        authorisationId: r.id,
        dueAt: at,
      });
    }
    if (r.return_on < day) {
      if (!requesterLeft)
        items.push({
          dedupeKey: `reminder.overdue:${r.id}:${r.return_on}`,
          recipientId: r.requester_id,
          kind: 'reminder.overdue',
          authorisationId: r.id,
          dueAt: at,
        });
      for (const to of await approversOf(r.requester_id)) {
        items.push({
          dedupeKey: `reminder.overdue_escalated:${r.id}:${r.return_on}:${to}`,
          recipientId: to,
          kind: 'reminder.overdue_escalated',
          authorisationId: r.id,
          dueAt: at,
        });
      }
    }
  }
  await enqueue(db, items, at);
  return items.length;
}
