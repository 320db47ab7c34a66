// routeFor: every media.host × target × kind, with all hosts built and with some missing.
import { describe, expect, it } from 'vitest';
import type { MediaHost } from '../../../src/config/types.js';
import { routeFor, targetShape, type MediaKind, type MediaRoute } from '../../../src/media/delivery/media-route.js';
import type { Uploader } from '../../../src/media/hosts/types.js';

function fake(id: string, kind: Uploader['kind']): Uploader {
  return { id, kind, upload: async () => ({ ok: false, retry: false, error: 'unused', hint: '' }) };
}
const ALL = ['s3', 'imgur', 'slack-files', 'mattermost-files'];
function uploaders(ids: string[] = ALL): { all: Map<string, Uploader> } {
  return { all: new Map(ids.map((id) => [id, fake(id, id.endsWith('-files') ? 'native' : 'public-url')])) };
}
/** "native:slack-files", "public:s3", "none: why". */
function short(r: MediaRoute): string {
  return r.via === 'none' ? `none: ${r.why}` : `${r.via}:${r.uploader.id}`;
}

const TARGETS = ['slack-bot', 'slack-webhook', 'mattermost-bot', 'mattermost-webhook'] as const;
const HOSTS: MediaHost[] = ['auto', 'slack', 'mattermost', 's3', 'imgur', 'none'];

// With every host built: [slack-bot, slack-webhook, mattermost-bot, mattermost-webhook] per kind.
const EVERYTHING: Record<MediaHost, Record<MediaKind, string[]>> = {
  auto: {
    image: ['native:slack-files', 'public:s3', 'native:mattermost-files', 'public:s3'],
    video: ['native:slack-files', 'public:s3', 'native:mattermost-files', 'public:s3'],
  },
  slack: {
    image: ['native:slack-files', 'public:s3', 'native:mattermost-files', 'public:s3'],
    video: ['native:slack-files', 'public:s3', 'native:mattermost-files', 'public:s3'],
  },
  mattermost: {
    image: ['native:slack-files', 'public:s3', 'native:mattermost-files', 'public:s3'],
    video: ['native:slack-files', 'public:s3', 'native:mattermost-files', 'public:s3'],
  },
  s3: {
    image: ['public:s3', 'public:s3', 'public:s3', 'public:s3'],
    video: ['public:s3', 'public:s3', 'public:s3', 'public:s3'],
  },
  imgur: {
    image: ['public:imgur', 'public:imgur', 'public:imgur', 'public:imgur'],
    video: ['public:s3', 'public:s3', 'public:s3', 'public:s3'],
  },
  none: {
    image: Array(4).fill('none: media.host is none'),
    video: Array(4).fill('none: media.host is none'),
  },
};

describe('routeFor', () => {
  for (const host of HOSTS) {
    for (const kind of ['image', 'video'] as const) {
      it(`host ${host}, ${kind}, every host built`, () => {
        expect(TARGETS.map((t) => short(routeFor(t, host, uploaders(), kind)))).toEqual(EVERYTHING[host][kind]);
      });
    }
  }

  it('auto: webhooks use s3, else imgur (images only); bots fall back to public hosts', () => {
    const imgurOnly = uploaders(['imgur']);
    expect(TARGETS.map((t) => short(routeFor(t, 'auto', imgurOnly, 'image')))).toEqual(Array(4).fill('public:imgur'));
    expect(TARGETS.map((t) => short(routeFor(t, 'auto', imgurOnly, 'video')))).toEqual(Array(4).fill('none: Imgur takes no video'));
    const chatsOnly = uploaders(['slack-files', 'mattermost-files']);
    expect(TARGETS.map((t) => short(routeFor(t, 'auto', chatsOnly, 'image')))).toEqual([
      'native:slack-files',
      'none: a Slack webhook cannot upload files; set up media.s3 or media.imgur',
      'native:mattermost-files',
      'none: a Mattermost webhook cannot upload files; set up media.s3 or media.imgur',
    ]);
    expect(short(routeFor('slack-webhook', 'auto', chatsOnly, 'video'))).toBe('none: a Slack webhook cannot upload files; set up media.s3');
    expect(short(routeFor('slack-bot', 'auto', uploaders(['s3']), 'image'))).toBe('public:s3');
    expect(short(routeFor('mattermost-bot', 'auto', uploaders([]), 'image'))).toBe('none: no file host is set up for mattermost-bot');
  });

  it('a named host that is not set up: the next usable one, else why', () => {
    expect(short(routeFor('slack-bot', 's3', uploaders(['slack-files']), 'image'))).toBe('native:slack-files');
    expect(short(routeFor('slack-webhook', 's3', uploaders(['imgur']), 'image'))).toBe('public:imgur');
    expect(short(routeFor('slack-webhook', 's3', uploaders(['slack-files']), 'image'))).toBe('none: media.host is s3, but it is not set up');
    expect(short(routeFor('slack-bot', 'imgur', uploaders(['imgur', 'slack-files']), 'video'))).toBe('native:slack-files');
    expect(short(routeFor('slack-webhook', 'imgur', uploaders(['imgur', 'slack-files']), 'video'))).toBe('none: Imgur takes no video');
    expect(short(routeFor('mattermost-webhook', 'slack', uploaders(['slack-files']), 'image')))
      .toBe('none: a Mattermost webhook cannot upload files; set up media.s3 or media.imgur');
    expect(short(routeFor('mattermost-bot', 'slack', uploaders(['slack-files', 'mattermost-files']), 'image'))).toBe('native:mattermost-files');
  });

  it('reads the target kind from its id', () => {
    expect(targetShape('slack-bot')).toEqual({ platform: 'slack', bot: true });
    expect(targetShape('mattermost-webhook')).toEqual({ platform: 'mattermost', bot: false });
    expect(targetShape('slack-bot:farm')).toEqual({ platform: 'slack', bot: true });
    expect(targetShape('slack-botany')).toEqual({ bot: false });
    expect(short(routeFor('console', 'auto', uploaders(), 'image'))).toBe('public:s3');
    expect(short(routeFor('console', 'slack', uploaders(['slack-files']), 'image'))).toBe('none: console cannot show uploaded files');
  });
});
