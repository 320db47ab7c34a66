// Keys on a terminal during a print: p pause, r resume, c cancel (twice to confirm), Ctrl-C
// interrupt. Only when stdin is a TTY; cron and systemd runs use signals instead.

export interface KeyboardActions {
  pause(): void;
  resume(): void;
  cancel(): void;
  interrupt(): void;
  say(text: string): void;
}

export function attachKeyboard(stdin: NodeJS.ReadStream, actions: KeyboardActions): () => void {
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') return () => {};
  let cancelArmedUntil = 0;
  stdin.setRawMode(true);
  stdin.resume();
  const onData = (buf: Buffer) => {
    for (const ch of buf.toString('utf8')) {
      if (ch === '\u0003') actions.interrupt();
      else if (ch === 'p' || ch === 'P') actions.pause();
      else if (ch === 'r' || ch === 'R') actions.resume();
      else if (ch === 'c' || ch === 'C') {
        if (Date.now() < cancelArmedUntil) actions.cancel();
        else {
          cancelArmedUntil = Date.now() + 5000;
          actions.say('press c again within 5 s to cancel the print');
        }
      }
    }
  };
  stdin.on('data', onData);
  return () => {
    stdin.off('data', onData);
    stdin.setRawMode(false);
    stdin.pause();
  };
}
