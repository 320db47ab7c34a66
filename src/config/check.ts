// `config check`: what the schema's types cannot see — unknown {tokens} in templates, channel
// overrides naming no target's channel, regexes that do not compile, quiet hours that are not
// times, switches that can never fire. Pure: config in, problem list out (empty = fine; a problem
// with severity 'warning' does not stop octoslack). The target checks live in check-targets.ts;
// cameras, pictures, the timelapse, printers and MQTT in check-media.ts.
import { isKnownToken, TEMPLATE_TOKENS, tokensIn } from '../notify/tokens.js';
import { NOTIFIABLE_EVENTS, type EventSettings, type OctoslackConfig } from './types.js';
import { quoteName, type ConfigProblem } from './problems.js';
import { targetProblems } from './check-targets.js';
import { mediaProblems } from './check-media.js';
import { redactSecrets } from './redact.js';
import { closest } from './suggest.js';

/** Every problem with a loaded config; secrets redacted. */
export function checkConfig(config: OctoslackConfig): ConfigProblem[] {
  const problems = [
    ...targetProblems(config),
    ...templateProblems(config),
    ...channelProblems(config),
    ...mediaProblems(config),
    ...ruleProblems(config),
    ...triggerProblems(config),
    ...timeProblems(config),
  ];
  return problems.map((p) => ({ ...p, message: redactSecrets(p.message, config), fix: redactSecrets(p.fix, config) }));
}

interface Sender {
  path: string;
  settings: EventSettings;
}

/** Every configurable message: the events, then the user's rules. */
function senders(config: OctoslackConfig): Sender[] {
  return [
    ...NOTIFIABLE_EVENTS.map((name) => ({ path: `events.${name}`, settings: config.events[name] })),
    ...config.rules.map((rule, i) => ({ path: `rules[${i}]`, settings: rule })),
  ];
}

function templateProblems(config: OctoslackConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const { path, settings } of senders(config)) {
    for (const key of ['message', 'fallback'] as const) {
      for (const token of new Set(tokensIn(settings[key]))) {
        if (isKnownToken(token)) continue;
        const near = closest(token, TEMPLATE_TOKENS);
        out.push({
          path: `${path}.${key}`,
          message: `unknown token {${token}}`,
          fix: near ? `did you mean {${near}}?` : `use one of ${TEMPLATE_TOKENS.map((t) => `{${t}}`).join(', ')}`,
        });
      }
    }
  }
  return out;
}

/** Channel names compare without a leading "#" and without case: "#Printer" is "printer". */
export function channelKey(channel: string): string {
  return channel.trim().replace(/^#/, '').toLowerCase();
}

/** Channels an event may name: the Slack bot's channels and the Mattermost channel. */
export function configuredChannels(config: OctoslackConfig): string[] {
  return [...(config.slack?.channels ?? []), ...(config.mattermost?.channel ? [config.mattermost.channel] : [])];
}

function channelProblems(config: OctoslackConfig): ConfigProblem[] {
  const known = configuredChannels(config);
  const keys = new Set(known.map(channelKey));
  const out: ConfigProblem[] = [];
  for (const { path, settings } of senders(config)) {
    settings.channels.forEach((channel, i) => {
      if (keys.has(channelKey(channel))) return;
      out.push({
        path: `${path}.channels[${i}]`,
        message: `${quoteName(channel)} is not a configured channel: an override chooses among the targets' channels, it does not add one`,
        fix: known.length
          ? `use one of ${known.join(', ')}, or add it to slack.channels (or make it mattermost.channel)`
          : 'no target has a channel configured (webhooks post to their own channel): add it to slack.channels or set mattermost.channel',
      });
    });
  }
  return out;
}

function ruleProblems(config: OctoslackConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const seen = new Map<string, number>();
  config.rules.forEach((rule, i) => {
    const path = `rules[${i}]`;
    if ((NOTIFIABLE_EVENTS as readonly string[]).includes(rule.name)) {
      out.push({ path: `${path}.name`, message: `${quoteName(rule.name)} is the name of a built-in event`, fix: `give the rule its own name, or change events.${rule.name} instead` });
    }
    const first = seen.get(rule.name);
    if (first !== undefined) out.push({ path: `${path}.name`, message: `rules[${first}] already has this name`, fix: 'give every rule a different name' });
    else seen.set(rule.name, i);
    if (rule.pattern.trim() === '') {
      out.push({ path: `${path}.pattern`, message: 'is blank, so the rule never matches', fix: 'write the text to look for, e.g. pattern: M600' });
    } else if (rule.match === 'regex') {
      try {
        new RegExp(rule.pattern);
      } catch (err) {
        out.push({ path: `${path}.pattern`, message: `is not a valid regular expression (${(err as Error).message.replace(/^Invalid regular expression: /, '')})`, fix: 'fix the expression, or use match: contains for plain text' });
      }
    }
  });
  return out;
}

function triggerProblems(config: OctoslackConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const p = config.progress;
  if (config.events.Progress.enabled && p.everyPercent === 0 && p.everyMinutes === 0 && p.everyMm === 0 && p.everyLayers === 0) {
    out.push({ path: 'progress', message: 'Progress messages are on, but every trigger is 0 (off)', fix: 'set progress.everyPercent: 25 (or everyMinutes, everyMm, everyLayers)' });
  }
  if (config.events.Heartbeat.enabled && config.heartbeatMinutes === 0) {
    out.push({ path: 'heartbeatMinutes', message: 'the Heartbeat message is on, but heartbeatMinutes is 0 (off)', fix: 'set heartbeatMinutes: 60' });
  }
  return out;
}

/** "22:00" -> minutes since midnight; undefined when not a 24-hour H:MM / HH:MM time. */
export function parseClock(s: string): number | undefined {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(s.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

function timeProblems(config: OctoslackConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const q = config.quietHours;
  if (q) {
    for (const key of ['start', 'end'] as const) {
      if (parseClock(q[key]) === undefined) out.push({ path: `quietHours.${key}`, message: `${quoteName(q[key])} is not a time of day`, fix: `write 24-hour HH:MM in quotes, e.g. ${key}: "${key === 'start' ? '22:00' : '07:00'}"` });
    }
    if (parseClock(q.start) !== undefined && parseClock(q.start) === parseClock(q.end)) {
      out.push({ path: 'quietHours', message: 'start and end are the same time, so the quiet time is empty', fix: 'set end to when the quiet time ends, e.g. end: "07:00"' });
    }
  }
  const zone = config.format.timezone;
  if (zone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
    } catch {
      out.push({ path: 'format.timezone', message: `${quoteName(zone)} is not a time zone this machine knows`, fix: 'use an IANA zone name such as Europe/Berlin or America/New_York, or remove it to use the machine\'s' });
    }
  }
  return out;
}
