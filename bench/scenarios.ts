// The streaming scenarios of performance.md §5 as data: file, firmware, link, host behaviour, and
// which targets are judged in which flow mode. Every scenario runs twice, `--flow pingpong` and
// `--flow auto` (reported as "window"); a target judged in one mode only says why in its note.
//
// Links are named as performance.md names them; where §5 does not name one, the choice and the
// reason are in the scenario's title (the report prints it). `--smoke` runs S1 and S8 on short
// files and judges only what such a run can show (the §6 guard, S1, exactness).
import type { LinkModelOptions } from '../src/sim/link-model.js';
import type { SimOptions } from '../src/sim/sim-options.js';
import type { SessionOptions } from '../src/session/session-options.js';
import type { GcodeSpec } from '../src/sim/gcode-generator.js';
import type { Mode } from './results.js';

export type FileRef =
  | { kind: 'steady'; key: string; segments: number; feedrate: number }
  | { kind: 'generated'; key: string; spec: GcodeSpec; label: string }
  | { kind: 'corpus'; key: string; name: string; label: string };

export interface TargetSpec {
  metric: string;
  target: string;
  modes: readonly Mode[];
  /** Report under another id (S6 is judged on the S1 runs). */
  id?: string;
  note?: string;
}

export interface StreamScenario {
  id: string;
  title: string;
  file: FileRef;
  sim: SimOptions;
  link: LinkModelOptions;
  session?: Partial<SessionOptions>;
  stall?: { everyMs: number; forMs: number };
  /** Firmware that takes no time (S4): motion figures mean nothing and are left out. */
  instant?: boolean;
  targets: readonly TargetSpec[];
}

const BOTH: readonly Mode[] = ['pingpong', 'window'];
const WINDOW: readonly Mode[] = ['window'];
const PINGPONG: readonly Mode[] = ['pingpong'];

const FTDI16: LinkModelOptions = { baud: 115200, usb: 'ftdi', usbLatencyMs: 16 };
const FTDI1: LinkModelOptions = { baud: 115200, usb: 'ftdi', usbLatencyMs: 1 };
const STOCK_AO: SimOptions = { advancedOk: true };
const BIG_AO: SimOptions = { advancedOk: true, bufsize: 16, rxBufferSize: 1024 };
const WINDOW_ONLY = 'a window target: ping-pong cannot meet it by design';
const EXACT = [
  { metric: 'lost_lines', target: '==0', modes: BOTH },
  { metric: 'duplicate_lines', target: '==0', modes: BOTH },
] as const;

export interface ScenarioSizes {
  steadySegments: number;
  generatedBytes: number;
  corpus: boolean;
}

export const FULL_SIZES: ScenarioSizes = { steadySegments: 30_000, generatedBytes: 1_000_000, corpus: true };
export const SMOKE_SIZES: ScenarioSizes = { steadySegments: 2_500, generatedBytes: 0, corpus: false };

export function streamScenarios(z: ScenarioSizes, smoke: boolean): StreamScenario[] {
  const steady100: FileRef = { kind: 'steady', key: 'steady-100', segments: z.steadySegments, feedrate: 100 };
  const steady250: FileRef = { kind: 'steady', key: 'steady-250', segments: z.steadySegments, feedrate: 250 };
  const s1: StreamScenario = {
    id: 'S1',
    title: '1 mm at 100 mm/s, 115200, FTDI 16 ms, stock Marlin (RX 128, BUFSIZE 4) + ADVANCED_OK',
    file: steady100,
    sim: STOCK_AO,
    link: FTDI16,
    targets: [
      { metric: 'lines_per_s', target: '55..63', modes: PINGPONG, note: 'guard (§6): ping-pong over FTDI 16 ms is capped near 62 lines/s' },
      { metric: 'lines_per_s', target: '>=95', modes: WINDOW, note: 'guard (§6): the window is not capped, it keeps up with the demand of 100 lines/s' },
      { metric: 'dilation', target: '<=1.02', modes: WINDOW, note: WINDOW_ONLY },
      { metric: 'planner_underruns', target: '==0', modes: WINDOW, note: WINDOW_ONLY },
      // Judged on the full run only: line numbers pass 10000 there, as in real prints.
      ...(smoke ? [] : [
        { id: 'S6', metric: 'cmdq_empty_pct', target: '<1', modes: WINDOW, note: 'S6 on the S1 runs (steady motion, window)' },
        { id: 'S6', metric: 'cmdq_empty_ms_max', target: '<20', modes: WINDOW, note: 'S6 on the S1 runs (steady motion, window)' },
      ]),
      ...EXACT,
    ],
  };
  const s8: StreamScenario = {
    id: 'S8',
    title: '1 corrupted byte per 10^4 (1 per 10^3 in --smoke) + random latency: bridge 2 ± 2 ms, 0.2 % of replies held 30 ms; 115200, stock + ADVANCED_OK',
    file: steady100,
    sim: { advancedOk: true, faults: { seed: 7, corruptByte: smoke ? 1e-3 : 1e-4, stallOutput: 0.002, stallMs: 30 } },
    link: { baud: 115200, usb: 'bridge', usbLatencyMs: 2, jitterMs: 2, seed: 7 },
    // The smoke run checks exactness only; the resend cost is judged on the full run.
    targets: smoke ? EXACT : [
      ...EXACT,
      { metric: 'resend_round_trips_max', target: '<=2', modes: BOTH, note: 'per fault: exchanges the host waited on from the first write of the requested line to normal streaming, less replays of lines in flight behind it (bench/resend-cost.ts); resend_time_ratio_* is the old time-based figure, informational' },
    ],
  };
  if (smoke) return [s1, s8];
  const list: StreamScenario[] = [
    s1,
    {
      id: 'S6@1ms',
      title: 'as S1 with the FTDI adapter in low-latency mode (1 ms): steady motion, window',
      file: steady100,
      sim: STOCK_AO,
      link: FTDI1,
      targets: [
        { id: 'S6', metric: 'cmdq_empty_pct', target: '<1', modes: WINDOW, note: WINDOW_ONLY },
        { id: 'S6', metric: 'cmdq_empty_ms_max', target: '<20', modes: WINDOW, note: WINDOW_ONLY },
        ...EXACT,
      ],
    },
    {
      id: 'S2@1ms',
      title: 'as S1 but plain ok (no ADVANCED_OK: auto falls back to ping-pong), FTDI in low-latency mode (1 ms)',
      file: steady100,
      sim: {},
      link: FTDI1,
      targets: [{ id: 'S2', metric: 'dilation', target: '<=1.02', modes: BOTH }, ...EXACT],
    },
    {
      id: 'S2@16ms',
      title: 'as S1 but plain ok, FTDI 16 ms: cannot keep up; the session must say so (latency warning)',
      file: steady100,
      sim: {},
      link: FTDI16,
      targets: [{ id: 'S2', metric: 'latency_warned', target: '==1', modes: BOTH, note: 'S2: warn at 16 ms' }, ...EXACT],
    },
    {
      id: 'S3',
      title: '1 mm at 250 mm/s, native USB (CDC, 1 ms frames), BUFSIZE 16, RX 1024 (session told --rx 1024), ADVANCED_OK',
      file: steady250,
      sim: BIG_AO,
      link: { usb: 'cdc' },
      session: { rxBufferBytes: 1024 },
      targets: [
        { metric: 'lines_per_s', target: '>=245', modes: BOTH },
        { metric: 'planner_underruns', target: '==0', modes: BOTH },
        ...EXACT,
      ],
    },
    ...[115200, 250000].map((baud): StreamScenario => ({
      id: `S4@${baud}`,
      title: `instant firmware (motion and parsing take no time), ${baud} baud, FTDI 1 ms, stock + ADVANCED_OK: the wire is the only limit`,
      file: steady100,
      sim: { advancedOk: true, speed: 100_000, parseCostMs: 0 },
      instant: true,
      link: { baud, usb: 'ftdi', usbLatencyMs: 1 },
      targets: [
        { id: 'S4', metric: 'wire_utilisation', target: '>=0.9', modes: WINDOW, note: `${WINDOW_ONLY} (one line in flight leaves the wire idle while the ok comes back)` },
        ...EXACT,
      ],
    })),
    {
      id: 'S5',
      title: 'host frozen 200 ms every 2 s; BUFSIZE 16, RX 1024 (session --rx 1024), ADVANCED_OK; 115200, FTDI 1 ms (a link that keeps up between stalls)',
      file: steady100,
      sim: BIG_AO,
      link: FTDI1,
      session: { rxBufferBytes: 1024 },
      stall: { everyMs: 2000, forMs: 200 },
      targets: [{ metric: 'planner_underruns', target: '==0', modes: WINDOW, note: 'a window target: one line in flight buffers only the planner (150 ms < 200 ms)' }, ...EXACT],
    },
    {
      id: 'S5-stock',
      title: 'host frozen 200 ms every 2 s; stock Marlin + ADVANCED_OK; 115200, FTDI 1 ms',
      file: steady100,
      sim: STOCK_AO,
      link: FTDI1,
      stall: { everyMs: 2000, forMs: 200 },
      targets: [{ id: 'S5', metric: 'underruns_per_stall', target: '<=1', modes: BOTH, note: 'stock buffers: at most one underrun per stall' }, ...EXACT],
    },
    s8,
  ];
  const onS1Link = (id: string, file: FileRef, title: string): StreamScenario => ({ id, title: `${title}; S1's link and firmware`, file, sim: STOCK_AO, link: FTDI16, targets: EXACT });
  const gen = (kind: GcodeSpec['kind']): FileRef => ({ kind: 'generated', key: `gen-${kind}`, spec: { kind, targetBytes: z.generatedBytes, feedrate: 100 }, label: `gcode-generator '${kind}' at 100 mm/s` });
  list.push(onS1Link('G-segments', gen('segments'), "generated 1 mm segments around discs (gcode-generator 'segments')"));
  list.push(onS1Link('G-arcs', gen('arcs'), 'generated G2/G3 arcs'));
  list.push(onS1Link('G-infill', gen('infill'), 'generated long infill lines'));
  if (z.corpus) {
    list.push(onS1Link('R-benchy', { kind: 'corpus', key: 'benchy', name: 'prusaslicer-2.6.1-benchy-m73-thumbnails.gcode', label: 'PrusaSlicer 2.6.1 benchy' }, 'real: PrusaSlicer 2.6.1 benchy (gcode-corpus)'));
    list.push(onS1Link('R-screw-arcs', { kind: 'corpus', key: 'screw', name: 'prusaslicer-2.7.4-screw-native-arcs-thumbnails.gcode', label: 'PrusaSlicer 2.7.4 screw, native arcs' }, 'real: PrusaSlicer 2.7.4 screw with native G2/G3 (gcode-corpus)'));
  }
  return list;
}
