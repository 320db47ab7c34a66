// `//action:` lines (HOST_ACTION_COMMANDS) and host prompts (HOST_PROMPT_SUPPORT), sent only
// when the options enable them. Marlin closes any open prompt before it opens a new one.
import type { ResolvedSimOptions } from './sim-options.js';

export class HostActions {
  constructor(
    private readonly opt: ResolvedSimOptions,
    private readonly emit: (line: string) => void,
  ) {}

  action(text: string): void {
    if (this.opt.hostActions) this.emit(`//action:${text}`);
  }

  /** prompt_end, prompt_begin <title>, prompt_button <b>…, prompt_show. */
  prompt(title: string, buttons: readonly string[]): void {
    if (!this.opt.hostActions || !this.opt.promptSupport) return;
    this.emit('//action:prompt_end');
    this.emit(`//action:prompt_begin ${title}`);
    for (const b of buttons) this.emit(`//action:prompt_button ${b}`);
    this.emit('//action:prompt_show');
  }

  promptEnd(): void {
    if (this.opt.hostActions && this.opt.promptSupport) this.emit('//action:prompt_end');
  }
}
