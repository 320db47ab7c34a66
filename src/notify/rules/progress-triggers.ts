// When a running print deserves a Progress message (parity §1.1): every N %, every N mm of Z,
// every N layers, every N minutes, and once when the first layer is done. One instance per
// print, so every trigger starts over at the print's start and never fires twice for one step.
import type { ProgressSettings } from '../../config/types.js';
import type { JobSnapshot } from '../../events/events.js';

/** Float noise in tracked Z (0.30000000004) must not make a step miss or fire twice. */
const EPSILON = 1e-6;

export interface TriggerResult {
  progress: boolean;
  firstLayerDone: boolean;
}

export class ProgressTriggers {
  /** Highest percent multiple, Z step and layer step already reported. */
  private pctDone = 0;
  private zDone = 0;
  private layersDone = 0;
  private firstLayerSeen = false;
  private nextTimeAt: number | undefined;

  constructor(private readonly settings: ProgressSettings, startedAt: number) {
    const everyMs = settings.everyMinutes * 60_000;
    // The timer runs from the start; its first tick is one interval later.
    this.nextTimeAt = everyMs > 0 ? startedAt + everyMs : undefined;
  }

  /**
   * Joining a print already under way (restarted octoslack, SD print started on the printer):
   * count the steps already behind it as reported, so the first message is the next real step.
   */
  seed(job: JobSnapshot): void {
    const { everyPercent, everyMm, everyLayers } = this.settings;
    if (everyPercent > 0 && job.percent !== undefined) this.pctDone = stepBelow(job.percent, everyPercent);
    if (everyMm > 0 && job.z !== undefined) this.zDone = stepBelow(job.z, everyMm);
    if (everyLayers > 0 && job.layer !== undefined) this.layersDone = stepBelow(job.layer - 1, everyLayers);
    if (job.layer !== undefined && job.layer >= 2) this.firstLayerSeen = true;
  }

  /** Check the position-based triggers against a fresh job snapshot. */
  check(job: JobSnapshot): TriggerResult {
    const { everyPercent, everyMm, everyLayers } = this.settings;
    let progress = false;
    if (everyPercent > 0 && job.percent !== undefined) {
      // Integer percents 0 < p < 100 with p % N == 0; a jump over several steps gives one message.
      const step = stepBelow(Math.floor(job.percent), everyPercent);
      if (step > this.pctDone && step > 0 && step < 100) {
        this.pctDone = step;
        progress = true;
      }
    }
    if (everyMm > 0 && job.z !== undefined && job.z >= this.zDone + everyMm - EPSILON) {
      // Only upwards: zDone never decreases, so a move down (or a Z hop's return) never fires.
      this.zDone = stepBelow(job.z, everyMm);
      progress = true;
    }
    if (everyLayers > 0 && job.layer !== undefined) {
      // `layer` is the current, 1-based layer: layer L starting means L - 1 layers are done.
      const step = stepBelow(job.layer - 1, everyLayers);
      if (step > this.layersDone && step > 0) {
        this.layersDone = step;
        progress = true;
      }
    }
    let firstLayerDone = false;
    if (!this.firstLayerSeen && job.layer !== undefined && job.layer >= 2) {
      this.firstLayerSeen = true;
      firstLayerDone = this.settings.firstLayerDone;
    }
    return { progress, firstLayerDone };
  }

  /** Whether the N-minute timer is due at `now`; advances it past `now` (missed ticks are one). */
  timeDue(now: number): boolean {
    if (this.nextTimeAt === undefined || now < this.nextTimeAt) return false;
    const everyMs = this.settings.everyMinutes * 60_000;
    while (this.nextTimeAt <= now) this.nextTimeAt += everyMs;
    return true;
  }
}

/** The largest multiple of `step` at or below `value` (with float slack). */
function stepBelow(value: number, step: number): number {
  return Math.floor(value / step + EPSILON) * step;
}
