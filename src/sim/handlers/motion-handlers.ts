// Motion and position commands: moves wait for planner blocks (their ok is what paces a
// stream), G4/G28/G29/M400 synchronize first and then take their (scaled) time, modes and
// offsets only change state. M114 reports the planned position like Marlin's M114 does.
import { accept, type Handler, type HandlerTable } from './handler.js';

const move: Handler = (fw, cmd, w) => {
  const ms = fw.motion.linear(w);
  return ms <= 0 ? true : fw.waits.queueBlocks(cmd, 1, fw.scaled(ms));
};

const arc = (clockwise: boolean): Handler => (fw, cmd, w) => {
  fw.motion.arc(w, clockwise);
  const n = fw.motion.arcSegments;
  return n === 0 ? true : fw.waits.queueBlocks(cmd, n, fw.scaled(fw.motion.arcSegmentMs));
};

/** G4 P<ms> | S<s>: finish moves, then wait. */
const dwell: Handler = (fw, cmd, w) => {
  const ms = w.has('P') ? w.get('P', 0) : w.get('S', 0) * 1000;
  return fw.waits.sync(cmd, () => fw.waits.delay(cmd, fw.scaled(ms), () => true));
};

/** G28: homing takes homingMs for all three axes, proportionally less for fewer. */
const home: Handler = (fw, cmd, w) =>
  fw.waits.sync(cmd, () => {
    const axes = fw.motion.home(w);
    return fw.waits.delay(cmd, fw.scaled((fw.opt.homingMs * axes) / 3), () => {
      fw.emit(fw.motion.positionLine()); // report_current_position() after homing
      return true;
    });
  });

/** G29: probing takes probingMs. */
const probe: Handler = (fw, cmd) => fw.waits.sync(cmd, () => fw.waits.delay(cmd, fw.scaled(fw.opt.probingMs), () => true));

export const motionHandlers: HandlerTable = {
  G0: move,
  G1: move,
  G2: arc(true),
  G3: arc(false),
  G4: dwell,
  G21: accept, // millimetres; Marlin accepts G21 silently even without INCH_MODE_SUPPORT
  G28: home,
  G29: probe,
  G90: (fw) => (fw.motion.setRelative(false), true),
  G91: (fw) => (fw.motion.setRelative(true), true),
  G92: (fw, _c, w) => (fw.motion.setPosition(w), true),
  M17: accept,
  M18: accept,
  M82: (fw) => (fw.motion.setRelativeE(false), true),
  M83: (fw) => (fw.motion.setRelativeE(true), true),
  M84: accept,
  M92: accept,
  M114: (fw) => (fw.emit(fw.motion.positionLine()), true),
  M154: (fw, _c, w) => (w.has('S') && fw.autoPos.set(w.get('S', 0)), true),
  M201: accept,
  M203: accept,
  M204: accept,
  M205: accept,
  M206: accept,
  M220: (fw, _c, w) => {
    if (w.has('S')) fw.motion.feedPercent = Math.max(1, w.get('S', 100));
    else fw.emit(`FR:${fw.motion.feedPercent}%`);
    return true;
  },
  M221: accept,
  M400: (fw, cmd) => fw.waits.sync(cmd, () => true),
  M410: (fw) => (fw.quickStop(), true),
  M420: accept,
  M851: accept,
};
