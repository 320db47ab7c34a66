// Counters the virtual printer keeps for tests and benchmarks (performance.md §6): what was lost,
// what was asked to be resent, and how well the host kept the planner and queue fed.
// They survive board resets (they describe the simulation, not the firmware's memory).

export interface SimStats {
  /** Received bytes dropped because RX was full. */
  rxOverflowBytes: number;
  /** Received bytes discarded by the RX flush after a line error. */
  rxFlushedBytes: number;
  /** Received bytes lost while the board was booting, off or dead. */
  rxIgnoredBytes: number;
  /** Fault injection: bytes corrupted / dropped on the way in, output lines dropped, stalls. */
  faultCorruptedBytes: number;
  faultDroppedBytes: number;
  faultDroppedLines: number;
  faultStalls: number;
  /** `Error:` lines for line-number/checksum problems. */
  lineErrors: number;
  /** `Resend:` lines sent. */
  resendsRequested: number;
  /** `ok` lines sent (any form, including `ok T:…`). */
  oksSent: number;
  /** Commands executed (serial, SD and firmware-internal). */
  commandsExecuted: number;
  /** Planner blocks queued, and how many SLOWDOWN stretched. */
  plannerBlocks: number;
  slowdownBlocks: number;
  /** The planner ran dry and motion resumed later although no command asked for a stop. */
  plannerUnderruns: number;
  plannerEmptyMsTotal: number;
  plannerEmptyMsMax: number;
  /** Sum of block times as executed (SLOWDOWN included) and as planned (ideal). */
  motionMs: number;
  idealMotionMs: number;
  /** The command queue ran empty while the planner still had motion. */
  cmdqUnderruns: number;
  cmdqEmptyMsTotal: number;
  cmdqEmptyMsMax: number;
}

export function newSimStats(): SimStats {
  return {
    rxOverflowBytes: 0,
    rxFlushedBytes: 0,
    rxIgnoredBytes: 0,
    faultCorruptedBytes: 0,
    faultDroppedBytes: 0,
    faultDroppedLines: 0,
    faultStalls: 0,
    lineErrors: 0,
    resendsRequested: 0,
    oksSent: 0,
    commandsExecuted: 0,
    plannerBlocks: 0,
    slowdownBlocks: 0,
    plannerUnderruns: 0,
    plannerEmptyMsTotal: 0,
    plannerEmptyMsMax: 0,
    motionMs: 0,
    idealMotionMs: 0,
    cmdqUnderruns: 0,
    cmdqEmptyMsTotal: 0,
    cmdqEmptyMsMax: 0,
  };
}
