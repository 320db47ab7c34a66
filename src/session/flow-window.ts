// How many lines may be in flight (performance.md §2, marlin-protocol.md §4).
//
// The plain protocol keeps one line in flight: the next leaves when the previous one's ok
// arrives. Over a USB adapter that holds replies for its 16 ms latency timer that caps a print
// near 62 lines/s, below what curves need. With ADVANCED_OK (`ok N<n> P<planner> B<queue>`) the
// firmware tells how many command slots are free, so several lines can be on their way:
//   - at most as many lines as the queue has slots (the largest B seen: B counts the slots free
//     while the firmware is idle);
//   - and never more framed bytes than fit the firmware's RX buffer minus a margin, because when
//     the queue is full every line in flight waits there, and overflowing bytes are dropped;
//   - one line at a time around resends and long commands (enforced by the line sender).
// Without ADVANCED_OK there is no way to know the queue's state: one line in flight.
import type { PrinterState } from '../state/printer-state.js';
import type { WindowPolicy } from './line-sender.js';
import type { SessionOptions } from './session-options.js';

/**
 * Marlin's RX ring holds size − 1 bytes. With 40-byte lines (line numbers past 10000) a larger
 * margin leaves room for only two lines of three and starves the queue on a 16 ms adapter.
 */
const RX_MARGIN_BYTES = 1;

export type FlowMode = 'pingpong' | 'window';

export function flowModeFor(opts: SessionOptions, state: PrinterState): FlowMode {
  return opts.flow === 'auto' && state.advancedOk ? 'window' : 'pingpong';
}

/** `largestBufferFree`: the largest `B` seen in an ADVANCED_OK reply (undefined before any). */
export function windowFor(opts: SessionOptions, state: PrinterState, largestBufferFree?: number): WindowPolicy {
  const maxBytes = Math.max(1, opts.rxBufferBytes - RX_MARGIN_BYTES);
  if (flowModeFor(opts, state) === 'pingpong' || largestBufferFree === undefined) return { maxLines: 1, maxBytes };
  return { maxLines: Math.max(1, Math.min(largestBufferFree, 32)), maxBytes };
}
