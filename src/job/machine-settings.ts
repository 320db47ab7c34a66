// Commands in the file that change how fast the machine may move, applied to the motion model:
//
//   M204 P1250 R1250 T2500     print / retract / travel acceleration (PrusaSlicer)
//   M204 S1000                 print and travel (SuperSlicer, older Marlin)
//   M201 X2500 Y2500 Z400 E5000    per-axis acceleration limits
//   M203 X180 Y180 Z12 E80         per-axis feedrate limits (mm/s)
//   SET_VELOCITY_LIMIT ACCEL=5000  Klipper (OrcaSlicer's Klipper profiles): same as M204 S
import type { MotionModel } from './motion-model.js';
import type { MoveWords } from './move-words.js';

const pos = (v: number) => v > 0;

export function applyMachineSetting(m: MotionModel, code: string, w: MoveWords, text: string): void {
  switch (code) {
    case 'M204':
      if (pos(w.s)) m.printAccel = m.travelAccel = w.s;
      if (pos(w.p)) m.printAccel = w.p;
      if (pos(w.r)) m.retractAccel = w.r;
      // T is travel on Marlin 2; MoveWords has no T slot, so read it from the text.
      {
        const t = /\bT(\d+(?:\.\d+)?)/i.exec(text);
        if (t && Number(t[1]) > 0) m.travelAccel = Number(t[1]);
      }
      return;
    case 'M201':
      setAxes(m.maxAccel, w);
      return;
    case 'M203':
      setAxes(m.maxFeed, w);
      return;
    case '': {
      const k = /^SET_VELOCITY_LIMIT\b.*\bACCEL=(\d+(?:\.\d+)?)/i.exec(text);
      if (k && Number(k[1]) > 0) m.printAccel = m.travelAccel = Number(k[1]);
      return;
    }
    default:
      return;
  }
}

function setAxes(target: { x: number; y: number; z: number; e: number }, w: MoveWords): void {
  if (pos(w.x)) target.x = w.x;
  if (pos(w.y)) target.y = w.y;
  if (pos(w.z)) target.z = w.z;
  if (pos(w.e)) target.e = w.e;
}
