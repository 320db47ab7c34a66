// Which commands need special handling on the wire (marlin-protocol.md §4, §6, performance.md §2).

/** Commands whose ok can be minutes away: nothing else is sent until they finish. */
const LONG = new Set(['G4', 'G28', 'G29', 'G30', 'G32', 'G33', 'G34', 'G35', 'G76', 'M0', 'M1', 'M109', 'M190', 'M191', 'M303', 'M400', 'M500', 'M600', 'M226', 'M1001']);

/** Commands Marlin's EMERGENCY_PARSER acts on as soon as the bytes arrive. */
const EMERGENCY = new Set(['M108', 'M112', 'M410', 'M524', 'M876']);

/** Heater waits: excluded from ETA drift, and the ok timeout does not apply while temps arrive. */
const HEATUP = new Set(['M109', 'M190', 'M191']);

export function isLongCommand(code: string): boolean {
  return LONG.has(code);
}

export function isEmergencyCommand(code: string): boolean {
  return EMERGENCY.has(code);
}

export function isHeatupCommand(code: string): boolean {
  return HEATUP.has(code);
}

/** Extra time to allow for a dwell: `G4 P500` (ms) or `G4 S2` (s). */
export function dwellMs(code: string, params: Record<string, number>): number {
  if (code !== 'G4') return 0;
  const p = params['P'];
  const s = params['S'];
  if (p !== undefined && Number.isFinite(p)) return p;
  if (s !== undefined && Number.isFinite(s)) return s * 1000;
  return 0;
}
