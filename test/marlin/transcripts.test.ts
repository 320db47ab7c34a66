// Every line of every real transcript in ../shared/serial-transcripts/, with what a person reading
// it says it is (test/marlin/expectations/<transcript>.jsonl, one JSON object per data line:
// `{"line": …, "expect": {…}}`, or `"expect": [ … ]` when a TFT glued several messages into one
// line). The expectations were drafted by the parser and then checked line by line by hand; the
// parser was fixed where it was wrong. A new transcript without an expectations file fails here.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLines } from '../../src/marlin/parse-line.js';
import { expectationsDir, meaning, transcriptLines, transcriptsDir } from './helpers.js';

interface Row {
  line: string;
  expect: Record<string, unknown> | Record<string, unknown>[];
}

const transcripts = fs.readdirSync(transcriptsDir).filter((f) => f.endsWith('.txt')).sort();
const expectationFiles = fs.readdirSync(expectationsDir).filter((f) => f.endsWith('.jsonl')).sort();
const expectationName = (transcript: string) => transcript.replace(/\.txt$/, '.jsonl');

function readRows(file: string): Row[] {
  const text = fs.readFileSync(path.join(expectationsDir, file), 'utf8');
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Row);
}

describe('serial transcripts', () => {
  it('finds the shared transcripts', () => {
    expect(transcripts.length).toBeGreaterThan(30);
  });

  it('has an expectations file for every transcript, and none without a transcript', () => {
    expect(transcripts.map(expectationName).filter((f) => !expectationFiles.includes(f))).toEqual([]);
    expect(expectationFiles.filter((f) => !transcripts.map(expectationName).includes(f))).toEqual([]);
  });

  for (const transcript of transcripts) {
    it(transcript, () => {
      const file = expectationName(transcript);
      if (!expectationFiles.includes(file)) throw new Error(`no test/marlin/expectations/${file}`);
      const lines = transcriptLines(fs.readFileSync(path.join(transcriptsDir, transcript), 'utf8'));
      const rows = readRows(file);
      expect(rows.map((r) => r.line)).toEqual(lines);
      for (const row of rows) {
        const msgs = parseLines(row.line);
        const want = Array.isArray(row.expect) ? row.expect : [row.expect];
        expect({ line: row.line, got: msgs.map(meaning) }).toEqual({ line: row.line, got: want });
        expect(msgs.map((m) => m.raw).join('')).toBe(row.line);
      }
    });
  }
});
