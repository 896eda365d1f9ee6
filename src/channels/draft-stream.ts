import { chunkMarkdown } from "./format/chunk.ts";
import { realClock, type ManagerClock } from "./restart-policy.ts";
import type { Channel, SendTarget, SentMessage } from "./types.ts";

export interface DraftStreamOptions {
  channel: Channel;
  target: SendTarget;
  /** At least this long between two platform calls of one draft; default 1000 ms. */
  minIntervalMs?: number;
  clock?: ManagerClock;
  onError?: (error: unknown) => void;
}

export interface DraftStream {
  /** The whole answer so far (Markdown); shown by editing the draft at a bounded rate. */
  update(text: string): void;
  /** Shows the final text (splitting into more messages past the limit) and resolves with what was sent. */
  finish(text: string): Promise<SentMessage | null>;
  /** Stops updating; what is shown stays. */
  cancel(): void;
}

/**
 * Streams an answer into a chat by sending a draft message and editing it as text arrives, at most once per
 * `minIntervalMs`. Text past the channel's limit continues in a new message.
 *
 * @example const draft = createDraftStream({ channel: ctx.channel, target: ctx.target });
 *          for await (const delta of run) draft.update(text += delta); await draft.finish(text);
 */
export function createDraftStream(options: DraftStreamOptions): DraftStream {
  const { channel, target } = options;
  const clock = options.clock ?? realClock;
  const minInterval = options.minIntervalMs ?? 1000;
  const ids: string[] = [];
  const shown: string[] = [];
  let latest = "";
  let lastCallAt = -Infinity;
  let timer: unknown;
  let running: Promise<void> = Promise.resolve();
  let cancelled = false;

  async function flush(): Promise<void> {
    const chunks = chunkMarkdown(latest, channel.textChunkLimit);
    for (let i = 0; i < chunks.length; i++) {
      if (shown[i] === chunks[i]) continue;
      if (i < ids.length) await channel.editText(target, ids[i]!, chunks[i]!);
      else ids.push((await channel.send(target, { text: chunks[i]! })).messageId);
      shown[i] = chunks[i]!;
      lastCallAt = clock.now();
    }
  }

  // The interval counts from the end of the last call; a call still in flight when the timer fires moves it.
  async function paced(): Promise<void> {
    const wait = Math.max(0, lastCallAt + minInterval - clock.now());
    if (wait > 0) await new Promise<void>((resolve) => clock.setTimeout(resolve, wait));
  }

  function schedule(): void {
    if (timer !== undefined || cancelled) return;
    const wait = Math.max(0, lastCallAt + minInterval - clock.now());
    timer = clock.setTimeout(() => {
      timer = undefined;
      running = running
        .then(paced)
        .then(() => (cancelled ? undefined : flush()))
        .catch((error) => options.onError?.(error));
    }, wait);
  }

  return {
    update(text) {
      latest = text;
      if (text.trim()) schedule();
    },
    async finish(text) {
      latest = text;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      await running;
      await paced();
      if (latest.trim()) await flush();
      return ids.length ? { messageId: ids.at(-1)!, messageIds: [...ids] } : null;
    },
    cancel() {
      cancelled = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** Shows "typing…" now and every `everyMs` (default 4 s) until `signal` aborts; failures are ignored. */
export function keepTyping(channel: Channel, target: SendTarget, signal: AbortSignal, everyMs = 4000): void {
  if (signal.aborted) return;
  const tick = () => void channel.sendTyping(target, signal).catch(() => {});
  tick();
  const interval = setInterval(tick, everyMs);
  signal.addEventListener("abort", () => clearInterval(interval), { once: true });
}
