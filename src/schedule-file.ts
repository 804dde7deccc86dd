import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { defaultSchedule, parseSchedule, ScheduleError, type Schedule } from './rules/index.js';

/**
 * The retention schedule in force: the council's own file (JSON or YAML) when one is named,
 * otherwise the shipped default. A bad file stops start-up with a message naming entry and field.
 */
export function loadSchedule(file: string | null): Schedule {
  if (!file) return defaultSchedule;
  let data: unknown;
  try {
    const content = readFileSync(file, 'utf8');
    data = /\.ya?ml$/i.test(file) ? parseYaml(content) : JSON.parse(content);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ScheduleError([`${file} could not be read: ${message}`]);
  }
  return parseSchedule(data);
}
