// OCTOSLACK_* environment variables: one per config key, named from its path in SCREAMING_SNAKE
// (`slack.webhookUrl` <- OCTOSLACK_SLACK_WEBHOOK_URL, `events.PrintDone.enabled` <-
// OCTOSLACK_EVENTS_PRINT_DONE_ENABLED). Secrets belong here rather than in a file. Names come from
// the schema, so every key is settable and an unknown name is reported, not silently ignored.
import { allKeys, type KeyInfo } from './schema-walk.js';
import { describeValue, type ConfigProblem } from './problems.js';
import { closest } from './suggest.js';

export const ENV_PREFIX = 'OCTOSLACK_';

/** `['slack', 'webhookUrl']` -> `OCTOSLACK_SLACK_WEBHOOK_URL` */
export function envName(path: readonly string[]): string {
  const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toUpperCase();
  return ENV_PREFIX + path.map(snake).join('_');
}

let index: Map<string, KeyInfo> | undefined;

/** Every settable variable and the key it sets (sections and the lists of sections — rules, cameras, printers — are file-only). */
export function envVariables(): Map<string, KeyInfo> {
  if (!index) {
    index = new Map();
    for (const k of allKeys()) if (k.kind !== 'object' && k.kind !== 'objectList') index.set(envName(k.path), k);
  }
  return index;
}

export interface EnvLayer {
  /** The values, shaped like a config file. */
  value: Record<string, unknown>;
  /** Dotted key path -> the variable that set it. */
  origins: Map<string, string>;
  warnings: string[];
  problems: ConfigProblem[];
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

export function readEnv(env: NodeJS.ProcessEnv): EnvLayer {
  const layer: EnvLayer = { value: {}, origins: new Map(), warnings: [], problems: [] };
  const vars = envVariables();
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith(ENV_PREFIX)) continue;
    const raw = env[name];
    // `OCTOSLACK_SLACK_TOKEN=` (an empty line in a systemd EnvironmentFile) means "not set".
    if (raw === undefined || raw.trim() === '') continue;
    const key = vars.get(name);
    if (!key) {
      layer.warnings.push(unknownVariable(name, vars));
      continue;
    }
    const parsed = parseValue(key, raw.trim());
    if ('problem' in parsed) {
      layer.problems.push({ path: key.path.join('.'), message: `${name} is ${parsed.problem}`, fix: parsed.fix, where: name });
      continue;
    }
    setIn(layer.value, key.path, parsed.value);
    layer.origins.set(key.path.join('.'), name);
  }
  return layer;
}

type Parsed = { value: unknown } | { problem: string; fix: string };

function parseValue(key: KeyInfo, raw: string): Parsed {
  const name = envName(key.path);
  switch (key.kind) {
    case 'boolean': {
      const v = raw.toLowerCase();
      if (TRUE.has(v)) return { value: true };
      if (FALSE.has(v)) return { value: false };
      return { problem: `${describeValue(raw)}, not true or false`, fix: `set ${name}=true or ${name}=false` };
    }
    case 'number':
    case 'integer': {
      const n = Number(raw);
      if (!Number.isFinite(n)) return { problem: `${describeValue(raw)}, not a number`, fix: `set it to a number, e.g. ${name}=${String(key.default ?? 10)}` };
      return { value: n };
    }
    case 'stringList':
      // Channel names never contain commas, so a comma-separated list is unambiguous.
      return { value: raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0) };
    default:
      return { value: raw };
  }
}

function unknownVariable(name: string, vars: Map<string, KeyInfo>): string {
  if (name.startsWith(`${ENV_PREFIX}RULES`)) return `${name} is ignored: G-code rules can only be set in the config file`;
  if (name.startsWith(`${ENV_PREFIX}CAMERAS`)) return `${name} is ignored: cameras can only be set in the config file`;
  if (name.startsWith(`${ENV_PREFIX}PRINTERS`)) return `${name} is ignored: printers can only be set in the config file`;
  const near = closest(name.slice(ENV_PREFIX.length), [...vars.keys()].map((v) => v.slice(ENV_PREFIX.length)));
  const hint = near ? `; did you mean ${ENV_PREFIX}${near}?` : '';
  return `unknown environment variable ${name} is ignored${hint}`;
}

function setIn(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let o = root;
  for (const seg of path.slice(0, -1)) {
    const next = o[seg];
    if (next === undefined || next === null || typeof next !== 'object') o[seg] = {};
    o = o[seg] as Record<string, unknown>;
  }
  o[path[path.length - 1]!] = value;
}
