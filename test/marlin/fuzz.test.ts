// parseLine must never throw and must stay fast whatever arrives (marlin-protocol.md §15.3):
// 100,000 seeded random lines (random bytes incl. NUL/0xFF, random mixes of protocol tokens,
// some 10 KB long), plus hand-made pathological 10 KB lines that would make a backtracking
// regular expression take seconds. The seed is fixed so a failure reproduces; it is printed on failure.
import { describe, expect, it } from 'vitest';
import { decodeLineBytes } from '../../src/marlin/decode.js';
import type { MarlinMessage } from '../../src/marlin/messages.js';
import { parseLines, parseLineUnguarded } from '../../src/marlin/parse-line.js';
import { splitGluedLine } from '../../src/marlin/split-glued.js';
import { seededRandom } from '../../src/sim/prng.js';

const SEED = 20240611;

const KINDS = new Set<MarlinMessage['kind']>([
  'ok', 'wait', 'temperature', 'position', 'resend', 'busy', 'error', 'action', 'firmware',
  'capability', 'sdProgress', 'sd', 'progressReport', 'start', 'echo', 'unknown',
]);

const TOKENS = [
  'ok', 'ok ', 'T:', 'T0:', 'T1:', 'B:', 'C:', 'A:', 'P:', '@:', 'B@:', '@0:', 'W:?', 'E:', '/', ' /',
  'N', 'N:', 'P', 'B', 'Resend:', 'Resend: ', 'rs ', 'echo:', 'busy:', ' busy ', 'Error:', '!!', 'fatal:',
  '//action:', '// action:', 'prompt_show', 'paused', 'Cap:', 'FIRMWARE_NAME:', 'NAME.', 'X-', 'X:', 'Y:',
  'Z:', 'Count', 'Last Line:', 'expected line ', 'SD printing byte ', 'File opened:', 'Size:',
  'M73 Progress:', '%', ';', 'Time left:', 'NORMAL MODE:', 'Percent done:', 'Unknown command:', '(', ')',
  '-', '.', ':', ' ', '  ', '\t', '?', '0', '1', '9', '12', '210.5', '-3.25', '99999999999999999999',
  '\0', '\r', '\uFFFD', '\u00b0', '\ud800', 'start', 'wait', 'Not SD printing', 'open failed, File: ',
];

const rng = seededRandom;

function randomLine(r: () => number): string {
  const long = r() < 0.005;
  const mode = r();
  if (mode < 0.3) {
    const n = long ? 10_240 : Math.floor(r() * 120);
    const buf = new Uint8Array(n);
    for (let i = 0; i < n; i++) buf[i] = r() < 0.1 ? [0, 0xff, 0x0d, 0x3a, 0x2f][Math.floor(r() * 5)]! : Math.floor(r() * 256);
    return r() < 0.5 ? decodeLineBytes(buf) : String.fromCharCode(...buf.subarray(0, 4096)) + (long ? 'x'.repeat(6000) : '');
  }
  let s = '';
  const target = long ? 10_240 : Math.floor(r() * 40);
  while ((long && s.length < target) || (!long && target > 0 && s.length < target * 4 && r() > 1 / target)) {
    s += TOKENS[Math.floor(r() * TOKENS.length)]!;
  }
  return s;
}

function checkMessage(line: string, m: MarlinMessage): void {
  if (!KINDS.has(m.kind)) throw new Error(`invalid kind ${String(m.kind)}`);
  if (typeof m.raw !== 'string') throw new Error('raw is not a string');
  if (m.kind === 'resend' && !Number.isSafeInteger(m.lineNo)) throw new Error('unsafe resend line');
  if (m.kind === 'ok' && m.lineNo !== undefined && !Number.isSafeInteger(m.lineNo)) throw new Error('unsafe ok line');
  const report = m.kind === 'temperature' ? m.report : m.kind === 'ok' ? m.temperature : undefined;
  for (const h of Object.values(report?.heaters ?? {})) {
    if (!Number.isFinite(h.actual)) throw new Error(`non-finite reading in ${JSON.stringify(line)}`);
  }
}

describe('fuzz', () => {
  it(`100,000 random lines: no throw, valid kinds, bounded time (seed ${SEED})`, () => {
    const r = rng(SEED);
    const started = performance.now();
    for (let n = 0; n < 100_000; n++) {
      const line = randomLine(r);
      try {
        const m = parseLineUnguarded(line);
        checkMessage(line, m);
        if (m.raw !== line) throw new Error('raw differs from the input');
        const parts = parseLines(line);
        parts.forEach((p) => checkMessage(line, p));
        if (splitGluedLine(line).join('') !== line) throw new Error('split parts do not add up to the line');
      } catch (err) {
        throw new Error(`seed ${SEED}, line #${n} ${JSON.stringify(line.slice(0, 300))}: ${String(err)}`);
      }
    }
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});

describe('pathological 10 KB lines', () => {
  const K = 10_240;
  const cases: Array<[string, string]> = [
    ['digits and colons', '1:2:'.repeat(K / 4)],
    ['digits', '7'.repeat(K)],
    ['ok and digits', `ok ${'1'.repeat(K)}`],
    ['ok and ADVANCED_OK words', `ok ${'N1 P2 B3 '.repeat(K / 9)}`],
    ['T: repeated', 'T:'.repeat(K / 2)],
    ['T:1 /2 repeated', ' T:1 /2'.repeat(K / 7)],
    ['a name without colon', `T${'T'.repeat(K)}`],
    ['space then a long name', ` ${'A'.repeat(K)}`],
    ['resend and spaces', `Resend:${' '.repeat(K)}1`],
    ['error with last lines', `Error:${'Last Line: '.repeat(K / 11)}`],
    ['firmware keys', `FIRMWARE_NAME:${'A:B '.repeat(K / 4)}`],
    ['firmware key chars', `FIRMWARE_NAME: ${'A'.repeat(K)}`],
    ['actions', '//action:p'.repeat(K / 10)],
    ['action with a glued tail', `//action:paused${' T:1'.repeat(K / 4)}`],
    ['echo', `echo:${'echo:'.repeat(K / 5)}`],
    ['position', `X:1 Y:2 Z:3 ${'E:4 '.repeat(K / 4)}`],
    ['sd', `SD printing byte ${'9'.repeat(K)}/`],
    ['progress', `echo: M73 Progress: ${'5'.repeat(K)}`],
    ['slashes', `T:1${' /'.repeat(K / 2)}`],
  ];

  it.each(cases)('%s: parses in under 5 ms', (_name, line) => {
    parseLines(line); // warm up
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      parseLines(line);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    expect(times[2]).toBeLessThan(5);
  });
});
