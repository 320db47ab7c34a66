// The cooldown that ends every cancelled or interrupted print (marlin-protocol.md §13):
// every hotend off, the bed off, the chamber off when there is one, the part fan off, motors off.
// It is always appended after the user's own cancel G-code, so no configuration can leave a heater on.
import { toolIndices, type PrinterState } from '../state/printer-state.js';

export function cooldownCommands(state: PrinterState): string[] {
  const tools = toolIndices(state);
  const hotends = tools.length > 1 ? tools.map((t) => `M104 T${t} S0`) : ['M104 S0'];
  const chamber = state.capabilities['CHAMBER_TEMPERATURE'] || state.heaters['C'] !== undefined ? ['M141 S0'] : [];
  return [...hotends, 'M140 S0', ...chamber, 'M106 S0', 'M84'];
}

/** Heater-off commands alone, for a last-ditch unnumbered write when the protocol is broken. */
export function heatersOffCommands(state: PrinterState): string[] {
  return cooldownCommands(state).filter((c) => !c.startsWith('M106') && !c.startsWith('M84'));
}
