import type { Kysely } from 'kysely';
import { workViews, type WorkViews } from '../rules/index.js';
import type { Database } from '../store/schema.js';
import { findByFirstName, getStaff, listStaff, managersCoveredBy, type StaffMember } from '../store/staff.js';
import { today, type Clock } from './clock.js';

export type { StaffMember };

/** The staff directory, as the bot and the tab need it: who is asking, and whom they mean. */
export class PeopleService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** The person acting, as the directory has them; null when they are not in it. */
  async find(actorId: string): Promise<StaffMember | null> {
    return (await getStaff(this.db, actorId)) ?? null;
  }

  /** The person acting and the views of work they have today; null when they are not in the directory. */
  async profile(actorId: string): Promise<{ person: StaffMember; views: WorkViews } | null> {
    const person = await this.find(actorId);
    if (!person) return null;
    const covered = await managersCoveredBy(this.db, person.id, today(this.clock));
    return { person, views: workViews(person, covered.length) };
  }

  /**
   * Everyone on the staff, by name, with their roles: the people a developer may act as in the
   * tab in local mode. Only the local-mode persona picker asks, before anyone is identified.
   */
  async personas(limit = 500): Promise<Pick<StaffMember, 'id' | 'name' | 'roles'>[]> {
    return (await listStaff(this.db, limit)).map(({ id, name, roles }) => ({ id, name, roles }));
  }

  /** Colleagues of `actorId` whose first name (or whole name) is `firstName`, to name someone to cover. */
  async colleaguesCalled(actorId: string, firstName: string): Promise<StaffMember[]> {
    return (await findByFirstName(this.db, firstName)).filter((s) => s.id !== actorId);
  }
}
