// Secrets never leave octoslack: not in warnings, load errors, check problems or check output.
import { describe, expect, it } from 'vitest';
import { redactSecrets, REDACTED, secretValues, webhookSecretParts } from '../../src/config/redact.js';
import { checkConfig } from '../../src/config/check.js';
import { resolveConfig } from '../../src/config/load.js';
import { configErrorOf, MM_HOOK, MM_TOKEN, SLACK_HOOK, SLACK_TOKEN } from './helpers.js';

const config = {
  slack: { token: SLACK_TOKEN, webhookUrl: SLACK_HOOK },
  mattermost: { token: MM_TOKEN, webhookUrl: MM_HOOK },
};
const ALL = [SLACK_TOKEN, SLACK_HOOK, MM_TOKEN, MM_HOOK, 'XXXXXXXXXXXXXXXXXXXXXXXX', 'xq7yz3k9w1mabc123def456gh'];
const leaks = (text: string) => ALL.filter((s) => text.includes(s));

describe('redactSecrets', () => {
  it('replaces every token and webhook URL', () => {
    const text = `auth ${SLACK_TOKEN} failed; POST ${SLACK_HOOK} and ${MM_HOOK}: 404; bearer ${MM_TOKEN}`;
    const out = redactSecrets(text, config);
    expect(leaks(out)).toEqual([]);
    expect(out).toBe(`auth ${REDACTED} failed; POST ${REDACTED} and ${REDACTED}: 404; bearer ${REDACTED}`);
  });

  it('replaces the secret path part of a webhook URL on its own', () => {
    expect(webhookSecretParts(SLACK_HOOK)).toContain('XXXXXXXXXXXXXXXXXXXXXXXX');
    expect(webhookSecretParts(MM_HOOK)).toContain('xq7yz3k9w1mabc123def456gh');
    expect(redactSecrets('GET /hooks/xq7yz3k9w1mabc123def456gh -> 403', config)).toBe(`GET ${REDACTED} -> 403`);
    expect(redactSecrets('token xq7yz3k9w1mabc123def456gh', config)).toBe(`token ${REDACTED}`);
    expect(redactSecrets(`url=${encodeURIComponent(SLACK_HOOK)}`, config)).toBe(`url=${REDACTED}`);
  });

  it('masks anything shaped like a Slack token or webhook even when not configured', () => {
    expect(redactSecrets('xoxb-999-888-zzz and xapp-1-A1-2-abc', {})).toBe(`${REDACTED} and ${REDACTED}`);
    expect(redactSecrets('https://hooks.slack.com/services/T1/B2/secretsecret', {})).toBe(`https://hooks.slack.com/services/${REDACTED}`);
  });

  it('leaves ordinary text alone, and ignores absent or tiny values', () => {
    expect(secretValues({ slack: { token: 'ab' } })).toEqual([]);
    expect(redactSecrets('Print done: benchy.gcode', config)).toBe('Print done: benchy.gcode');
  });
});

describe('no output carries a token', () => {
  const env = { OCTOSLACK_SLACK_TOKEN: SLACK_TOKEN, OCTOSLACK_MATTERMOST_TOKEN: MM_TOKEN, OCTOSLACK_MATTERMOST_WEBHOOK_URL: MM_HOOK, OCTOSLACK_SLACK_WEBHOOK_URL: SLACK_HOOK };

  it('in load errors, even with tokens under the wrong keys', () => {
    const err = configErrorOf({
      text: `printerName: ${SLACK_TOKEN}x\ngrouping: ${SLACK_TOKEN}\nslack:\n  channels: ${MM_HOOK}\n  ${MM_TOKEN}: 1\nevents:\n  Error:\n    level: ${MM_TOKEN}\nheartbeatMinutes: "${MM_HOOK}"\n`,
      env,
    });
    expect(err.problems.length).toBeGreaterThanOrEqual(4);
    expect(leaks(JSON.stringify(err.problems) + err.message)).toEqual([]);
  });

  it('in env value problems and warnings', () => {
    const err = configErrorOf({ env: { ...env, OCTOSLACK_HEARTBEAT_MINUTES: SLACK_TOKEN, OCTOSLACK_EVENTS_ERROR_ENABLED: MM_TOKEN } });
    expect(leaks(JSON.stringify(err.problems) + err.message)).toEqual([]);
    const { warnings } = resolveConfig({ env: { OCTOSLACK_SLACKTOKEN: SLACK_TOKEN } });
    expect(leaks(warnings.join())).toEqual([]);
  });

  it('in check problems', () => {
    const bad = resolveConfig({
      text: 'slack:\n  apiUrl: nope\nmattermost:\n  url: nope\n',
      env: { ...env, OCTOSLACK_SLACK_TOKEN: `xapp-${SLACK_TOKEN}`, OCTOSLACK_MATTERMOST_WEBHOOK_URL: `ftp://x/hooks/${MM_TOKEN}` },
    }).config;
    const problems = checkConfig(bad);
    expect(problems.length).toBeGreaterThanOrEqual(3);
    expect(leaks(JSON.stringify(problems))).toEqual([]);
  });
});
