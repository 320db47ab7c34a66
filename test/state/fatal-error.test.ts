// What `status` and messages say about a dead printer: the cause, not the last word.
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../src/marlin/parse-line.js';
import { initialPrinterState, reduceMessage } from '../../src/state/printer-state.js';

describe('fatal errors in the printer state', () => {
  it('keeps the first fatal error (the cause) when "Printer halted" follows', () => {
    let s = initialPrinterState();
    for (const line of ['Error:Thermal Runaway, system stopped! Heater_ID: 0', 'echo:THERMAL RUNAWAY', 'Error:Printer halted. kill() called!']) {
      s = reduceMessage(s, parseLine(line));
    }
    expect(s.activity).toBe('error');
    expect(s.fatalError).toMatch(/Thermal Runaway, system stopped! Heater_ID: 0/);
  });

  it('a lone kill is still reported', () => {
    const s = reduceMessage(initialPrinterState(), parseLine('Error:Printer halted. kill() called!'));
    expect(s.fatalError).toMatch(/Printer halted/);
  });
});
