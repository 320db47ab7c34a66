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
import { isWarning } from '../../src/config/problems.js';
import type { StarterExample } from '../../src/config/starter.js';
import { MM_HOOK, SLACK_TOKEN, SMALLEST } from './helpers.js';

const ENV = { OCTOSLACK_SLACK_TOKEN: SLACK_TOKEN, OCTOSLACK_MATTERMOST_WEBHOOK_URL: MM_HOOK };
const S3_KEYS = { OCTOSLACK_MEDIA_S3_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', OCTOSLACK_MEDIA_S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const topKey = (ex: StarterExample) => ex.yaml.split(':')[0]!;

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

  const byKey = new Map(STARTER_EXAMPLES.map((ex) => [topKey(ex), ex]));

  it('every example\'s `uses` names another example', () => {
    for (const ex of STARTER_EXAMPLES) for (const key of ex.uses ?? []) expect(byKey.has(key), key).toBe(true);
  });

  it.each(STARTER_EXAMPLES.map((ex) => [topKey(ex), ex] as const))('example %s loads and checks without errors when uncommented', (_name, ex) => {
    const text = `${SMALLEST}${(ex.uses ?? []).map((k) => byKey.get(k)!.yaml).join('')}${ex.yaml}`;
    const { config } = resolveConfig({ text, env: ENV });
    // Warnings are allowed alone: a camera without media leaves the Mattermost webhook without pictures.
    expect(checkConfig(config).filter((p) => !isWarning(p))).toEqual([]);
  });

  it('every example uncommented at once works too, with S3 keys in the environment without a warning', () => {
    const { config } = resolveConfig({ text: SMALLEST + STARTER_EXAMPLES.map((ex) => ex.yaml).join(''), env: { ...ENV, ...S3_KEYS } });
    expect(config.rules.map((r) => r.name)).toEqual(['ColourChange', 'FirmwareMessage']);
    expect(config.rules[1]!.pattern).toBe('^//\\s*action:notification');
    expect(config.quietHours).toEqual({ start: '22:00', end: '07:00', mode: 'silent' });
    expect(config.cameras.map((c) => c.url ?? c.device)).toEqual(['http://octopi.local/webcam/?action=snapshot', '/dev/video0']);
    expect(config.media.s3).toMatchObject({ endpoint: 'http://minio.local:9000', pathStyle: true, accessKeyId: S3_KEYS.OCTOSLACK_MEDIA_S3_ACCESS_KEY_ID });
    expect(config.printers.map((p) => p.name)).toEqual(['MK4', 'Mini']);
    expect(config.mqtt).toMatchObject({ url: 'mqtt://homeassistant.local:1883', discovery: true, commands: { pause: true, resume: true, cancel: false } });
    expect(config.timelapse.enabled).toBe(true);
    expect(checkConfig(config)).toEqual([]);
  });

  it('names the secrets of the new sections by their variables, and never writes a value', () => {
    for (const v of ['OCTOSLACK_MEDIA_S3_ACCESS_KEY_ID', 'OCTOSLACK_MEDIA_S3_SECRET_ACCESS_KEY', 'OCTOSLACK_MEDIA_IMGUR_CLIENT_ID', 'OCTOSLACK_MQTT_PASSWORD']) expect(text).toContain(`${v}=…`);
    for (const ex of STARTER_EXAMPLES) {
      const parsed = JSON.stringify(parse(ex.yaml));
      for (const key of ['password', 'secretAccessKey', 'accessKeyId', 'sessionToken', 'clientId', 'token']) expect(parsed, `${topKey(ex)} ${key}`).not.toContain(`"${key}"`);
    }
  });

  it('lines stay readable: at most 110 characters', () => {
    expect(text.split('\n').filter((l) => l.length > 110)).toEqual([]);
  });
});
