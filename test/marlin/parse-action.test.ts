// Host actions and prompts (marlin-protocol.md §10, §11, §15.19-20).
import { describe, expect, it } from 'vitest';
import { p } from './helpers.js';

describe('parse action', () => {
  it.each([
    ['//action:pause', 'pause', ''],
    ['//action:paused filament_runout 0', 'paused', 'filament_runout 0'],
    ['//action:resume', 'resume', ''],
    ['//action:resumed', 'resumed', ''],
    ['//action:cancel', 'cancel', ''],
    ['//action:poweroff', 'poweroff', ''],
    ['//action:notification Layer 5', 'notification', 'Layer 5'],
    ['//action:notification Print time: 1h 2m 3s', 'notification', 'Print time: 1h 2m 3s'],
    ['//action:filament_runout T0', 'filament_runout', 'T0'],
    ['//action:out_of_filament T1', 'out_of_filament', 'T1'],
    ['//action:prompt_begin FilamentRunout T0', 'prompt_begin', 'FilamentRunout T0'],
    ['//action:prompt_choice Purge More', 'prompt_choice', 'Purge More'],
    ['//action:prompt_button Continue', 'prompt_button', 'Continue'],
    ['//action:prompt_show', 'prompt_show', ''],
    ['//action:prompt_end', 'prompt_end', ''],
    ['// action:cancel', 'cancel', ''],
    ['//  action:start', 'start', ''],
    ['//action:  sd_inserted  ', 'sd_inserted', ''],
  ])('%j', (line, name, params) => {
    expect(p(line)).toEqual({ kind: 'action', name, params });
  });

  it('a Klipper // info line or an empty action is not an action', () => {
    expect(p('// Klipper state: Ready')).toEqual({ kind: 'unknown', text: '// Klipper state: Ready' });
    expect(p('//action:')).toEqual({ kind: 'unknown', text: '//action:' });
  });
});
