import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import {
  defaultOwnDataSchedule,
  defaultSchedule,
  OwnDataScheduleError,
  parseOwnDataSchedule,
  parseSchedule,
  ScheduleError,
  type OwnDataSchedule,
  type Schedule,
} from './rules/index.js';

/** A schedule file's content, JSON or YAML by its extension; `fail` says why it cannot be read. */
function readData(file: string, fail: (problem: string) => Error): unknown {
  try {
    const content = readFileSync(file, 'utf8');
    return /\.ya?ml$/i.test(file) ? parseYaml(content) : JSON.parse(content);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw fail(`${file} could not be read: ${message}`);
  }
}

/**
 * The retention schedule in force: the council's own file (JSON or YAML) when one is named,
 * otherwise the shipped default. A bad file stops start-up with a message naming entry and field.
 */
export function loadSchedule(file: string | null): Schedule {
  if (!file) return defaultSchedule;
  return parseSchedule(readData(file, (problem) => new ScheduleError([problem])));
}

/**
 * The schedule for the product's own data in force: the council's file (OWN_DATA_SCHEDULE_FILE,
 * JSON or YAML) when one is named, otherwise the shipped default. A bad file stops start-up with a
 * message naming the kind and field.
 */
export function loadOwnDataSchedule(file: string | null): OwnDataSchedule {
  if (!file) return defaultOwnDataSchedule;
  return parseOwnDataSchedule(readData(file, (problem) => new OwnDataScheduleError([problem])));
}
