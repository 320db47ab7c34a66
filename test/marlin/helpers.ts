// Shared bits for the marlin/ tests: where the shared real data lives, and parse results without
// the `raw` field (every message carries the input line; the tables compare the meaning).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MarlinMessage } from '../../src/marlin/messages.js';
import { parseLine } from '../../src/marlin/parse-line.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const transcriptsDir = path.resolve(repoRoot, '../shared/serial-transcripts');
export const expectationsDir = path.resolve(repoRoot, 'test/marlin/expectations');

export type Meaning = Record<string, unknown>;

export function meaning(msg: MarlinMessage): Meaning {
  const { raw: _raw, ...rest } = msg;
  return rest;
}

/** parseLine(line) without `raw`. */
export function p(line: string): Meaning {
  return meaning(parseLine(line));
}

/** The data lines of a transcript: `#` header lines dropped, the final newline not a line. */
export function transcriptLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let i = 0;
  while (i < lines.length && lines[i]!.startsWith('#')) i++;
  return lines.slice(i);
}
