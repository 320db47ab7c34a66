// What is wrong with a configuration, said so a person can fix it: the key path, what is wrong,
// and what to write instead. The loader throws a ConfigError holding every problem at once (nothing
// starts half-configured); `config check` prints them one per line.
import { UsageError } from '../util/errors.js';

export interface ConfigProblem {
  /** Key path, e.g. `events.Progress.enabled` or `rules[0].pattern`; '' = the file as a whole. */
  path: string;
  message: string;
  fix: string;
  /** Where the bad value came from: `config.yaml line 4, column 3`, `OCTOSLACK_…`, `command line`. */
  where?: string;
  /**
   * 'warning': octoslack runs, but something configured will not work everywhere (pictures a
   * webhook cannot show, a video Imgur will not take). Absent: an error.
   */
  severity?: 'warning';
}

export const isWarning = (p: ConfigProblem): boolean => p.severity === 'warning';

/** A configuration that cannot be used. Exit code 2, like every usage error. */
export class ConfigError extends UsageError {
  constructor(
    readonly problems: ConfigProblem[],
    readonly source?: string,
  ) {
    super(summarize(problems, source), 'CONFIG');
    this.name = 'ConfigError';
  }
}

/** `<key path>: <message> (<where>) — <fix>`, with `warning: ` in front of a warning. */
export function formatProblem(p: ConfigProblem): string {
  const head = p.path || p.where || 'configuration';
  const where = p.path && p.where ? ` (${p.where})` : '';
  return `${isWarning(p) ? 'warning: ' : ''}${head}: ${p.message}${where} — ${p.fix}`;
}

function summarize(problems: ConfigProblem[], source?: string): string {
  const n = problems.length;
  const from = source ? ` in ${source}` : '';
  const head = `the configuration${from} has ${n} problem${n === 1 ? '' : 's'}:`;
  return [head, ...problems.map((p) => `  ${formatProblem(p)}`)].join('\n');
}

/** `events.Progress.enabled`, `rules[0].pattern` */
export function pathString(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

// Strings shaped like credentials are described, never quoted, even when they sit under the
// wrong key (a token pasted into `channels`).
const SECRET_SHAPED = /xox[a-z]-|xapp-|hooks?\/|services\/|^[A-Za-z0-9_\-+/=]{24,}$/i;

/** A value as it may appear in a message: short, and never something that looks like a secret. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'an empty value';
  if (typeof v === 'string') {
    if (v.length === 0) return 'empty text';
    if (v.length > 40 || SECRET_SHAPED.test(v) || /[\r\n]/.test(v)) return 'text';
    return `text "${v}"`;
  }
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Uint8Array) return 'binary data';
  if (typeof v === 'object') return 'a section of keys';
  return typeof v;
}

/** Quotes a short harmless name (a key, an enum value); long or secret-shaped ones are described. */
export function quoteName(s: string): string {
  return s.length > 40 || SECRET_SHAPED.test(s) || /[\r\n]/.test(s) ? '(a long name)' : `"${s}"`;
}
