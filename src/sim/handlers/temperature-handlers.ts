// Heaters, fans and tools. M109/M190 block like Marlin's wait_for_hotend/wait_for_bed: a
// temperature line with ` W:` every second (W = seconds of residency left, or ?), done once
// the heater stayed within TEMP_WINDOW for TEMP_RESIDENCY_TIME (scaled), or at once on M108.
// `S` waits only when heating; `R` waits both ways.
import { type Cmd, SOURCE_SERIAL } from '../command-queue.js';
import type { Firmware } from '../firmware.js';
import type { Words } from '../gcode-words.js';
import type { Heater } from '../heaters.js';
import type { Handler, HandlerTable } from './handler.js';

const TEMP_WINDOW = 1;
const RESIDENCY_S = 10;

/** The hotend a command addresses (`T<n>` or the active tool); reports invalid ones like Marlin. */
function hotendFor(fw: Firmware, w: Words, code: number): Heater | null {
  const t = w.has('T') ? w.get('T', 0) : fw.activeTool;
  const h = fw.heaters.hotends[t];
  if (!h) fw.emit(`echo:M${code} Invalid extruder ${t}`);
  return h ?? null;
}

/** Set the target from S or R; returns whether to wait (M109/M190 semantics). */
function setAndDecide(fw: Firmware, h: Heater, w: Words): boolean {
  const noWaitForCooling = w.has('S');
  if (noWaitForCooling || w.has('R')) h.setTarget(fw.now(), noWaitForCooling ? w.get('S', 0) : w.get('R', 0));
  return h.target > h.read(fw.now()) || !noWaitForCooling;
}

function heatWait(fw: Firmware, cmd: Cmd, h: Heater): boolean {
  fw.planner.expectGap();
  const start = fw.now();
  const within = start + h.msUntilWithin(start, TEMP_WINDOW);
  const doneAt = within + fw.scaled(RESIDENCY_S * 1000);
  const line = (): void => {
    const now = fw.now();
    const w = now >= within ? String(Math.max(0, Math.floor((doneAt - now) / 1000))) : '?';
    fw.emit(`${fw.heaters.report(now, fw.activeTool)} W:${w}`);
  };
  let ticker = fw.after(1000, function tick() {
    line();
    ticker = fw.after(1000, tick);
  });
  const end = (): void => {
    ticker.cancel();
    done.cancel();
    fw.waits.heatRelease = null;
    fw.finish(cmd);
  };
  const done = fw.after(doneAt - start, end);
  fw.waits.heatRelease = end;
  line();
  return false;
}

const m104: Handler = (fw, _cmd, w) => {
  const h = hotendFor(fw, w, 104);
  if (h && w.has('S')) h.setTarget(fw.now(), w.get('S', 0));
  return true;
};

const m109: Handler = (fw, cmd, w) => {
  const h = hotendFor(fw, w, 109);
  if (!h) return true;
  return setAndDecide(fw, h, w) ? heatWait(fw, cmd, h) : true;
};

const m140: Handler = (fw, _cmd, w) => {
  if (w.has('S')) fw.heaters.bed.setTarget(fw.now(), w.get('S', 0));
  return true;
};

const m190: Handler = (fw, cmd, w) => (setAndDecide(fw, fw.heaters.bed, w) ? heatWait(fw, cmd, fw.heaters.bed) : true);

const m141: Handler = (fw, cmd, w) => {
  const c = fw.heaters.chamber;
  if (!c) {
    fw.emit(`echo:Unknown command: "${cmd.text}"`); // stock Marlin has no heated chamber
    return true;
  }
  if (w.has('S')) c.setTarget(fw.now(), w.get('S', 0));
  return true;
};

const m105: Handler = (fw, cmd, w) => {
  const tool = w.has('T') ? w.get('T', fw.activeTool) : fw.activeTool;
  cmd.noOk = true; // the report rides on the ok, without ADVANCED_OK fields
  if (cmd.source === SOURCE_SERIAL) {
    fw.stats.oksSent++;
    fw.emit(`ok${fw.heaters.report(fw.now(), tool)}`);
  }
  return true;
};

const fan = (on: boolean): Handler => (fw, _cmd, w) => {
  const p = w.get('P', 0);
  if (p === 0) fw.fans[0] = on ? Math.min(255, Math.max(0, w.get('S', 255))) : 0;
  return true;
};

export const toolChange: Handler = (fw, _cmd, w) => {
  if (w.code >= fw.heaters.hotends.length) fw.emit(`echo:T${w.code} Invalid extruder`);
  else fw.activeTool = w.code;
  return true;
};

export const temperatureHandlers: HandlerTable = {
  M104: m104,
  M105: m105,
  M106: fan(true),
  M107: fan(false),
  M109: m109,
  M140: m140,
  M141: m141,
  M155: (fw, _cmd, w) => (w.has('S') && fw.autoTemp.set(w.get('S', 0)), true),
  M190: m190,
};
