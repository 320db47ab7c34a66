// `config check` for cameras, pictures, the timelapse, printers and MQTT: camera names that name no
// camera, a timelapse with nothing to film, pictures or videos some target has no way to show, and
// printer overrides no target can honour. Pure: config in, problems out.
//
// Errors are what cannot work as written (a camera name that does not exist). Warnings
// (severity 'warning') are what works, but not everywhere: a webhook cannot upload, so without a
// public host (S3, Imgur) its messages go without pictures; Imgur takes no video. Snapshots switched
// on with no camera configured are no problem at all: nothing happens (the defaults are like that).
//
// How pictures reach each target follows media.host (types.ts MediaHost, media/hosts/index.ts):
// auto = a bot token uploads to its own chat, a webhook needs a public link (S3, else Imgur); a named
// host serves every target, so a chat's own upload shows only in that chat.
import type { MattermostSettings, OctoslackConfig, SlackSettings } from './types.js';
import { NOTIFIABLE_EVENTS } from './types.js';
import { quoteName, type ConfigProblem } from './problems.js';
import { envName } from './env.js';
import { closest } from './suggest.js';

export function mediaProblems(config: OctoslackConfig): ConfigProblem[] {
  return [
    ...cameraNameProblems(config),
    ...timelapseProblems(config),
    ...hostProblems(config),
    ...pictureProblems(config),
    ...videoProblems(config),
    ...printerProblems(config),
    ...mqttProblems(config),
  ];
}

const warning = (p: Omit<ConfigProblem, 'severity'>): ConfigProblem => ({ ...p, severity: 'warning' });

// ---- camera names ---------------------------------------------------------------------------

function cameraNameProblems(config: OctoslackConfig): ConfigProblem[] {
  const known = config.cameras.map((c) => c.name);
  const out: ConfigProblem[] = [];
  const checkList = (path: string, list: readonly string[] | undefined) => {
    list?.forEach((name, i) => {
      if (known.includes(name)) return;
      const near = closest(name, known);
      out.push({
        path: `${path}[${i}]`,
        message: `${quoteName(name)} is not a camera`,
        fix: known.length === 0
          ? 'no camera is configured: add one under cameras: (name and url or device), or remove this name'
          : near ? `did you mean ${near}? (cameras: ${known.join(', ')})` : `use one of the cameras: ${known.join(', ')}`,
      });
    });
  };
  for (const name of NOTIFIABLE_EVENTS) checkList(`events.${name}.cameras`, config.events[name].cameras);
  config.rules.forEach((rule, i) => checkList(`rules[${i}].cameras`, rule.cameras));
  checkList('snapshots.cameras', config.snapshots.cameras);
  checkList('timelapse.cameras', config.timelapse.cameras);
  config.printers.forEach((printer, i) => checkList(`printers[${i}].cameras`, printer.cameras));
  return out;
}

function timelapseProblems(config: OctoslackConfig): ConfigProblem[] {
  const t = config.timelapse;
  if (!t.enabled) return [];
  const out: ConfigProblem[] = [];
  if (config.cameras.length === 0) {
    out.push({ path: 'timelapse.enabled', message: 'the timelapse is on, but there is no camera to take its frames', fix: 'add a camera under cameras: (name and url or device), or set timelapse.enabled: false' });
  }
  if (t.upload && !config.events.MovieDone.enabled && config.cameras.length > 0) {
    out.push(warning({ path: 'timelapse.upload', message: 'the video goes with the MovieDone message, and events.MovieDone is off: it is never posted', fix: 'set events.MovieDone.enabled: true, or timelapse.upload: false to only keep the videos' }));
  }
  return out;
}

// ---- where pictures and videos go -----------------------------------------------------------

type Platform = 'slack' | 'mattermost';

interface Target {
  platform: Platform;
  /** "the Slack bot", "the Mattermost webhook": how problems name it. */
  label: string;
  /** Can upload files to its own chat (a bot token; Mattermost also needs the server URL). */
  bot: boolean;
}

/** The targets that post: a bot token where there is one, else the webhook. */
function targets(config: OctoslackConfig): Target[] {
  const out: Target[] = [];
  const s: SlackSettings | undefined = config.slack;
  if (s?.token !== undefined) out.push({ platform: 'slack', label: 'the Slack bot', bot: true });
  else if (s?.webhookUrl !== undefined) out.push({ platform: 'slack', label: 'the Slack webhook', bot: false });
  const m: MattermostSettings | undefined = config.mattermost;
  if (m?.token !== undefined && m.url !== undefined) out.push({ platform: 'mattermost', label: 'the Mattermost bot', bot: true });
  else if (m?.webhookUrl !== undefined) out.push({ platform: 'mattermost', label: 'the Mattermost webhook', bot: false });
  // A Mattermost token without url is reported by check-targets; it posts nowhere.
  return out;
}

const s3KeyVars = () => [envName(['media', 's3', 'accessKeyId']), envName(['media', 's3', 'secretAccessKey'])];

/** What S3 lacks to be usable, as names to set; undefined when there is no media.s3 section. */
function s3Missing(config: OctoslackConfig): string[] | undefined {
  const s3 = config.media.s3;
  if (!s3) return undefined;
  const [idVar, secretVar] = s3KeyVars();
  return [
    ...(s3.accessKeyId === undefined ? [idVar!] : []),
    ...(s3.secretAccessKey === undefined ? [secretVar!] : []),
  ];
}

const s3Usable = (config: OctoslackConfig) => s3Missing(config)?.length === 0;
const imgurUsable = (config: OctoslackConfig) => config.media.imgur?.clientId !== undefined;

/** Whether a named host can be used at all; undefined = fine, else why not (message, fix). */
function hostUnusable(config: OctoslackConfig): { message: string; fix: string } | undefined {
  const host = config.media.host;
  const slackTokenVar = envName(['slack', 'token']);
  const mmTokenVar = envName(['mattermost', 'token']);
  switch (host) {
    case 'slack':
      if (config.slack?.token !== undefined) return undefined;
      return {
        message: config.slack?.webhookUrl !== undefined ? 'is slack, but a Slack webhook cannot upload files' : 'is slack, but there is no Slack bot token',
        fix: `set ${slackTokenVar} (scopes files:write, files:read), or use media.host: auto or s3`,
      };
    case 'mattermost':
      if (config.mattermost?.token !== undefined && config.mattermost.url !== undefined) return undefined;
      return {
        message: config.mattermost?.token === undefined ? 'is mattermost, but there is no Mattermost bot token (a webhook cannot upload files)' : 'is mattermost, but mattermost.url is not set',
        fix: `set mattermost.url and ${mmTokenVar}, or use media.host: auto or s3`,
      };
    case 's3':
      // With a section, a missing key is reported on the section (hostProblems).
      return config.media.s3 ? undefined : { message: 'is s3, but there is no media.s3 section', fix: `add media.s3 with bucket (and region, endpoint), and set ${s3KeyVars().join(' and ')}` };
    case 'imgur':
      return imgurUsable(config) ? undefined : { message: 'is imgur, but no Imgur Client ID is set', fix: `set ${envName(['media', 'imgur', 'clientId'])} (register an app for anonymous usage at api.imgur.com)` };
    default:
      return undefined;
  }
}

/** A configured host that cannot work, whether or not pictures are taken yet. */
function hostProblems(config: OctoslackConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const missing = s3Missing(config);
  if (missing && missing.length > 0) {
    out.push(warning({ path: 'media.s3', message: 'S3 cannot upload without its access keys', fix: `set ${missing.join(' and ')}` }));
  }
  if (config.media.imgur && !imgurUsable(config)) {
    out.push(warning({ path: 'media.imgur', message: 'Imgur cannot upload without a Client ID', fix: `set ${envName(['media', 'imgur', 'clientId'])}, or remove media.imgur` }));
  }
  const unusable = hostUnusable(config);
  if (unusable) out.push(warning({ path: 'media.host', ...unusable }));
  return out;
}

type Way = { host: 'native' | 's3' | 'imgur' } | { none: string; fix: string };

/** How a target shows a picture or a video, or why it cannot (assuming a named host is usable). */
function wayFor(config: OctoslackConfig, t: Target): Way {
  const host = config.media.host;
  const publicFix = `configure media.s3 (or media.imgur, pictures only) for public links`;
  const botFix = t.platform === 'slack'
    ? `set ${envName(['slack', 'token'])} so Slack uploads them`
    : `set mattermost.url and ${envName(['mattermost', 'token'])} so Mattermost uploads them`;
  switch (host) {
    case 'auto':
      if (t.bot) return { host: 'native' };
      if (s3Usable(config)) return { host: 's3' };
      if (imgurUsable(config)) return { host: 'imgur' };
      return { none: 'a webhook cannot upload files, and there is no S3 or Imgur host for public links', fix: `${publicFix}, or ${botFix}` };
    case 'slack':
    case 'mattermost':
      if (t.platform === host) return { host: 'native' };
      return { none: `media.host is ${host}, and files uploaded to ${host === 'slack' ? 'Slack' : 'Mattermost'} show only there`, fix: 'use media.host: auto (each bot uploads to its own chat), or s3 for every target' };
    case 's3':
      return { host: 's3' };
    case 'imgur':
      return { host: 'imgur' };
    default:
      return { none: 'media.host is none', fix: '' };
  }
}

/** Whether any enabled message asks for a picture. */
function picturesWanted(config: OctoslackConfig): boolean {
  return NOTIFIABLE_EVENTS.some((n) => config.events[n].enabled && config.events[n].snapshot) || config.rules.some((r) => r.enabled && r.snapshot);
}

/** Targets whose messages should carry pictures but cannot, with why (warned about once each). */
function picturelessTargets(config: OctoslackConfig): { target: Target; none: string; fix: string }[] {
  if (config.cameras.length === 0 || config.media.host === 'none' || !picturesWanted(config) || hostUnusable(config)) return [];
  return targets(config).flatMap((target) => {
    const way = wayFor(config, target);
    return 'none' in way ? [{ target, none: way.none, fix: way.fix }] : [];
  });
}

function pictureProblems(config: OctoslackConfig): ConfigProblem[] {
  return picturelessTargets(config).map(({ target, none, fix }) =>
    warning({ path: 'media.host', message: `${target.label} cannot show pictures: ${none}; its messages go without them`, fix }));
}

function videoProblems(config: OctoslackConfig): ConfigProblem[] {
  const t = config.timelapse;
  if (!t.enabled || !t.upload || config.cameras.length === 0 || config.media.host === 'none' || hostUnusable(config)) return [];
  const pictureWarned = new Set(picturelessTargets(config).map((p) => p.target.label));
  return targets(config).flatMap((target) => {
    const way = wayFor(config, target);
    if ('none' in way) {
      if (pictureWarned.has(target.label)) return [];
      return [warning({ path: 'timelapse.upload', message: `${target.label} cannot show the timelapse video: ${way.none}`, fix: way.fix.replace(' (or media.imgur, pictures only)', '') })];
    }
    if (way.host !== 'imgur') return [];
    return [warning({
      path: 'timelapse.upload',
      message: `Imgur takes no video, and it is ${target.label}'s only host: the timelapse is not posted there`,
      fix: `configure media.s3, ${target.platform === 'slack' ? `or set ${envName(['slack', 'token'])}` : `or set mattermost.url and ${envName(['mattermost', 'token'])}`} (the bot uploads it), or set timelapse.upload: false`,
    })];
  });
}

// ---- printers and MQTT -------------------------------------------------------------------

/** Characters an MQTT topic level cannot hold (printer names are topic levels). */
const TOPIC_UNSAFE = /[/#+\u0000]/;

function printerProblems(config: OctoslackConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  config.printers.forEach((p, i) => {
    const path = `printers[${i}]`;
    if (p.slackChannels !== undefined && p.slackChannels.length > 0) {
      if (!config.slack) {
        out.push({ path: `${path}.slackChannels`, message: 'there is no Slack target to post to these channels', fix: 'configure slack (a bot token), or remove slackChannels' });
      } else if (config.slack.token === undefined) {
        out.push({ path: `${path}.slackChannels`, message: 'a Slack webhook always posts to the channel it was created for', fix: `set ${envName(['slack', 'token'])} (a bot token) to post to other channels, or remove slackChannels` });
      }
    }
    if (p.mattermostChannel !== undefined && !config.mattermost) {
      out.push({ path: `${path}.mattermostChannel`, message: 'there is no Mattermost target to post to this channel', fix: 'configure mattermost, or remove mattermostChannel' });
    }
    if (config.mqtt && TOPIC_UNSAFE.test(p.name)) {
      out.push({ path: `${path}.name`, message: 'contains "/", "#" or "+", which cannot be part of an MQTT topic level', fix: 'use letters, digits, spaces, - and _ in printer names' });
    }
  });
  if (config.mqtt && config.printers.length === 0 && config.printerName !== undefined && TOPIC_UNSAFE.test(config.printerName)) {
    out.push({ path: 'printerName', message: 'contains "/", "#" or "+", which cannot be part of an MQTT topic level', fix: 'use letters, digits, spaces, - and _ in the printer name' });
  }
  return out;
}

function mqttProblems(config: OctoslackConfig): ConfigProblem[] {
  const m = config.mqtt;
  if (!m) return [];
  const out: ConfigProblem[] = [];
  const secure = /^(mqtts|wss):/i.test(m.url.trim());
  if (m.tls && !secure) {
    out.push(warning({ path: 'mqtt.tls', message: `TLS settings are unused: the URL starts with ${m.url.trim().split(':')[0]}://`, fix: 'use mqtts:// (or wss://) to connect with TLS, or remove mqtt.tls' }));
  }
  if (m.password !== undefined && m.username === undefined) {
    out.push(warning({ path: 'mqtt.password', message: 'a password without a username: brokers ignore or refuse it', fix: 'set mqtt.username too' }));
  }
  return out;
}
