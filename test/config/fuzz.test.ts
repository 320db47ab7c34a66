// Whatever a person (or a corrupted disk) puts in the config file, loading ends in a config or a
// ConfigError — never a crash with a stack trace — and check() never throws on what loaded.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkConfig } from '../../src/config/check.js';
import { resolveConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/problems.js';
import { allKeys } from '../../src/config/schema-walk.js';
import { seededRandom } from '../../src/sim/prng.js';

/** Small deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function rng(seed: number) {
  const next = seededRandom(seed);
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]! };
}

const PIECES = [':', ' ', '  ', '\n', '\t', '-', '- ', '[', ']', '{', '}', ',', '"', "'", '#', '&a', '*a', '!', '!!str', '!!binary', '?', '|', '>',
  '%YAML 1.1', '---', '...', '~', 'null', 'true', 'yes', '0x1F', '1e400', '-0', '.nan', '22:00', '__proto__', 'constructor', 'slack', 'events',
  'Progress', 'enabled', 'channels', 'rules', 'pattern', 'quietHours', 'token', 'xoxb-123', '{print_name}', '\u00e9', '\ufeff', '\u0000', '\r'];

const KEYS = allKeys().map((k) => k.path);
const VALUES: unknown[] = [true, false, 0, -1, 1.5, 1e9, '', 'x', 'thread', '#printer', '22:00', '(', null, [], ['#a', 3], {}, { a: 1 },
  [{ name: 'r', pattern: 'M600', match: 'regex' }], [{ name: 'r', pattern: '(' , match: 'regex' }], 'xapp-1-2'];

function randomTree(r: ReturnType<typeof rng>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (let i = r.int(6); i >= 0; i--) {
    const path = r.next() < 0.1 ? [...r.pick(KEYS), 'zz'] : r.pick(KEYS);
    let o = root;
    for (const seg of path.slice(0, -1)) {
      if (typeof o[seg] !== 'object' || o[seg] === null || Array.isArray(o[seg])) o[seg] = {};
      o = o[seg] as Record<string, unknown>;
    }
    o[path[path.length - 1]!] = r.pick(VALUES);
  }
  return root;
}

function loadOrConfigError(text: string, env: NodeJS.ProcessEnv = {}): void {
  try {
    const { config } = resolveConfig({ text, env });
    checkConfig(config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw new Error(`not a ConfigError for ${JSON.stringify(text)}: ${String(err)}`);
    expect(err.problems.length).toBeGreaterThan(0);
  }
}

describe('fuzz', () => {
  it('random YAML-like garbage gives a config or a ConfigError', () => {
    const r = rng(20260501);
    for (let i = 0; i < 500; i++) {
      let text = '';
      for (let n = r.int(24); n >= 0; n--) text += r.pick(PIECES);
      loadOrConfigError(text);
    }
  });

  it('random well-formed configs with wrong values give a config or a ConfigError', () => {
    const r = rng(7);
    for (let i = 0; i < 100; i++) loadOrConfigError(stringify(randomTree(r)));
  });

  it('random environment values give a config or a ConfigError', () => {
    const r = rng(11);
    const names = ['OCTOSLACK_PROGRESS_EVERY_PERCENT', 'OCTOSLACK_EVENTS_ERROR_ENABLED', 'OCTOSLACK_SLACK_CHANNELS', 'OCTOSLACK_GROUPING', 'OCTOSLACK_QUIET_HOURS_START', 'OCTOSLACK_X'];
    for (let i = 0; i < 150; i++) {
      const env: NodeJS.ProcessEnv = {};
      for (let n = r.int(4); n >= 0; n--) env[r.pick(names)] = Array.from({ length: r.int(5) }, () => r.pick(PIECES)).join('');
      loadOrConfigError('', env);
    }
  });
});
