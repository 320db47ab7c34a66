// The file `config init` writes must load and check clean, and so must each of its commented
// examples once uncommented: a starter that fails its own check would teach the wrong thing.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkConfig } from '../../src/config/check.js';
import { resolveConfig } from '../../src/config/load.js';
import { STARTER_EXAMPLES, starterYaml } from '../../src/config/starter.js';
import { NOTIFIABLE_EVENTS } from '../../src/config/types.js';
import { TEMPLATE_TOKENS } from '../../src/notify/tokens.js';
import { keysAt } from '../../src/config/schema-walk.js';
import { MM_HOOK, SLACK_TOKEN, SMALLEST } from './helpers.js';

const ENV = { OCTOSLACK_SLACK_TOKEN: SLACK_TOKEN, OCTOSLACK_MATTERMOST_WEBHOOK_URL: MM_HOOK };

describe('the starter file', () => {
  const text = starterYaml();

  it('is the smallest config from the issue, and loads and checks clean with tokens in the environment', () => {
    expect(parse(text)).toEqual(parse(SMALLEST));
    const { config, warnings } = resolveConfig({ text, env: ENV });
    expect(warnings).toEqual([]);
    expect(checkConfig(config)).toEqual([]);
  });

  it('shows tokens as coming from the environment, never a value', () => {
    for (const v of ['OCTOSLACK_SLACK_TOKEN', 'OCTOSLACK_SLACK_WEBHOOK_URL', 'OCTOSLACK_MATTERMOST_TOKEN', 'OCTOSLACK_MATTERMOST_WEBHOOK_URL']) expect(text).toContain(v);
    expect(text).not.toMatch(/xox[bp]-\d/);
  });

  it('explains every top-level section, every event and every token', () => {
    for (const key of keysAt([])) expect(text, key).toMatch(new RegExp(`^#? ?${key}:`, 'm'));
    for (const e of NOTIFIABLE_EVENTS) expect(text).toContain(`  ${e} `);
    for (const t of TEMPLATE_TOKENS) expect(text).toContain(`{${t}}`);
  });

  it.each(STARTER_EXAMPLES.map((ex) => [ex.yaml.split(':')[0]!, ex] as const))('example %s loads and checks clean when uncommented', (_name, ex) => {
    const { config } = resolveConfig({ text: `${SMALLEST}${ex.yaml}`, env: ENV });
    expect(checkConfig(config)).toEqual([]);
  });

  it('every example uncommented at once works too', () => {
    const { config } = resolveConfig({ text: SMALLEST + STARTER_EXAMPLES.map((ex) => ex.yaml).join(''), env: ENV });
    expect(config.rules.map((r) => r.name)).toEqual(['ColourChange', 'FirmwareMessage']);
    expect(config.rules[1]!.pattern).toBe('^//\\s*action:notification');
    expect(config.quietHours).toEqual({ start: '22:00', end: '07:00', mode: 'silent' });
    expect(checkConfig(config)).toEqual([]);
  });
});
