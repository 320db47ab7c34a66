// Resend requests (§5) and busy keepalives (§6) in every spelling.
import { describe, expect, it } from 'vitest';
import { p } from './helpers.js';

describe('parse resend', () => {
  it.each([
    ['Resend: 2', 2],
    ['Resend:3', 3],
    ['Resend: N23', 23],
    ['Resend: N:23', 23],
    ['resend: 451091', 451091],
    ['RESEND 7', 7],
    ['rs 23', 23],
    ['rs N23', 23],
    ['rs N:23', 23],
    ['rs N23 expected checksum 109', 23],
    ['Resend: 0', 0],
  ])('%j → %d', (line, lineNo) => {
    expect(p(line)).toEqual({ kind: 'resend', lineNo });
  });

  it.each(['Resend:', 'Resend: soon', 'rsync 5', 'Resend: 99999999999999999999', 'rs'])('%j is no request', (line) => {
    expect(p(line).kind).not.toBe('resend');
  });
});

describe('parse busy', () => {
  it.each([
    ['echo:busy: processing', 'processing'],
    ['echo:busy: paused for user', 'paused for user'],
    ['echo:busy: paused for input', 'paused for input'],
    ['busy:processing', 'processing'],
    ['echo:busy paused for user', 'paused for user'],
    ['echo: busy: processing', 'processing'],
    ['BUSY: processing', 'processing'],
  ])('%j', (line, reason) => {
    expect(p(line)).toEqual({ kind: 'busy', reason });
  });

  it('a word starting with busy is not busy', () => {
    expect(p('echo:busybox')).toEqual({ kind: 'echo', text: 'busybox' });
  });
});
