// Which earlier message a send should reply to or edit, per channel. The contract's ThreadContext
// holds one parent and one card per target, but a bot target may post to several channels, so the
// outbox also passes every ref it remembers (`parents`, `progressCards`); targets pick the one for
// the channel they are posting to and fall back to the single ref.
import type { MessageRef, ThreadContext } from '../notification.js';

export interface MultiThreadContext extends ThreadContext {
  /** The print's first message in each channel. */
  parents?: MessageRef[];
  /** The print's progress card in each channel. */
  progressCards?: MessageRef[];
}

function pick(list: MessageRef[] | undefined, single: MessageRef | undefined, channel: string): MessageRef | undefined {
  return list?.find((r) => r.channel === channel) ?? (single?.channel === channel ? single : undefined);
}

export function parentIn(ctx: ThreadContext, channel: string): MessageRef | undefined {
  return pick((ctx as MultiThreadContext).parents, ctx.parent, channel);
}

export function cardIn(ctx: ThreadContext, channel: string): MessageRef | undefined {
  return pick((ctx as MultiThreadContext).progressCards, ctx.progressCard, channel);
}
