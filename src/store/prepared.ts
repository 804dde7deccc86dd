import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import { isPostgres } from './dialect.js';
import type { Database } from './schema.js';

// Queries on the hot paths (every turn's claim and reply, the staff and covers each card names,
// a decision's writes) built once through the query builder and compiled once per kind of
// database, then run with each call's values. The builder makes a tree of frozen objects and the
// compiler walks it for every query; here that is done once, and each run only binds its values
// to a statement the connection has already prepared (statement-cache.ts).

/** Stands in for a value the query is given each time it runs. */
class Slot {
  constructor(readonly name: string) {}
}

interface Plan<R> {
  compiled: CompiledQuery<R>;
  /** For each parameter of the compiled query: the value's name, or a value fixed in the query. */
  parameters: ({ name: string } | { fixed: unknown })[];
}

function plan<V extends Record<string, unknown>, R>(
  db: Kysely<Database>,
  build: (db: Kysely<Database>, values: V) => Compilable<R>,
): Plan<R> {
  const slots = new Map<string, Slot>();
  const values = new Proxy(
    {},
    {
      get: (_, name) => {
        const key = String(name);
        let slot = slots.get(key);
        if (!slot) slots.set(key, (slot = new Slot(key)));
        return slot;
      },
      // The values object itself never goes into a query (its keys are not known when it is
      // built): each value is named where it is used.
      ownKeys: () => {
        throw new Error('A prepared query names each of its values; it cannot take them all at once.');
      },
    },
  ) as V;
  const compiled = build(db, values).compile();
  const parameters = compiled.parameters.map((p) => (p instanceof Slot ? { name: p.name } : { fixed: p }));
  return { compiled, parameters };
}

/**
 * A query `build` makes from `values` (each used as a parameter's value, never to choose what the
 * query is), built and compiled once per kind of database; the function returned runs it with the
 * values given, on any connection or transaction.
 */
export function prepared<V extends Record<string, unknown>, R>(
  build: (db: Kysely<Database>, values: V) => Compilable<R>,
): (db: Kysely<Database>, values: V) => Promise<QueryResult<R>> {
  const plans = new Map<boolean, Plan<R>>();
  return async (db, values) => {
    const postgres = isPostgres(db);
    let known = plans.get(postgres);
    if (!known) {
      known = plan(db, build);
      plans.set(postgres, known);
    }
    const { compiled, parameters } = known;
    return await db.executeQuery<R>({
      query: compiled.query,
      queryId: compiled.queryId,
      sql: compiled.sql,
      parameters: parameters.map((p) => ('name' in p ? values[p.name] : p.fixed)),
    });
  };
}

/** Rows a write changed, from a prepared query's result. */
export function changed(result: QueryResult<unknown>): number {
  return Number(result.numAffectedRows ?? 0);
}
