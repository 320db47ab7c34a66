// Motion and position commands: moves wait for planner blocks (their ok is what paces a
// stream), G4/G28/G29/M400 synchronize first and then take their (scaled) time, modes and
// offsets only change state. M114 reports the planned position like Marlin's M114 does.
// With acceleration on (SimOptions.acceleration) a move hands its shape to the planner before
// queueing (planner.stage), and M201/M203/M204/M205 change the machine limits as in Marlin;
// with it off they are accepted and ignored, as before.
import type { Firmware } from '../firmware.js';
import type { Kinematics } from '../kinematics.js';
import type { Words } from '../gcode-words.js';
import { accept, type Handler, type HandlerTable } from './handler.js';

/** The acceleration model of this boot, or null when it is off. */
function kinematics(fw: Firmware): Kinematics | null {
  fw.motion.configure(fw.opt);
  return fw.motion.kin;
}

const move: Handler = (fw, cmd, w) => {
  const kin = kinematics(fw);
  const ms = fw.motion.linear(w);
  if (ms <= 0) return true;
  if (kin) fw.planner.stage(kin.shape, 1000 / fw.opt.speed);
  return fw.waits.queueBlocks(cmd, 1, fw.scaled(ms));
};

const arc = (clockwise: boolean): Handler => (fw, cmd, w) => {
  const kin = kinematics(fw);
  fw.motion.arc(w, clockwise);
  const n = fw.motion.arcSegments;
  if (n === 0) return true;
  if (kin) fw.planner.stage(kin.shape, 1000 / fw.opt.speed);
  return fw.waits.queueBlocks(cmd, n, fw.scaled(fw.motion.arcSegmentMs));
};

const AXES = ['X', 'Y', 'Z', 'E'] as const;

/** Set the named axes of `into` from positive values in `w`. */
function axes(w: Words, into: number[]): void {
  AXES.forEach((a, i) => {
    const v = w.get(a, 0);
    if (w.has(a) && v > 0) into[i] = v;
  });
}

/** M201 X Y Z E: maximum acceleration per axis, mm/s². */
const maxAccel: Handler = (fw, _c, w) => {
  const kin = kinematics(fw);
  if (kin) axes(w, kin.settings.maxAccel);
  return true;
};

/** M203 X Y Z E: maximum feedrate per axis, mm/s. */
const maxFeedrate: Handler = (fw, _c, w) => {
  if (kinematics(fw)) axes(w, fw.motion.maxFeed);
  return true;
};

/** M204 S (print and travel) P (print) R (retract) T (travel), mm/s². */
const acceleration: Handler = (fw, _c, w) => {
  const st = kinematics(fw)?.settings;
  if (!st) return true;
  const pos = (k: string): number => w.get(k, 0);
  if (pos('S') > 0) st.printAccel = st.travelAccel = pos('S');
  if (pos('P') > 0) st.printAccel = pos('P');
  if (pos('R') > 0) st.retractAccel = pos('R');
  if (pos('T') > 0) st.travelAccel = pos('T');
  return true;
};

/** M205 J (junction deviation) or, with classic jerk, X Y Z E (jerk, mm/s). B, S, T: ignored. */
const advanced: Handler = (fw, _c, w) => {
  const st = kinematics(fw)?.settings;
  if (!st) return true;
  if (st.classicJerk) axes(w, st.jerk);
  else if (w.has('J') && w.get('J', 0) > 0) st.junctionDeviationMm = w.get('J', 0);
  return true;
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
  M201: maxAccel,
  M203: maxFeedrate,
  M204: acceleration,
  M205: advanced,
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
