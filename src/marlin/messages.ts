// The typed form of one line received from a Marlin-family firmware.
// `parseLine` (parse-line.ts) turns every received line into exactly one of these and never throws.
// Some lines carry two things at once (`ok T:21.5 /0.0 B:...` is an ok *and* a temperature
// report); the primary kind is `ok` and the report rides along in `temperature`.

/** One heater reading, e.g. `T0:210.00 /215.00` with power `@0:127`. */
export interface HeaterReading {
  actual: number;
  target?: number;
  /** PWM power 0..255 (or 0..127 on some builds) from `@:`, `B@:`, `@0:` … */
  power?: number;
}

/**
 * Heaters keyed by a normalised name: `T0`, `T1`… for hotends (a lone `T:` is the active tool and
 * becomes `T0` unless the line names tools explicitly), `B` bed, `C` chamber, `P` probe,
 * `A` ambient, `L` cooler, `M` board, `R` redundant.
 */
export type Heaters = Record<string, HeaterReading>;

export interface TemperatureReport {
  heaters: Heaters;
  /** Seconds left in an M109/M190 wait (`W:12`), or 'unknown' for `W:?`. */
  waitRemaining?: number | 'unknown';
  /**
   * Targets announced without a reading, keyed like `heaters`: Repetier echoes `TargetExtr0:220`
   * and `TargetBed:60` on lines of their own (then `heaters` is empty).
   */
  targets?: Record<string, number>;
}

export interface Position {
  x?: number;
  y?: number;
  z?: number;
  e?: number;
}

export type MarlinMessage =
  /** `ok`, `ok N12 P15 B3` (ADVANCED_OK), `ok 103256` (Repetier), `ok N:12`, `ok T:…` (M105 reply). */
  | {
      kind: 'ok';
      lineNo?: number;
      plannerFree?: number;
      bufferFree?: number;
      temperature?: TemperatureReport;
      position?: Position;
      raw: string;
    }
  /** `wait` — only sent with NO_TIMEOUTS; the firmware is idle and ready. */
  | { kind: 'wait'; raw: string }
  /** Temperature report without ok: M155 auto-report, or a heat-up wait line. */
  | { kind: 'temperature'; report: TemperatureReport; raw: string }
  /** M114 / M154 position report; `Count …` is ignored. */
  | { kind: 'position'; position: Position; raw: string }
  /** `Resend: 12`, `Resend:12`, `Resend: N:12`, `rs 12`, `rs N12`. */
  | { kind: 'resend'; lineNo: number; raw: string }
  /** `echo:busy: processing`, `busy:processing`, `echo:busy: paused for user`. */
  | { kind: 'busy'; reason: string; raw: string }
  /**
   * `Error:…`, `!! …` (Klipper), `fatal:` (Repetier). `fatal` for thermal errors, kill,
   * `Printer halted`, `Printer stopped`; line-number / checksum errors are `lineError`.
   */
  | {
      kind: 'error';
      message: string;
      fatal: boolean;
      /** A line-number or checksum complaint that precedes a resend request. */
      lineError?: boolean;
      /** `Last Line: 451090` when present. */
      lastLine?: number;
      raw: string;
    }
  /** `//action:<name> <params>` (also `// action:`). */
  | { kind: 'action'; name: string; params: string; raw: string }
  /** M115 first line: FIRMWARE_NAME:… PROTOCOL_VERSION:… MACHINE_TYPE:… EXTRUDER_COUNT:… UUID:… */
  | { kind: 'firmware'; fields: Record<string, string>; raw: string }
  /** `Cap:AUTOREPORT_TEMP:1` */
  | { kind: 'capability'; name: string; enabled: boolean; raw: string }
  /** `SD printing byte 1234/56789` */
  | { kind: 'sdProgress'; done: number; total: number; raw: string }
  /** SD card and file events: `Not SD printing`, `Done printing file`, `File opened: …`, … */
  | {
      kind: 'sd';
      event:
        | 'notPrinting'
        | 'donePrinting'
        | 'fileOpened'
        | 'fileSelected'
        | 'openFailed'
        | 'cardOk'
        | 'noCard'
        | 'cardReleased'
        | 'fileListBegin'
        | 'fileListEnd'
        | 'currentFile';
      /** File name for fileOpened / openFailed / currentFile. */
      file?: string;
      size?: number;
      raw: string;
    }
  /** M73 echo with M73_REPORT: `echo: M73 Progress: 42%; Time left: 57m; Change: 12m;` */
  | { kind: 'progressReport'; percent: number; minutesLeft?: number; raw: string }
  /** `start` — the board (re)booted. */
  | { kind: 'start'; raw: string }
  /** `echo:…` that is none of the above, e.g. `echo:Unknown command: "M9999"`. */
  | { kind: 'echo'; text: string; unknownCommand?: boolean; raw: string }
  /** Anything else: banner lines, debug output, Klipper `// …` info, empty lines. */
  | { kind: 'unknown'; text: string; raw: string };

export type MarlinMessageKind = MarlinMessage['kind'];
