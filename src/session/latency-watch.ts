// Notices a latency-bound link once: with one line in flight every line waits for the reply's
// trip back, and an FTDI adapter holds replies up to its 16 ms latency timer — a ceiling near 62
// lines/s whatever the baud rate. The fix is on the user's side (the adapter's latency_timer), so
// say so, once. Judged on the quickest quarter of replies so that moves waiting for room in the
// planner (slow by nature) do not count.
import type { InFlightLine } from './line-sender.js';

const SAMPLE = 200;
const SLOW_MS = 8;

export class LatencyWatch {
  private samples: number[] = [];
  private warned = false;

  constructor(private readonly warn: (text: string) => void) {}

  onAck(line: InFlightLine, now: number): void {
    if (this.warned) return;
    this.samples.push(now - line.sentAt);
    if (this.samples.length < SAMPLE) return;
    const sorted = this.samples.sort((a, b) => a - b);
    const quick = sorted[Math.floor(SAMPLE / 4)]!;
    this.samples = [];
    if (quick >= SLOW_MS) {
      this.warned = true;
      this.warn(
        `the printer's replies take ${quick.toFixed(0)} ms or more: the USB adapter holds them (FTDI latency timer?), ` +
          'which limits how fast lines can go. Set it to 1 ms: echo 1 | sudo tee /sys/bus/usb-serial/devices/ttyUSB0/latency_timer ' +
          '(or a udev rule), or use a firmware with ADVANCED_OK and --flow auto',
      );
    }
  }
}
