// Low-latency mode for USB-serial adapters (performance.md §1): an FTDI chip holds received bytes
// up to 16 ms before passing them on, so every `ok` arrives late and ping-pong streaming tops out
// near 62 lines/s; with ASYNC_LOW_LATENCY the driver uses 1 ms. The Linux binding of serialport
// sets the flag through its `set()` call (TIOCSSERIAL), but it swallows the error when the driver
// refuses, so we read the flag back with `get()` to know whether it took. A pseudo-terminal
// refuses the modem-line ioctls altogether ("Inappropriate ioctl for device"): not an error for
// us, just "not active".
import type { SerialPort } from 'serialport';

/** The Linux binding's port as far as we use it (its types omit `lowLatency`). */
interface LinuxBindingPort {
  set(options: Record<string, boolean>): Promise<void>;
  get(): Promise<{ lowLatency?: boolean }>;
}

export interface LowLatencyResult {
  active: boolean;
  error?: string;
}

export async function requestLowLatency(port: SerialPort): Promise<LowLatencyResult> {
  if (process.platform !== 'linux') return { active: false, error: `low latency mode is only supported on Linux` };
  const binding = port.port as unknown as LinuxBindingPort | undefined;
  if (!binding) return { active: false, error: 'the port is not open' };
  try {
    // set() writes every modem line at once: keep DTR and RTS high as open left them (dropping
    // and raising DTR would reset many boards).
    await binding.set({ brk: false, cts: false, dsr: false, dtr: true, rts: true, lowLatency: true });
    const status = await binding.get();
    if (status.lowLatency === true) return { active: true };
    return { active: false, error: 'the driver did not enable low latency mode' };
  } catch (err) {
    return { active: false, error: `cannot set low latency mode: ${err instanceof Error ? err.message : String(err)}` };
  }
}
