// splitGluedLine on the BTT TFT transcript (messages glued by a touch screen) and its restraint
// everywhere else: no other line of any transcript is split.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLines } from '../../src/marlin/parse-line.js';
import { splitGluedLine } from '../../src/marlin/split-glued.js';
import { transcriptLines, transcriptsDir } from './helpers.js';

const BTT = 'marlin2-btt-tft-m600-runout-concatenated-actions.txt';
const bttLines = transcriptLines(fs.readFileSync(path.join(transcriptsDir, BTT), 'utf8'));

describe('splitGluedLine on the BTT TFT transcript', () => {
  it('splits the runout line into four actions and the auto-report', () => {
    const line = bttLines.find((l) => l.includes('FilamentRunout'))!;
    expect(splitGluedLine(line)).toEqual([
      '//action:prompt_end',
      '//action:prompt_begin FilamentRunout T0',
      '//action:prompt_show',
      '//action:paused filament_runout 0',
      ' T:215.00 /215.00 B:60.00 /60.00 @:53 B@:20',
    ]);
  });

  it('splits a prompt glued to a busy keepalive', () => {
    const line = bttLines.find((l) => l.includes('Nozzle Parked'))!;
    expect(splitGluedLine(line)).toEqual([
      '//action:prompt_end',
      '//action:prompt_begin Nozzle Parked',
      '//action:prompt_button Continue',
      '//action:prompt_show',
      'echo:busy: paused for user',
    ]);
  });

  it('splits an action glued to an auto-report', () => {
    expect(splitGluedLine('//action:paused T:215.00 /215.00 B:60.00 /60.00 @:56 B@:21')).toEqual([
      '//action:paused',
      ' T:215.00 /215.00 B:60.00 /60.00 @:56 B@:21',
    ]);
  });

  it('the parts parse to what happened: runout, pause, prompt, temperatures', () => {
    const kinds = bttLines.flatMap((l) => parseLines(l)).map((m) => (m.kind === 'action' ? `action:${m.name}` : m.kind));
    expect(kinds.filter((k) => k === 'action:paused')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'action:prompt_show')).toHaveLength(2);
    expect(kinds).not.toContain('unknown');
  });
});

describe('splitGluedLine elsewhere', () => {
  it('leaves every line of every other transcript whole', () => {
    const files = fs.readdirSync(transcriptsDir).filter((f) => f.endsWith('.txt') && f !== BTT);
    for (const f of files) {
      for (const line of transcriptLines(fs.readFileSync(path.join(transcriptsDir, f), 'utf8'))) {
        expect(splitGluedLine(line), `${f}: ${line}`).toEqual([line]);
      }
    }
  });

  it.each([
    ' T:215.00 /215.00 B:60.00 /60.00 @:58 B@:21',
    '//action:notification Layer 5 of 20',
    '//action:prompt_begin Paused',
    'echo:Unknown command: "//action:foo"',
    '   //action:pause',
    'echo:busy: processing',
  ])('keeps %j whole', (line) => {
    expect(splitGluedLine(line)).toEqual([line]);
  });

  it.each([
    ['// action:prompt_end// action:cancel', ['// action:prompt_end', '// action:cancel']],
    ['//action:prompt_showok', ['//action:prompt_show', 'ok']],
    ['//action:prompt_end ok P15 B3', ['//action:prompt_end', ' ok P15 B3']],
    ['echo:busy: processing//action:paused', ['echo:busy: processing', '//action:paused']],
  ])('splits %j', (line, parts) => {
    expect(splitGluedLine(line)).toEqual(parts);
    expect(parts.join('')).toBe(line);
  });
});
