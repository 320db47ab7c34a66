// Two-line thermal error reports (marlin-protocol.md §12, §15.16) on real transcripts.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFatalPairStart, joinErrorPair } from '../../src/marlin/fatal-join.js';
import type { MarlinMessage } from '../../src/marlin/messages.js';
import { parseLine } from '../../src/marlin/parse-line.js';
import { transcriptLines, transcriptsDir } from './helpers.js';

type ErrorMessage = Extract<MarlinMessage, { kind: 'error' }>;

/** What a session does: hold a pair start, join it with the next line; collect the errors. */
function errorsOf(file: string): ErrorMessage[] {
  const out: ErrorMessage[] = [];
  let held: ErrorMessage | undefined;
  for (const line of transcriptLines(fs.readFileSync(path.join(transcriptsDir, file), 'utf8'))) {
    const msg = parseLine(line);
    if (held) {
      out.push(joinErrorPair(held, msg));
      held = undefined;
    } else if (msg.kind === 'error') {
      if (isFatalPairStart(msg)) held = msg;
      else out.push(msg);
    }
  }
  if (held) out.push(held);
  return out;
}

describe('isFatalPairStart', () => {
  it.each([
    ['Error:Heating failed, system stopped! Heater_ID: bed', true],
    ['Error:Thermal Runaway, system stopped! Heater_ID: E0', true],
    ['Error:MAXTEMP triggered, system stopped! Heater_ID: 0', true],
    ['Error:Temperature heated bed switched off. MAXTEMP triggered !!', true],
    ['Error:0', true],
    ['Error:Printer halted. kill() called!', false],
    ['Error:Probing Failed', false],
    ['Error:checksum mismatch, Last Line: 1', false],
    ['echo:THERMAL RUNAWAY', false],
    ['ok', false],
  ])('%j → %s', (line, want) => {
    expect(isFatalPairStart(parseLine(line))).toBe(want);
  });
});

describe('joinErrorPair on real failures', () => {
  it('SKR 1.4 bed heating failure: one fatal error naming both halves', () => {
    const errors = errorsOf('marlin-2.0.x-skr14-bed-heating-failed.txt');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      kind: 'error',
      fatal: true,
      message: 'Heating failed, system stopped! Heater_ID: bed Printer halted. kill() called!',
    });
    expect(errors[0]!.raw).toBe('Error:Heating failed, system stopped! Heater_ID: bed\nError:Printer halted. kill() called!');
  });

  it('Anycubic thermal runaway: the LCD echo joins the first half, the kill follows', () => {
    const errors = errorsOf('knutwurst-marlin2-anycubic-mega-s-thermal-runaway-poweroff.txt');
    expect(errors.map((e) => [e.message, e.fatal])).toEqual([
      ['Thermal Runaway, system stopped! Heater_ID: E0 THERMAL RUNAWAY', true],
      ['Printer halted. kill() called!', true],
    ]);
  });

  it('Marlin 1.0 split report: Error:0 then the reason', () => {
    const joined = joinErrorPair(parseLine('Error:0') as ErrorMessage, parseLine('Error: Extruder switched off. MAXTEMP triggered !'));
    expect(joined).toMatchObject({ fatal: true, message: '0 Extruder switched off. MAXTEMP triggered !' });
  });
});
