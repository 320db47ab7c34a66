// Tracks the modal state a print sets up (absolute/relative moves and extrusion, feedrate) so a
// resume after a parking pause can put the head back and restore the modes the file relies on.
import type { Position } from '../marlin/messages.js';

export class MotionModes {
  relativeMoves = false;
  relativeExtrusion = false;
  feedrate: number | undefined;

  /** Called for every job command sent; cheap for the common G1 case. */
  observe(code: string, command: string): void {
    switch (code) {
      case 'G0':
      case 'G1': {
        const f = / F(\d+(?:\.\d+)?)/.exec(command);
        if (f) this.feedrate = Number(f[1]);
        break;
      }
      case 'G90': this.relativeMoves = false; this.relativeExtrusion = false; break;
      case 'G91': this.relativeMoves = true; this.relativeExtrusion = true; break;
      case 'M82': this.relativeExtrusion = false; break;
      case 'M83': this.relativeExtrusion = true; break;
      default: break;
    }
  }

  /** Back to where the print was paused: XY first (at the parked height), then Z, then E and modes. */
  restoreCommands(p: Position): string[] {
    const out = ['G90'];
    if (p.x !== undefined && p.y !== undefined) out.push(`G1 X${p.x.toFixed(3)} Y${p.y.toFixed(3)} F6000`);
    if (p.z !== undefined) out.push(`G1 Z${p.z.toFixed(3)} F600`);
    if (p.e !== undefined) out.push(`G92 E${p.e.toFixed(5)}`);
    if (this.relativeMoves) out.push('G91');
    if (this.relativeExtrusion) out.push('M83');
    else if (this.relativeMoves) out.push('M82');
    if (this.feedrate !== undefined) out.push(`G1 F${this.feedrate}`);
    return out;
  }
}
