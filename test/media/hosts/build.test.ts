// buildUploaders: the configured host plus every other one the config allows, and the problems
// `config check` reports when media.host names a host that cannot be built (never a secret).
import { describe, expect, it } from 'vitest';
import { buildUploaders } from '../../../src/media/hosts/index.js';

const s3 = { region: 'us-east-1', bucket: 'b', accessKeyId: 'AKIA1', secretAccessKey: 'sekrit-value', pathStyle: true };
const slack = { token: 'xoxb-1', apiUrl: 'https://slack.com/api/', channels: ['#p'] };

describe('buildUploaders', () => {
  it('builds the named host and every other usable one', () => {
    const u = buildUploaders({ media: { host: 's3', s3, imgur: { clientId: 'cid' } }, slack, mattermost: { url: 'https://mm.example', token: 't' } });
    expect(u.host?.id).toBe('s3');
    expect(u.host?.kind).toBe('public-url');
    expect([...u.all.keys()].sort()).toEqual(['imgur', 'mattermost-files', 's3', 'slack-files']);
    expect(u.all.get('slack-files')!.kind).toBe('native');
    expect(u.problems).toEqual([]);
  });

  it('explains a host that cannot be built, without secrets', () => {
    expect(buildUploaders({ media: { host: 'imgur' } }).problems).toEqual(['media.host is imgur, but no Client ID is set (OCTOSLACK_MEDIA_IMGUR_CLIENT_ID).']);
    expect(buildUploaders({ media: { host: 'slack' }, slack: { apiUrl: 'x', channels: [], webhookUrl: 'https://hooks.slack.com/services/T/B/X' } }).problems[0])
      .toMatch(/webhook cannot upload files/);
    expect(buildUploaders({ media: { host: 'mattermost' } }).problems[0]).toMatch(/mattermost.url or the bot token/);
    const bad = buildUploaders({ media: { host: 's3', s3: { ...s3, secretAccessKey: '', presignExpirySeconds: 10 } } });
    expect(bad.host).toBeUndefined();
    expect(bad.problems).toEqual(['S3 is not usable: set OCTOSLACK_MEDIA_S3_SECRET_ACCESS_KEY.']);
    const week = buildUploaders({ media: { host: 's3', s3: { ...s3, presignExpirySeconds: 700_000 } } });
    expect(week.problems[0]).toMatch(/7 days/);
    expect(JSON.stringify(week.problems)).not.toContain('sekrit');
    expect(buildUploaders({ media: { host: 'none' } })).toEqual({ all: new Map(), problems: [] });
  });
});
