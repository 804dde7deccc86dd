import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Actions, verbTable, type ActionDeps, type VerbTable } from '../../src/actions/table.js';
import { REMOVAL_ACTION_VERBS, VERBS } from '../../src/actions/verbs.js';
import { REPO_ROOT } from '../../src/repo-root.js';
import { ACTION_TARGETS } from '../../src/rules/index.js';
import { TAB_ACTIONS } from '../../src/tab/api-types.js';
import { LIST_VERBS } from '../cards/examples.js';

// The verb table's shape. Nothing here runs a handler (that is what the HTTP tests do), so the
// services are never called and none is needed.
const table = verbTable({} as ActionDeps);
const actions = new Actions(table);

/** Every literal `verb` in the Adaptive Card templates. */
function templateVerbs(): string[] {
  const dir = path.join(REPO_ROOT, 'cards');
  const verbs = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    for (const [, verb] of readFileSync(path.join(dir, file), 'utf8').matchAll(/"verb":\s*"([^"$]+)"/g)) {
      verbs.add(verb!);
    }
  }
  return [...verbs].sort();
}

describe('the verb table', () => {
  it('has a handler for every verb, and only for verbs', () => {
    expect(actions.verbs().sort()).toEqual(Object.values(VERBS).sort());
  });

  it('handles every verb a card template or list sends', () => {
    const sent = [...templateVerbs(), ...LIST_VERBS];
    expect(sent.length).toBeGreaterThan(10);
    for (const verb of sent) expect(actions.verbs(), verb).toContain(verb);
  });

  it('routes each of the tab’s actions to a removal verb, one each', () => {
    expect(Object.keys(REMOVAL_ACTION_VERBS).sort()).toEqual(Object.keys(ACTION_TARGETS).sort());
    expect([...TAB_ACTIONS].sort()).toEqual(Object.keys(REMOVAL_ACTION_VERBS).sort());
    expect(new Set(Object.values(REMOVAL_ACTION_VERBS)).size).toBe(TAB_ACTIONS.length);
  });

  it.each(['toString', 'constructor', '__proto__', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', ''])(
    'refuses "%s", a name that is not a verb, as an unknown action',
    async (verb) => {
      expect(await actions.run(verb, 'someone', {})).toEqual({
        show: 'unreadable',
        message: `Unknown action "${verb}".`,
      });
    },
  );

  it('does not compile without a handler for every verb', () => {
    const { [VERBS.due]: _due, ...withoutDue } = table;
    // @ts-expect-error a verb without a handler is a compile error
    const incomplete: VerbTable = withoutDue;
    expect(Object.keys(incomplete)).not.toContain(VERBS.due);
  });
});
