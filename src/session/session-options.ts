// Tunables of a printer session, with the defaults a stock Marlin printer needs.
// Times are milliseconds of the session's clock.

export type FlowSetting = 'pingpong' | 'auto';

export interface SessionTimeouts {
  /** After opening: how long to wait for the boot banner's `start` (USB-UART boards reset on open). */
  startWaitMs: number;
  /** After `start`: the banner is over once the line has been quiet this long. */
  bannerQuietMs: number;
  /** Wait for the ok to each `N0 M110 N0` handshake attempt. */
  handshakeOkMs: number;
  handshakeTries: number;
  /** No ok for the oldest line in flight (busy lines reset it). */
  okMs: number;
  /** Nothing at all received while something is in flight. */
  lineMs: number;
  /** Nothing received while a long command (G28, M109, M600…) is in flight and no busy lines come. */
  longCommandMs: number;
  /** After the poke (M105) sent on a timeout: no answer in this time = the printer is dead. */
  pokeMs: number;
}

export interface SessionOptions {
  timeouts: SessionTimeouts;
  /** Temperature report interval in seconds (M155 auto-report or M105 polling). 0 = never. */
  temperatureIntervalS: number;
  /** 'auto': several lines in flight when the firmware reports ADVANCED_OK, else one. */
  flow: FlowSetting;
  /** Bytes of the firmware's receive buffer (stock Marlin: 128). */
  rxBufferBytes: number;
}

export const DEFAULT_TIMEOUTS: SessionTimeouts = {
  startWaitMs: 4000,
  bannerQuietMs: 400,
  handshakeOkMs: 2500,
  handshakeTries: 3,
  okMs: 15_000,
  lineMs: 30_000,
  longCommandMs: 10 * 60_000,
  pokeMs: 10_000,
};

export const DEFAULT_SESSION_OPTIONS: SessionOptions = {
  timeouts: DEFAULT_TIMEOUTS,
  temperatureIntervalS: 2,
  flow: 'auto',
  rxBufferBytes: 128,
};
