// How many lines may be in flight (performance.md §2). The plain protocol allows one: the next
// line leaves when the previous one's ok arrives. Windowed streaming is chosen per firmware.
import type { PrinterState } from '../state/printer-state.js';
import type { WindowPolicy } from './line-sender.js';
import type { SessionOptions } from './session-options.js';

export function windowFor(opts: SessionOptions, _state: PrinterState): WindowPolicy {
  // Keep a margin so a full line always fits behind the lines already in the firmware's buffer.
  const maxBytes = Math.max(1, opts.rxBufferBytes - 1);
  return { maxLines: 1, maxBytes };
}
