// User G-code rules: each match type, direction, normalisation, bad regexes, own throttles.
import { describe, expect, it } from 'vitest';
import type { GcodeRule, RuleDirection, RuleMatch } from '../../../src/config/types.js';
import { compileRules, normalizeLine } from '../../../src/notify/rules/gcode-rules.js';
import { allEnabled } from '../render/fixtures.js';
import { events, Harness, MIN } from './harness.js';

function rule(name: string, match: RuleMatch, pattern: string, direction: RuleDirection = 'received', over: Partial<GcodeRule> = {}): GcodeRule {
  return {
    name, match, pattern, direction,
    enabled: true, message: `${name}: {cmd}`, fallback: '{message}', color: 'good', level: 'attention',
    channels: [], snapshot: true, cameras: [], minIntervalMinutes: 0, ...over,
  };
}
const withRules = (...rules: GcodeRule[]) => new Harness(allEnabled({ heartbeatMinutes: 0, rules }));

describe('match types', () => {
  it.each([
    ['startsWith', 'echo:', 'echo:Heater timeout', true],
    ['startsWith', 'echo:', ' echo:Heater timeout  ', true], // the line is trimmed
    ['startsWith', 'echo:', 'ok echo:', false],
    ['endsWith', 'runout', 'filament runout', true],
    ['endsWith', 'runout', 'runout sensor', false],
    ['contains', 'Heater', 'echo:Heater timeout', true],
    ['contains', 'heater', 'echo:Heater timeout', false], // case-sensitive, like the old plugin
    ['regex', 'T:\\d+\\.\\d+ /0', 'ok T:21.3 /0.0 B:20.1 /0.0', true], // a search, not anchored
    ['regex', '^T:', 'ok T:21.3', false],
  ] as const)('%s %j on %j → %s', (match, pattern, line, hit) => {
    expect(withRules(rule('R', match, pattern)).line('received', line).length > 0).toBe(hit);
  });

  it('the pattern is trimmed; a blank one is ignored', () => {
    expect(events(withRules(rule('R', 'startsWith', '  M600  ', 'sent')).line('sent', 'M600'))).toEqual(['rule:R']);
    expect(withRules(rule('R', 'contains', '   ')).line('received', 'anything')).toEqual([]);
  });

  it('direction: a sent rule ignores received lines and the reverse', () => {
    const h = withRules(rule('S', 'startsWith', 'M600', 'sent'), rule('R', 'startsWith', 'M600', 'received'));
    expect(events(h.line('sent', 'M600'))).toEqual(['rule:S']);
    expect(events(h.line('received', 'M600'))).toEqual(['rule:R']);
  });

  it('sent lines match without the line number and checksum the streamer adds', () => {
    expect(normalizeLine('sent', 'N1234 M600 T0*87')).toBe('M600 T0');
    expect(normalizeLine('received', 'N1 ok*9')).toBe('N1 ok*9');
    expect(normalizeLine('sent', 'M117 5*3')).toBe('M117 5*3');
    const h = withRules(rule('ColourChange', 'startsWith', 'M600', 'sent'));
    expect(h.line('sent', 'N1234 M600*87')[0]).toMatchObject({ event: 'rule:ColourChange', cmd: 'M600' });
  });

  it('disabled rules never match', () => {
    expect(withRules(rule('R', 'contains', 'x', 'received', { enabled: false })).line('received', 'x')).toEqual([]);
  });
});

describe('invalid regex', () => {
  it('is reported and skipped; other rules still work; nothing throws', () => {
    const h = withRules(rule('Bad', 'regex', '([unclosed'), rule('Good', 'contains', 'paused'));
    expect(h.rules.ruleProblems).toEqual([{ name: 'Bad', error: expect.stringContaining('invalid regular expression "([unclosed"') }]);
    expect(events(h.line('received', 'echo:busy: paused for user ([unclosed'))).toEqual(['rule:Good']);
  });

  it('compileRules lists problems without throwing', () => {
    expect(() => compileRules([rule('A', 'regex', '*')])).not.toThrow();
    expect(compileRules([rule('A', 'regex', '*')]).problems).toHaveLength(1);
  });
});

describe('rule messages', () => {
  it('carry the line as {cmd}, the text after a prefix or a regex group as {message}, the rule as settings', () => {
    const h = withRules(
      rule('Lcd', 'startsWith', 'M117', 'sent'),
      rule('Notify', 'regex', '^//\\s*action:notification\\s+(.*)$'),
    );
    h.start();
    const [lcd] = h.line('sent', 'N7 M117 Printing layer 3*12');
    expect(lcd).toMatchObject({ event: 'rule:Lcd', cmd: 'M117 Printing layer 3', message: 'Printing layer 3', kind: 'other', printId: h.rules.currentPrintId, job: { file: h.job.file } });
    expect((lcd!.settings as GcodeRule).name).toBe('Lcd');
    const [n] = h.line('received', '// action:notification Bed leveling done');
    expect(n).toMatchObject({ cmd: '// action:notification Bed leveling done', message: 'Bed leveling done' });
  });

  it('each rule has its own minimum interval', () => {
    const h = withRules(rule('A', 'contains', 'x', 'received', { minIntervalMinutes: 5 }), rule('B', 'contains', 'x'));
    expect(events(h.line('received', 'x'))).toEqual(['rule:A', 'rule:B']);
    expect(events(h.advance(MIN).line('received', 'x'))).toEqual(['rule:B']);
    expect(events(h.advance(4 * MIN).line('received', 'x'))).toEqual(['rule:A', 'rule:B']);
  });

  it('routine rules follow quiet hours like events', () => {
    const c = allEnabled({ heartbeatMinutes: 0, rules: [rule('A', 'contains', 'x', 'received', { level: 'routine' })], quietHours: { start: '18:00', end: '19:00', mode: 'silent' } });
    expect(new Harness(c).line('received', 'x')[0]!.silent).toBe(true);
  });

  it('no rules and nothing pending: every line returns at once', () => {
    const h = new Harness(allEnabled({ heartbeatMinutes: 0, rules: [] }));
    for (let i = 0; i < 1000; i++) expect(h.line('received', 'ok')).toEqual([]);
  });
});
