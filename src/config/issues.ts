// Turns zod's validation issues into ConfigProblems a person can act on: the key path, what was
// found (described, never a secret), and the fix — the closest known key for a misspelt one, the
// allowed range for a number, the allowed words for a choice.
import type { z } from 'zod';
import { NOTIFIABLE_EVENTS } from './types.js';
import { describeValue, pathString, quoteName, type ConfigProblem } from './problems.js';
import { keyInfo, keysAt } from './schema-walk.js';
import { closest } from './suggest.js';

/** Old plugin (snake_case) names people bring along, and where the setting lives now. */
const OLD_NAMES: Record<string, string> = {
  ignore_cancel_fail_event: 'ignoreFailAfterCancel',
  include_raspi_temp: 'hostTemperature',
  time_format: 'format.timeFormat',
  eta_date_format: 'format.etaFormat',
  timezone: 'format.timezone',
  slack_apitoken: 'slack.token',
  slack_webhook_url: 'slack.webhookUrl',
  channel: 'slack.channels or mattermost.channel',
};

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = Object.hasOwn(v, seg) ? (v as Record<PropertyKey, unknown>)[seg] : undefined;
  }
  return v;
}

/** Where a value at a path came from (file line, variable, flag), for the problem's `where`. */
export type Locate = (path: readonly PropertyKey[]) => string | undefined;

export function issueToProblems(issue: z.core.$ZodIssue, input: unknown, locate: Locate = () => undefined): ConfigProblem[] {
  const path = issue.path as PropertyKey[];
  const placed = (p: ConfigProblem, at: readonly PropertyKey[]): ConfigProblem => {
    const where = locate(at);
    return where ? { ...p, where } : p;
  };
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => placed(unknownKey(path, k), [...path, k]));
  return [placed(describeIssue(issue, path, input), path)];
}

function describeIssue(issue: z.core.$ZodIssue, path: PropertyKey[], input: unknown): ConfigProblem {
  const at = pathString(path);
  switch (issue.code) {
    case 'invalid_type':
      return wrongType(path, at, issue.expected, valueAt(input, path));
    case 'too_small':
    case 'too_big':
      return outOfRange(path, at, issue);
    case 'invalid_value': {
      const v = valueAt(input, path);
      const values = issue.values.map(String);
      const near = typeof v === 'string' ? closest(v, values) : undefined;
      return {
        path: at,
        message: `${describeValue(v)} is not one of the choices`,
        fix: near ? `did you mean ${near}? (choices: ${values.join(', ')})` : `use one of: ${values.join(', ')}`,
      };
    }
    case 'custom': {
      // The schema's own checks (schema.ts) carry their fix in params.
      const fix = (issue.params as { fix?: unknown } | undefined)?.fix;
      return { path: at, message: issue.message, fix: typeof fix === 'string' ? fix : 'see `octoslack config init` for an example of this key' };
    }
    default:
      return { path: at, message: issue.message, fix: 'see `octoslack config init` for an example of this key' };
  }
}

function unknownKey(parent: PropertyKey[], key: string): ConfigProblem {
  const path = pathString([...parent, key]);
  const known = keysAt(parent.filter((s): s is string | number => typeof s !== 'symbol'));
  const near = closest(key, known);
  let fix: string;
  if (near) fix = `did you mean ${pathString([...parent, near])}?`;
  else if (parent.length === 0 && OLD_NAMES[key]) fix = `this setting is now ${OLD_NAMES[key]}`;
  else if (parent.length === 0 && (NOTIFIABLE_EVENTS as readonly string[]).includes(key)) fix = `event settings go under events: (events.${key})`;
  else if (pathString(parent) === 'events') fix = `events are ${known.join(', ')}; a G-code match (like M600) goes in the rules: list`;
  else fix = known.length ? `remove it; the keys here are ${known.join(', ')}` : 'remove it';
  return { path, message: `unknown key ${quoteName(key)}`, fix };
}

const EXPECTED: Record<string, [what: string, fix: string]> = {
  boolean: ['true or false', 'write true or false, without quotes'],
  number: ['a number', 'write a number without quotes, e.g. 10'],
  int: ['a whole number', 'write a whole number, e.g. 10'],
  string: ['text', 'write text; quote it if it could be read as a number or true/false, e.g. "007"'],
  array: ['a list', 'write a list, e.g. ["#printer"] or one "- item" per line'],
  object: ['a section of keys', 'indent the keys of this section below it'],
};

function wrongType(path: PropertyKey[], at: string, expected: string, value: unknown): ConfigProblem {
  const [what, fix] = EXPECTED[expected] ?? [expected, `write ${expected}`];
  if (value === undefined) {
    const info = keyInfo(path.filter((s): s is string | number => typeof s !== 'symbol'));
    const about = info?.description ? ` (${info.description})` : '';
    return { path: at, message: `is required${about}`, fix: `add ${String(path[path.length - 1])}: with ${what}` };
  }
  if (expected === 'int' && typeof value === 'number') {
    return { path: at, message: `${describeValue(value)} is not a whole number`, fix };
  }
  return { path: at, message: `expected ${what}, got ${describeValue(value)}`, fix };
}

function outOfRange(path: PropertyKey[], at: string, issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): ConfigProblem {
  if (issue.origin === 'string') {
    return { path: at, message: 'is empty', fix: 'give it a value, or remove the key to use the default' };
  }
  if (issue.origin === 'array') return { path: at, message: issue.message, fix: 'check the number of items' };
  const info = keyInfo(path.filter((s): s is string | number => typeof s !== 'symbol'));
  const min = info?.min;
  const max = info?.max;
  const range = min !== undefined && max !== undefined ? `from ${min} to ${max}` : min !== undefined ? `of at least ${min}` : `of at most ${String(max)}`;
  const bound = issue.code === 'too_small' ? `less than ${String(issue.minimum)}` : `more than ${String(issue.maximum)}`;
  return { path: at, message: `is ${bound}`, fix: `use a number ${range}${info?.description ? ` (${info.description})` : ''}` };
}
