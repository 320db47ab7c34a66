// A NotificationRules on a hand-moved clock, with short-hand for the bus events a print produces.
import type { OctoslackConfig } from '../../../src/config/types.js';
import type { JobSnapshot, OctoslackEvent } from '../../../src/events/events.js';
import type { PrinterView, RenderInput } from '../../../src/notify/render/input.js';
import { NotificationRules } from '../../../src/notify/rules/rules.js';
import { AT, JOB, PRINTER } from '../render/fixtures.js';

export const MIN = 60_000;

export class Harness {
  t = AT;
  readonly rules: NotificationRules;
  printer: PrinterView = { ...PRINTER };
  job: JobSnapshot = { ...JOB, percent: 0, layer: 1, z: 0.2, elapsedS: 0, remainingS: 6720 };

  constructor(readonly config: OctoslackConfig) {
    this.rules = new NotificationRules(config, () => this.t);
  }

  advance(ms: number): this {
    this.t += ms;
    this.job = { ...this.job, elapsedS: this.job.elapsedS + ms / 1000 };
    return this;
  }

  emit(e: OctoslackEvent): RenderInput[] {
    return this.rules.onEvent(e, { ...this.printer, job: this.job });
  }

  start(): RenderInput[] {
    return this.emit({ event: 'PrintStarted', at: this.t, job: this.job });
  }

  /** A bus Progress event with the job moved to `over`. */
  progress(over: Partial<JobSnapshot>, trigger: 'percent' | 'layer' = 'percent'): RenderInput[] {
    this.job = { ...this.job, ...over };
    return this.emit({ event: 'Progress', at: this.t, job: this.job, trigger });
  }

  tick(): RenderInput[] {
    return this.rules.tick({ ...this.printer, job: this.job });
  }

  line(direction: 'sent' | 'received', line: string): RenderInput[] {
    return this.rules.onLine(direction, line, { ...this.printer, job: this.job });
  }
}

export const events = (inputs: RenderInput[]): string[] => inputs.map((i) => i.event);
