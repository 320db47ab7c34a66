// Turns one streaming run's figures into report entries: every metric of performance.md §6 once
// per scenario and mode, judged where the scenario names a target for that mode, informational
// (with the reason) where the target belongs to the other mode.
import type { LinkModelOptions } from '../src/sim/link-model.js';
import { info, judged, type Mode, type ResultEntry } from './results.js';
import type { StreamScenario } from './scenarios.js';
import type { StreamMetrics } from './stream-run.js';

type Extract = (m: StreamMetrics, s: StreamScenario) => number | undefined;

const bool = (b: boolean): number => (b ? 1 : 0);

/** Wire bytes/s of the scenario's link; undefined for native USB (no baud). */
function wireBytesPerS(link: LinkModelOptions): number | undefined {
  return link.usb === 'cdc' ? undefined : (link.baud ?? 115200) / 10;
}

/** Metric name → how to read it. Order = order in the JSON. */
export const METRICS: Record<string, Extract> = {
  lines_per_s: (m) => m.linesPerS,
  lines_per_s_p5: (m) => m.p5LinesPerS,
  dilation: (m) => m.dilation,
  planner_underruns: (m) => m.plannerUnderruns,
  planner_empty_ms_total: (m) => m.plannerEmptyMsTotal,
  planner_empty_ms_max: (m) => m.plannerEmptyMsMax,
  slowdown_blocks: (m) => m.slowdownBlocks,
  cmdq_empty_pct: (m) => m.cmdqEmptyPct,
  cmdq_empty_ms_max: (m) => m.cmdqEmptyMsMax,
  rx_overflow_bytes: (m) => m.rxOverflowBytes,
  resends: (m) => m.resends,
  errors: (m) => m.lineErrors,
  lost_lines: (m) => m.lost,
  duplicate_lines: (m) => m.doubled,
  executed_in_order: (m) => bool(m.inOrder),
  turnaround_ms_p50: (m) => m.turnaroundP50Ms,
  turnaround_ms_p99: (m) => m.turnaroundP99Ms,
  host_cpu_s_per_1000_lines: (m) => m.hostCpuSPer1000,
  process_cpu_s_per_1000_lines: (m) => m.processCpuSPer1000,
  rss_peak_mb: (m) => m.rssPeakMb,
  latency_warned: (m) => bool(m.latencyWarned),
  mean_framed_bytes: (m) => m.meanFramedBytes,
  wire_utilisation: (m, s) => {
    const bps = wireBytesPerS(s.link);
    return bps === undefined ? undefined : (m.linesPerS * m.meanFramedBytes) / bps;
  },
  idle_round_trip_ms: (m) => m.rttMs,
  underruns_per_stall: (m) => (m.stalls > 0 ? m.plannerUnderruns / m.stalls : undefined),
  ok_timeouts: (m) => m.okTimeouts,
  ack_ms_p50: (m) => m.ackMsP50,
  resend_episodes: (m) => m.resendEpisodes,
  resend_multi_fault_episodes: (m) => m.resendMultiFault,
  resend_round_trips_max: (m) => m.resendRoundTripsMax,
  resend_round_trips_p50: (m) => m.resendRoundTripsP50,
  resend_time_ratio_max: (m) => m.resendTimeRatioMax,
  resend_time_ratio_p50: (m) => m.resendTimeRatioP50,
  resend_recovery_ms_p50: (m) => m.resendRecoveryMsP50,
  resend_recovery_ms_max: (m) => m.resendRecoveryMsMax,
  replay_exchanges_max: (m) => m.replayExchangesMax,
  virtual_s: (m) => m.virtualS,
  wall_s: (m) => m.wallS,
};

/** Metrics only worth a row when the scenario has what they describe. */
const faulty = (s: StreamScenario): boolean => (s.sim.faults?.corruptByte ?? 0) > 0;
const moving = (s: StreamScenario): boolean => !s.instant;
const ONLY_WHEN: Record<string, (s: StreamScenario) => boolean> = {
  underruns_per_stall: (s) => s.stall !== undefined,
  wire_utilisation: (s) => s.link.usb !== 'cdc',
  resend_episodes: faulty,
  resend_multi_fault_episodes: faulty,
  resend_round_trips_max: faulty,
  resend_round_trips_p50: faulty,
  resend_time_ratio_max: faulty,
  resend_time_ratio_p50: faulty,
  resend_recovery_ms_p50: faulty,
  resend_recovery_ms_max: faulty,
  replay_exchanges_max: faulty,
  // With instant firmware there is no motion to dilate, underrun or keep fed.
  dilation: moving,
  planner_underruns: moving,
  planner_empty_ms_total: moving,
  planner_empty_ms_max: moving,
  slowdown_blocks: moving,
  cmdq_empty_pct: moving,
  cmdq_empty_ms_max: moving,
};

export function judgeRun(s: StreamScenario, mode: Mode, m: StreamMetrics): ResultEntry[] {
  const entries = judgeRunEntries(s, mode, m);
  for (const e of entries) if (e.id !== s.id) e.scenario = s.id;
  return entries;
}

function judgeRunEntries(s: StreamScenario, mode: Mode, m: StreamMetrics): ResultEntry[] {
  const out: ResultEntry[] = [];
  if (m.outcome !== 'done') out.push(judged(s.id, mode, 'print_done', 0, '==1', `the print ended "${m.outcome}"`));
  for (const [metric, read] of Object.entries(METRICS)) {
    if (ONLY_WHEN[metric] && !ONLY_WHEN[metric]!(s)) continue;
    const value = read(m, s);
    const specs = s.targets.filter((t) => t.metric === metric);
    const mine = specs.filter((t) => t.modes.includes(mode));
    for (const t of mine) out.push(judged(t.id ?? s.id, mode, metric, value, t.target, t.note));
    if (mine.length > 0) continue;
    const other = specs[0];
    out.push(info(s.id, mode, metric, value, other ? `judged in ${other.modes.join('/')} mode only${other.note ? `: ${other.note}` : ''}` : undefined));
  }
  if (mode === 'window' && m.effectiveFlow !== 'window') {
    out.push(info(s.id, mode, 'effective_flow_window', 0, 'flow auto ran ping-pong: the firmware has no ADVANCED_OK'));
  }
  return out;
}
