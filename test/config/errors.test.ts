// Every kind of load error carries its key path, where the value came from, and a fix.
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/config/problems.js';
import { UsageError } from '../../src/util/errors.js';
import { configErrorOf, SLACK_TOKEN } from './helpers.js';

const problemsOf = (text: string) => configErrorOf({ text, label: 'config.yaml' }).problems;

describe('malformed YAML', () => {
  it('gives line and column', () => {
    const [p, ...rest] = problemsOf('slack:\n  channels: ["#printer"\ngrouping: edit\n');
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ path: '', where: expect.stringMatching(/^config\.yaml line \d+, column \d+$/) as unknown });
    expect(p!.message).toMatch(/^malformed YAML: /);
    expect(p!.fix).toContain('indent');
  });

  it('duplicate keys, tabs and unclosed quotes are syntax errors', () => {
    expect(problemsOf('grouping: edit\ngrouping: none\n')[0]).toMatchObject({ message: 'malformed YAML: Map keys must be unique', where: 'config.yaml line 2, column 1' });
    expect(problemsOf('slack:\n\tchannels: []\n')[0]!.message).toContain('malformed YAML');
    expect(problemsOf('printerName: "abc\n')[0]!.message).toContain('quote');
  });

  it('never quotes the source line (it may hold a token)', () => {
    const err = configErrorOf({ text: `slack:\n  token: "${SLACK_TOKEN}\n  channels: [\n` });
    expect(JSON.stringify(err.problems) + err.message).not.toContain(SLACK_TOKEN);
  });

  it('an alias without anchor, a key that is a list, a file that is a list', () => {
    expect(problemsOf('grouping: *x\n')[0]!.message).toContain('alias');
    expect(problemsOf('? [a, b]\n: 1\n')[0]!.message).toContain('key is a list');
    expect(problemsOf('- slack\n- mattermost\n')[0]).toMatchObject({ path: '', message: 'the file does not hold keys and values' });
  });
});

describe('wrong types', () => {
  it('say what was expected and what was found, at the key path and line', () => {
    const problems = problemsOf('events:\n  Progress:\n    enabled: "yes"\nprogress:\n  everyPercent: "25"\nslack:\n  channels: "#printer"\n');
    expect(problems).toEqual([
      { path: 'slack.channels', message: 'expected a list, got text "#printer"', fix: expect.stringContaining('["#printer"]') as unknown, where: 'config.yaml line 7, column 3' },
      { path: 'events.Progress.enabled', message: 'expected true or false, got text "yes"', fix: 'write true or false, without quotes', where: 'config.yaml line 3, column 5' },
      { path: 'progress.everyPercent', message: 'expected a number, got text "25"', fix: 'write a number without quotes, e.g. 10', where: 'config.yaml line 5, column 3' },
    ]);
  });

  it('a whole number where one is needed', () => {
    expect(problemsOf('progress:\n  everyLayers: 2.5\n')[0]).toMatchObject({ path: 'progress.everyLayers', message: 'the number 2.5 is not a whole number' });
  });

  it('a section where a value belongs, and the reverse', () => {
    expect(problemsOf('grouping:\n  mode: thread\n')[0]).toMatchObject({ path: 'grouping', message: 'a section of keys is not one of the choices' });
    expect(problemsOf('events: true\n')[0]).toMatchObject({ path: 'events', message: 'expected a section of keys, got true' });
  });

  it('a missing required key', () => {
    expect(problemsOf('rules:\n  - name: M600\n')[0]).toMatchObject({ path: 'rules[0].pattern', message: expect.stringContaining('is required') as unknown, fix: 'add pattern: with text', where: 'config.yaml line 2, column 5' });
  });

  it('an invalid choice suggests the closest', () => {
    expect(problemsOf('grouping: threads\n')[0]).toEqual({ path: 'grouping', message: 'text "threads" is not one of the choices', fix: 'did you mean thread? (choices: thread, edit, none)', where: 'config.yaml line 1, column 1' });
    expect(problemsOf('events:\n  Error:\n    color: purple\n')[0]!.fix).toBe('use one of: good, warning, danger');
  });
});

describe('unknown keys', () => {
  it('suggest the closest known key', () => {
    const byPath = Object.fromEntries(problemsOf('evnts: {}\nslack:\n  webhook_url: x\nevents:\n  Progres:\n    enable: true\n').map((p) => [p.path, p.fix]));
    expect(byPath).toEqual({
      evnts: 'did you mean events?',
      'slack.webhook_url': 'did you mean slack.webhookUrl?',
      'events.Progres': 'did you mean events.Progress?',
    });
  });

  it('inside a known section are found too', () => {
    expect(problemsOf('events:\n  Progress:\n    enable: true\n')[0]).toMatchObject({ path: 'events.Progress.enable', fix: 'did you mean events.Progress.enabled?', where: 'config.yaml line 3, column 5' });
  });

  it('old plugin names, events at the top, and rules in events are explained', () => {
    expect(problemsOf('ignore_cancel_fail_event: true\n')[0]!.fix).toBe('this setting is now ignoreFailAfterCancel');
    expect(problemsOf('PrintDone:\n  enabled: false\n')[0]!.fix).toBe('event settings go under events: (events.PrintDone)');
    expect(problemsOf('events:\n  ColourChange: {}\n')[0]!.fix).toContain('rules: list');
    expect(problemsOf('wibble: 1\n')[0]!.fix).toMatch(/^remove it; the keys here are printerName, slack, /);
  });
});

describe('out-of-range numbers', () => {
  it('give the allowed range', () => {
    expect(problemsOf('progress:\n  everyPercent: 150\n')[0]).toMatchObject({ path: 'progress.everyPercent', message: 'is more than 99', fix: expect.stringMatching(/^use a number from 0 to 99/) as unknown });
    expect(problemsOf('heartbeatMinutes: -5\n')[0]).toMatchObject({ path: 'heartbeatMinutes', message: 'is less than 0' });
    expect(problemsOf('printerName: ""\n')[0]).toMatchObject({ path: 'printerName', message: 'is empty' });
  });
});

describe('ConfigError', () => {
  it('is a usage error (exit 2) that lists every problem at once', () => {
    const err = configErrorOf({ text: 'grouping: x\nheartbeatMinutes: -1\nfoo: 1\n', label: 'config.yaml' });
    expect(err).toBeInstanceOf(UsageError);
    expect(err.exitCode).toBe(2);
    expect(err.problems).toHaveLength(3);
    expect(err.message.split('\n')[0]).toBe('the configuration in config.yaml has 3 problems:');
    for (const p of err.problems) expect(err.message).toContain(formatProblem(p));
  });

  it('formats as "<key path>: <message> (<where>) — <fix>"', () => {
    expect(formatProblem({ path: 'a.b', message: 'is wrong', fix: 'fix it', where: 'f line 1, column 2' })).toBe('a.b: is wrong (f line 1, column 2) — fix it');
    expect(formatProblem({ path: '', message: 'malformed', fix: 'fix it', where: 'f line 1, column 2' })).toBe('f line 1, column 2: malformed — fix it');
  });
});
